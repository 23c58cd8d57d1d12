package imps.server.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A list of address blocks, written comma-separated ({@code 127.0.0.0/8,::1/128}); empty holds no
 * address.
 */
public record CidrList(List<Cidr> blocks) {
  /** The loopback blocks of both families. */
  public static final CidrList LOOPBACK =
      new CidrList(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")));

  public CidrList {
    blocks = List.copyOf(blocks);
  }

  /**
   * Reads a comma-separated list of {@link Cidr}s; blanks around commas are ignored.
   *
   * @throws IllegalArgumentException naming the first block that is not valid
   */
  public static CidrList parse(String text) {
    List<Cidr> blocks = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      if (!part.isBlank()) {
        blocks.add(Cidr.parse(part));
      }
    }
    return new CidrList(blocks);
  }

  /** Whether any block holds {@code address}. */
  public boolean contains(InetAddress address) {
    for (Cidr c : blocks) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The text {@link #parse} reads back. */
  @Override
  public String toString() {
    return blocks.stream().map(Cidr::toString).collect(Collectors.joining(","));
  }
}
