package imps.server.location;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code lat,lon} form: decimal degrees, latitude first, spaces allowed around the parts. */
public final class Locations {
  private static final Pattern LAT_LON =
      Pattern.compile(
          "\\s*([+-]?\\d{1,3}(?:\\.\\d{1,15})?)\\s*,\\s*([+-]?\\d{1,3}(?:\\.\\d{1,15})?)\\s*");
  private static final BigDecimal LAT_MAX = BigDecimal.valueOf(90);
  private static final BigDecimal LON_MAX = BigDecimal.valueOf(180);

  private Locations() {}

  /**
   * Validates and normalises to at most 6 decimals without spaces ({@code "23.34, 113.43"} becomes
   * {@code "23.34,113.43"}); empty when invalid or out of range.
   */
  public static Optional<String> normalise(String text) {
    Matcher m = LAT_LON.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    BigDecimal lat = new BigDecimal(m.group(1));
    BigDecimal lon = new BigDecimal(m.group(2));
    if (lat.abs().compareTo(LAT_MAX) > 0 || lon.abs().compareTo(LON_MAX) > 0) {
      return Optional.empty();
    }
    return Optional.of(plain(lat) + "," + plain(lon));
  }

  private static String plain(BigDecimal d) {
    BigDecimal r = d.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    if (r.signum() == 0) {
      return "0";
    }
    return r.scale() < 0 ? r.setScale(0).toPlainString() : r.toPlainString();
  }
}
