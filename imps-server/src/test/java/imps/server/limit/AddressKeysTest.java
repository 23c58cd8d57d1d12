package imps.server.limit;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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
        "1.2.3.4.5|1.2.3.4.5",
        "1..3.4|1..3.4",
        ".2.3.4|.2.3.4",
        "1.2.3.|1.2.3.",
        "1.2.3.4a|1.2.3.4a",
        "0001.2.3.4|0001.2.3.4",
        "01.2.3.004|1.2.3.4",
        "255.255.255.255|255.255.255.255",
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

  /** IPv4 parsing agrees with the plain definition: four dot-separated runs of 1–3 digits ≤ 255. */
  @Property
  void ipv4AgreesWithItsDefinition(@ForAll("dotsAndDigits") String s) {
    assertThat(AddressKeys.ipv4(s)).isEqualTo(byDefinition(s));
  }

  @Provide
  Arbitrary<String> dotsAndDigits() {
    return Arbitraries.strings().withChars("0123456789.x").ofMinLength(0).ofMaxLength(18);
  }

  private static int[] byDefinition(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    int[] out = new int[4];
    for (int i = 0; i < 4; i++) {
      if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
        return null;
      }
      out[i] = Integer.parseInt(parts[i]);
    }
    return out;
  }
}
