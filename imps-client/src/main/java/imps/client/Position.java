package imps.client;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A position in decimal degrees, as the protocol carries it ({@code lat,lon}).
 *
 * @param latitude -90..90
 * @param longitude -180..180
 */
public record Position(double latitude, double longitude) {
  public Position {
    if (!(latitude >= -90 && latitude <= 90)) {
      throw new IllegalArgumentException("latitude must be within -90..90: " + latitude);
    }
    if (!(longitude >= -180 && longitude <= 180)) {
      throw new IllegalArgumentException("longitude must be within -180..180: " + longitude);
    }
  }

  /**
   * Parses {@code lat,lon} (spaces allowed around the numbers), e.g. {@code 23.13, 113.26}.
   *
   * @throws IllegalArgumentException when it is not two numbers in range
   */
  public static Position parse(String text) {
    String[] parts = text.split(",", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("expected LAT,LON such as 23.13,113.26: " + text);
    }
    try {
      return new Position(
          Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected LAT,LON such as 23.13,113.26: " + text, e);
    }
  }

  /** The wire form: {@code lat,lon} with at most 6 decimals and no trailing zeros. */
  @Override
  public String toString() {
    return decimal(latitude) + "," + decimal(longitude);
  }

  private static String decimal(double d) {
    return BigDecimal.valueOf(d)
        .setScale(6, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }
}
