package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class RunMeterTest {
  private static final long SELF = 100;
  private static final long SERVER = 200;

  private final Map<Long, Long> cpu = new HashMap<>();
  private final AtomicLong now = new AtomicLong();

  private RunMeter meter(long serverPid) {
    return new RunMeter(serverPid, SELF, pid -> cpu.getOrDefault(pid, -1L), now::get);
  }

  @Test
  void cpuIsInPercentOfOneCoreOverTheWindow() {
    RunMeter m = meter(SERVER);
    cpu.put(SELF, 1_000_000_000L);
    cpu.put(SERVER, 5_000_000_000L);
    now.set(10_000_000_000L);
    m.markStart();
    cpu.put(SELF, 1_500_000_000L); // 0.5 s in 2 s
    cpu.put(SERVER, 8_000_000_000L); // 3 s in 2 s: more than one core
    now.addAndGet(2_000_000_000L);
    Result r = new Result("x");
    m.markEnd(r);
    assertThat(r.metrics())
        .containsEntry("bench_cpu_pct", 25.0)
        .containsEntry("server_cpu_pct", 150.0);
    assertThat(m.ended()).isTrue();
    m.markStart();
    assertThat(m.ended()).isFalse();
  }

  @Test
  void serverCpuPerMessageIsTheWindowsServerCpuOverTheMessagesDelivered() {
    RunMeter m = meter(SERVER);
    cpu.put(SELF, 0L);
    cpu.put(SERVER, 1_000_000_000L);
    m.markStart();
    Result early = new Result("x");
    m.recordServerCpuPerMessage(early, 1000); // not ended: nothing
    assertThat(early.metrics()).doesNotContainKey("server_cpu_us_per_msg");
    cpu.put(SERVER, 1_500_000_000L); // 0.5 s of server CPU
    now.addAndGet(1_000_000_000L);
    Result r = new Result("x");
    m.markEnd(r);
    m.recordServerCpuPerMessage(r, 20_000);
    assertThat(r.metrics()).containsEntry("server_cpu_us_per_msg", 25.0);
    Result none = new Result("x");
    m.recordServerCpuPerMessage(none, 0);
    assertThat(none.metrics()).doesNotContainKey("server_cpu_us_per_msg");
  }

  @Test
  void onlyTheBenchWhenTheServerIsUnknown() {
    RunMeter m = meter(-1);
    cpu.put(SELF, 0L);
    m.markStart();
    now.addAndGet(1_000_000_000L);
    cpu.put(SELF, 100_000_000L);
    Result r = new Result("x");
    m.markEnd(r);
    assertThat(r.metrics()).containsOnlyKeys("bench_cpu_pct").containsEntry("bench_cpu_pct", 10.0);
    assertThat(m.knowsServer()).isFalse();
    assertThat(m.serverRssBytes()).isEqualTo(-1);
    assertThat(m.serverLiveHeapBytes()).isEqualTo(-1);
    m.recordServerRss(r);
    assertThat(r.metrics()).doesNotContainKey("server_rss_mib");
  }

  @Test
  void nothingWhenCpuTimeCannotBeRead() {
    RunMeter m = meter(SERVER);
    m.markStart();
    now.addAndGet(1_000_000_000L);
    Result r = new Result("x");
    m.markEnd(r);
    assertThat(r.metrics()).isEmpty();
  }

  @Test
  void aGivenPidInsideTheBenchIsNotedAndMeasured() {
    Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")));
    Result r = new Result("x");
    RunMeter m = RunMeter.forServer(ProcStats.selfPid(), 1, r);
    assertThat(m.serverPid()).isEqualTo(ProcStats.selfPid());
    assertThat(r.notes())
        .containsExactly("server runs inside the bench process: CPU and RSS figures cover both");
    m.recordServerRss(r);
    assertThat(r.get("server_rss_mib")).isPositive();
  }

  @Test
  void aServerNotFoundOnThePortIsNoted() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Result r = new Result("x");
    RunMeter m = RunMeter.forServer(null, port, r);
    assertThat(m.serverPid()).isEqualTo(-1);
    assertThat(r.notes())
        .containsExactly(
            "server pid not found from port " + port + "; give --server-pid for its CPU and RSS");
  }

  @Test
  void theEnvironmentNamesTheJvmAndTheBench() {
    Result r = new Result("x");
    RunMeter.recordEnvironment(r);
    RunMeter.forServer(ProcStats.selfPid(), 1, r);
    @SuppressWarnings("unchecked")
    Map<String, Object> env = (Map<String, Object>) r.tree().get("environment");
    assertThat(env.keySet())
        .containsExactly(
            "jvm",
            "os",
            "cores",
            "bench_pid",
            "bench_max_open_files",
            "server_pid",
            "server_max_open_files");
  }
}
