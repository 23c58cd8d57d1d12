package imps.server.transport;

import imps.server.config.CidrList;
import io.netty.util.NetUtil;
import java.net.InetAddress;

/**
 * The client address blocks an operator banned (admin {@code bans add}, kept in the store): a
 * connection from one is closed as it is admitted, before a byte is read ({@link AddressLimits}),
 * and {@link ServerTransport#banAddresses} closes the open ones when the list changes. The list is
 * replaced as a whole; readers see the old one or the new one. A ban beats {@code limit.exempt}.
 * Thread-safe.
 */
final class AddressBans {
  private volatile CidrList blocks = new CidrList(java.util.List.of());

  /** Whether {@code address} (an IP literal) lies in a banned block. */
  boolean contains(String address) {
    InetAddress ip = NetUtil.createInetAddressFromIpAddressString(address);
    return ip != null && blocks.contains(ip);
  }

  boolean contains(InetAddress address) {
    return blocks.contains(address);
  }

  CidrList blocks() {
    return blocks;
  }

  void replace(CidrList next) {
    blocks = next;
  }
}
