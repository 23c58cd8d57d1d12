package imps.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A block of IPv4 or IPv6 addresses in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare
 * address is the block of that address alone. Only literal addresses are read, never host names, so
 * parsing never waits on DNS.
 *
 * @param network the first address of the block (its host bits are zero)
 * @param prefixLength how many leading bits every address in the block shares with {@code network}
 */
public record Cidr(InetAddress network, int prefixLength) {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  public Cidr {
    Objects.requireNonNull(network, "network");
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "prefix length /" + prefixLength + " out of range for " + text(network));
    }
    byte[] a = network.getAddress();
    for (int i = prefixLength; i < bits; i++) {
      if ((a[i / 8] & (0x80 >>> (i % 8))) != 0) {
        throw new IllegalArgumentException(
            "'" + text(network) + "/" + prefixLength + "' has bits set after the prefix");
      }
    }
  }

  /**
   * Reads {@code address/prefix} or a bare address.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    InetAddress network = literal(address);
    int bits = network.getAddress().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + s + "' has no prefix length after the /");
      }
    }
    return new Cidr(network, prefix);
  }

  /** Whether {@code address} lies in this block; an address of the other family never does. */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    byte[] n = network.getAddress();
    if (a.length != n.length) {
      return false;
    }
    int whole = prefixLength / 8;
    for (int i = 0; i < whole; i++) {
      if (a[i] != n[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (a[whole] & mask) == (n[whole] & mask);
  }

  private static InetAddress literal(String s) {
    boolean v4 = IPV4.matcher(s).matches();
    if (v4) {
      for (String octet : s.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          throw new IllegalArgumentException("'" + s + "' is not an IP address");
        }
      }
    } else if (!IPV6.matcher(s).matches()) {
      throw new IllegalArgumentException("'" + s + "' is not an IP address");
    }
    try {
      // A literal as checked above: InetAddress parses it and asks no name service.
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + s + "' is not an IP address");
    }
  }

  /** The CIDR text {@link #parse} reads back, e.g. {@code 127.0.0.0/8}. */
  @Override
  public String toString() {
    return text(network) + "/" + prefixLength;
  }

  /** An address as RFC 5952 writes it: IPv6 with its longest run of zero groups as {@code ::}. */
  static String text(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length == 4) {
      return address.getHostAddress();
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((a[2 * i] & 0xFF) << 8) | (a[2 * i + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero group is not shortened
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
