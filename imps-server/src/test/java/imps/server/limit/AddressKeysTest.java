package imps.server.limit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressKeysTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "192.0.2.7|192.0.2.7",
        "/192.0.2.7|192.0.2.7",
        "2001:db8:0:1:2:3:4:5|2001:db8:0:1::/64",
        "2001:db8:0:1::ffff|2001:db8:0:1::/64",
        "2001:DB8:0:1:abcd::1|2001:db8:0:1::/64",
        "2001:0db8:0000:0001:0:0:0:9|2001:db8:0:1::/64",
        "[2001:db8::1]|2001:db8:0:0::/64",
        "fe80::1%eth0|fe80:0:0:0::/64",
        "::1|0:0:0:0::/64",
        "::|0:0:0:0::/64",
        "::ffff:192.0.2.7|192.0.2.7",
        "64:ff9b::192.0.2.7|64:ff9b:0:0::/64",
        "not-an-address|not-an-address",
        "256.1.1.1|256.1.1.1",
        "1.2.3|1.2.3",
        "2001:db8::1::2|2001:db8::1::2",
        "12345::1|12345::1",
        "١٢٣::1|١٢٣::1",
      })
  void keys(String address, String key) {
    assertThat(AddressKeys.of(address)).isEqualTo(key);
  }

  @ParameterizedTest(name = "{0} and {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "2001:db8:aa:bb:1::1|2001:db8:aa:bb:ffff:ffff:ffff:ffff",
        "2001:db8:aa:bb::1|2001:db8:aa:bb:0:0:0:2",
      })
  void oneSlash64IsOneKey(String a, String b) {
    assertThat(AddressKeys.of(a)).isEqualTo(AddressKeys.of(b));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"192.0.2.7,192.0.2.8", "2001:db8:aa:bb::1,2001:db8:aa:bc::1"})
  void neighboursDiffer(String a, String b) {
    assertThat(AddressKeys.of(a)).isNotEqualTo(AddressKeys.of(b));
  }

  @org.junit.jupiter.api.Test
  void longOtherStringsAreCut() {
    assertThat(AddressKeys.of("x".repeat(200))).hasSize(64);
  }
}
