package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcStatsTest {

  @Test
  void findsTheListeningInodeInAProcNetTable() {
    List<String> lines =
        List.of(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:1DB0 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 111 1",
            "   1: 00000000:1DB0 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 222 1");
    assertThat(ProcStats.listeningInode(lines, 7600)).isEqualTo(222); // 0x1DB0, LISTEN only
    assertThat(ProcStats.listeningInode(lines, 7601)).isEqualTo(-1);
  }

  @Test
  void findsThisProcessFromItsListeningPortOnLinux() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/net/tcp")));
    try (ServerSocket s = new ServerSocket(0)) {
      assertThat(ProcStats.pidListeningOn(s.getLocalPort())).hasValue(ProcStats.selfPid());
    }
    assertThat(ProcStats.cpuNanos(ProcStats.selfPid())).isPositive();
    assertThat(ProcStats.rssBytes(ProcStats.selfPid())).isPositive();
  }
}
