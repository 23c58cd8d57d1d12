package imps.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void blocksHoldTheirAddressesOnly() throws UnknownHostException {
    Cidr ten = Cidr.parse("10.0.0.0/8");
    assertThat(ten.contains(ip("10.255.1.2"))).isTrue();
    assertThat(ten.contains(ip("11.0.0.1"))).isFalse();
    Cidr odd = Cidr.parse("192.168.4.0/22");
    assertThat(odd.contains(ip("192.168.7.255"))).isTrue();
    assertThat(odd.contains(ip("192.168.8.0"))).isFalse();
    Cidr v6 = Cidr.parse("fd00::/8");
    assertThat(v6.contains(ip("fd12:3456::1"))).isTrue();
    assertThat(v6.contains(ip("fe80::1"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
  }

  @Test
  void aBareAddressIsABlockOfOne() throws UnknownHostException {
    Cidr one = Cidr.parse("203.0.113.9");
    assertThat(one.prefixLength()).isEqualTo(32);
    assertThat(one.contains(ip("203.0.113.9"))).isTrue();
    assertThat(one.contains(ip("203.0.113.8"))).isFalse();
    assertThat(Cidr.parse("::1").prefixLength()).isEqualTo(128);
  }

  @Test
  void anAddressOfTheOtherFamilyIsNeverInside() throws UnknownHostException {
    assertThat(Cidr.parse("::/0").contains(ip("127.0.0.1"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(ip("::1"))).isFalse();
  }

  @Test
  void textReadsBackAsTheSameList() {
    assertThat(CidrList.LOOPBACK).hasToString("127.0.0.0/8,::1/128");
    assertThat(CidrList.parse(CidrList.LOOPBACK.toString())).isEqualTo(CidrList.LOOPBACK);
    CidrList l = CidrList.parse(" 10.0.0.0/8 , 2001:db8:0:0:1:0:0:0/96,fe80::/10 ");
    assertThat(l).hasToString("10.0.0.0/8,2001:db8:0:0:1::/96,fe80::/10");
    assertThat(CidrList.parse(l.toString())).isEqualTo(l);
    assertThat(CidrList.parse("").blocks()).isEmpty();
  }

  @Test
  void invalidBlocksAreRefusedSayingWhy() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8")).hasMessageContaining("bits set after");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/")).hasMessageContaining("no prefix length");
    assertThatThrownBy(() -> Cidr.parse("1.2.3.999")).hasMessageContaining("not an IP address");
    // Never a name lookup.
    assertThatThrownBy(() -> Cidr.parse("localhost")).hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> Cidr.parse("::g")).hasMessageContaining("not an IP address");
  }

  @Test
  void theSettingReadsAListAndNamesItInErrors() {
    ServerConfig c =
        ServerConfig.builder()
            .set(ServerConfig.Key.PROXY_PROTOCOL_TRUSTED, "10.1.0.0/16,::1")
            .build();
    assertThat(c.get(ServerConfig.Key.PROXY_PROTOCOL_TRUSTED).blocks()).hasSize(2);
    assertThatThrownBy(
            () -> ServerConfig.builder().set(ServerConfig.Key.PROXY_PROTOCOL_TRUSTED, "10.1.0.0/8"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("proxy-protocol.trusted");
  }

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }
}
