package imps.server.limit;

import java.util.Locale;

/**
 * The key a client address is limited under. An IPv4 address is its own key. An IPv6 address is
 * keyed by its /64, since one host (one home or one virtual machine) is usually given a whole /64
 * and could otherwise take a fresh address for every attempt. An IPv4-mapped IPv6 address is keyed
 * as its IPv4 address. Anything else (a name, an AF_UNIX path from a PROXY header) is kept as is,
 * cut to 64 characters. Never looks anything up.
 */
public final class AddressKeys {
  private static final int MAX_OTHER = 64;
  private static final String HEX = "0123456789abcdefABCDEF";

  private AddressKeys() {}

  /** The limiting key of {@code address}: {@code 192.0.2.7}, {@code 2001:db8:0:1::/64}. */
  public static String of(String address) {
    String a = address.trim();
    if (a.startsWith("/")) {
      a = a.substring(1); // InetAddress.toString() of an unresolved address
    }
    if (a.startsWith("[") && a.indexOf(']') > 0) {
      a = a.substring(1, a.indexOf(']'));
    }
    int zone = a.indexOf('%');
    if (zone >= 0 && a.indexOf(':') >= 0) {
      a = a.substring(0, zone);
    }
    int[] v4 = ipv4(a);
    if (v4 != null) {
      return v4[0] + "." + v4[1] + "." + v4[2] + "." + v4[3];
    }
    int[] v6 = ipv6(a);
    if (v6 != null) {
      if (isV4Mapped(v6)) {
        return (v6[6] >> 8) + "." + (v6[6] & 0xff) + "." + (v6[7] >> 8) + "." + (v6[7] & 0xff);
      }
      return String.format(Locale.ROOT, "%x:%x:%x:%x", v6[0], v6[1], v6[2], v6[3]) + "::/64";
    }
    return address.length() <= MAX_OTHER ? address : address.substring(0, MAX_OTHER);
  }

  private static boolean isV4Mapped(int[] h) {
    return h[0] == 0 && h[1] == 0 && h[2] == 0 && h[3] == 0 && h[4] == 0 && h[5] == 0xffff;
  }

  /** The four octets of a dotted-quad IPv4 address, or null. */
  static int[] ipv4(String s) {
    // A scan rather than split and parse: every connection and every login asks.
    int[] out = new int[4];
    int part = 0;
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (digits == 0 || ++part == 4) {
          return null;
        }
        digits = 0;
      } else if (c >= '0' && c <= '9' && digits < 3) {
        out[part] = out[part] * 10 + (c - '0');
        digits++;
      } else {
        return null;
      }
    }
    if (part != 3 || digits == 0) {
      return null;
    }
    for (int octet : out) {
      if (octet > 255) {
        return null;
      }
    }
    return out;
  }

  /** The eight 16-bit groups of an IPv6 address (with "::" and a dotted IPv4 tail), or null. */
  static int[] ipv6(String s) {
    if (s.indexOf(':') < 0 || s.length() > 45) {
      return null;
    }
    int[] groups = new int[8];
    String head = s;
    String tail = "";
    int gap = s.indexOf("::");
    if (gap >= 0) {
      if (s.indexOf("::", gap + 1) >= 0) {
        return null;
      }
      head = s.substring(0, gap);
      tail = s.substring(gap + 2);
    }
    int[] h = groups(head);
    int[] t = groups(tail);
    if (h == null || t == null) {
      return null;
    }
    int total = h.length + t.length;
    if (gap >= 0 ? total > 7 : total != 8) {
      return null;
    }
    System.arraycopy(h, 0, groups, 0, h.length);
    System.arraycopy(t, 0, groups, 8 - t.length, t.length);
    return groups;
  }

  /** The groups of a colon-separated run (a dotted IPv4 address may end it), or null. */
  private static int[] groups(String run) {
    if (run.isEmpty()) {
      return new int[0];
    }
    String[] parts = run.split(":", -1);
    int last = parts.length - 1;
    int[] v4 = parts[last].indexOf('.') >= 0 ? ipv4(parts[last]) : null;
    if (parts[last].indexOf('.') >= 0 && v4 == null) {
      return null;
    }
    int n = v4 == null ? parts.length : parts.length + 1;
    int[] out = new int[n];
    for (int i = 0; i < (v4 == null ? parts.length : last); i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      for (int k = 0; k < p.length(); k++) {
        if (HEX.indexOf(p.charAt(k)) < 0) {
          return null;
        }
      }
      out[i] = Integer.parseInt(p, 16);
    }
    if (v4 != null) {
      out[n - 2] = (v4[0] << 8) | v4[1];
      out[n - 1] = (v4[2] << 8) | v4[3];
    }
    return out;
  }
}
