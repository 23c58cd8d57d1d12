package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import org.junit.jupiter.api.Test;

class OsLimitsTest {

  @Test
  void explainsRunningOutOfFileDescriptors() {
    Throwable e = new IllegalStateException("connect", new IOException("Too many open files"));
    assertThat(OsLimits.explain(e))
        .startsWith("the bench process ran out of file descriptors")
        .contains("ulimit -n");
  }

  @Test
  void explainsRunningOutOfLocalPorts() {
    assertThat(OsLimits.explain(new BindException("Cannot assign requested address")))
        .startsWith("no free local port")
        .contains("--source-addresses");
  }

  @Test
  void otherFailuresAreNoOsLimit() {
    assertThat(OsLimits.explain(new IOException("Connection refused"))).isNull();
  }

  @Test
  void warnsWhenThePortsOfTheSourceAddressesCannotHoldTheConnections() {
    int[] range = ProcStats.localPortRange();
    org.junit.jupiter.api.Assumptions.assumeTrue(range != null);
    long ports = range[1] - range[0] + 1L;
    assertThat(OsLimits.warnings(10, -1, 1)).noneMatch(w -> w.startsWith("ephemeral ports"));
    assertThat(OsLimits.warnings((int) ports + 1, -1, 1))
        .anyMatch(w -> w.startsWith("ephemeral ports: " + ports + " over 1 source address(es)"));
  }
}
