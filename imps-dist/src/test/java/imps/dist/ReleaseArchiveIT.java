package imps.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imps.protocol.Gender;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.testsupport.FrameClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive that {@code mvn package} builds: unpacked into an empty directory, its
 * bin/imps starts the server with the shipped conf/imps.properties (no Maven, no checkout), a
 * client registers and logs in, bin/imps admin answers, and SIGTERM stops it with status 0. The
 * server logs JSON lines here (IMPS_LOG_FORMAT=json).
 */
class ReleaseArchiveIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("IMPS listening on [^ ]+:(\\d+) ");
  // JSON escapes '/' as "\/".
  private static final Pattern ADMIN =
      Pattern.compile("health check on http:\\\\?/\\\\?/[^:]+:(\\d+)");

  @TempDir Path dir;

  /** Unpacks the archive into the test's directory; its top directory, imps-VERSION. */
  private Path unpack() throws Exception {
    Path archive = Path.of(System.getProperty("imps.release.archive"));
    assertThat(archive).isRegularFile();
    run(List.of("tar", "-xzf", archive.toString(), "-C", dir.toString()));
    String top = archive.getFileName().toString().replace(".tar.gz", "");
    return dir.resolve(top);
  }

  /** The {@code key=value} lines of one section of a unit file (comments and blanks skipped). */
  private static Map<String, String> section(String unit, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    boolean in = false;
    for (String line : unit.lines().map(String::strip).toList()) {
      if (line.startsWith("[")) {
        in = line.equals("[" + name + "]");
      } else if (in && !line.isEmpty() && !line.startsWith("#")) {
        int eq = line.indexOf('=');
        assertThat(out.put(line.substring(0, eq), line.substring(eq + 1)))
            .as("set once: " + line)
            .isNull();
      }
    }
    return out;
  }

  /**
   * The shipped unit runs the server as its own user with systemd's hardening and restarts it on
   * failure, gives the drain its time, reloads with SIGHUP; and systemd itself finds nothing wrong
   * in it (systemd-analyze verify, where installed: no unknown key, no invalid value).
   */
  @Test
  void theSystemdUnitRunsTheServerAsItsOwnUserHardened() throws Exception {
    Path home = unpack();
    String unit = Files.readString(home.resolve("systemd/imps.service"));
    Map<String, String> service = section(unit, "Service");
    assertThat(service)
        .containsEntry("User", "imps")
        .containsEntry("Group", "imps")
        .containsEntry("Restart", "on-failure")
        .containsEntry("ExecReload", "/bin/kill -HUP $MAINPID")
        .containsEntry("KillSignal", "SIGTERM")
        .containsEntry("NoNewPrivileges", "true")
        .containsEntry("ProtectSystem", "strict")
        .containsEntry("ProtectHome", "true")
        .containsEntry("ReadWritePaths", "/var/lib/imps")
        .containsEntry("PrivateTmp", "true")
        .containsEntry("PrivateDevices", "true")
        .containsEntry("ProtectKernelTunables", "true")
        .containsEntry("ProtectKernelModules", "true")
        .containsEntry("ProtectControlGroups", "true")
        .containsEntry("RestrictSUIDSGID", "true")
        .containsEntry("LockPersonality", "true")
        .containsEntry("CapabilityBoundingSet", "")
        .containsEntry("AmbientCapabilities", "")
        .containsEntry("UMask", "0077");
    assertThat(service.get("ExecStart")).startsWith("/opt/imps/bin/imps server ");
    // More than drain-timeout (30 s), so that systemd does not SIGKILL a draining server.
    assertThat(Integer.parseInt(service.get("TimeoutStopSec"))).isGreaterThan(30);
    assertThat(Integer.parseInt(service.get("LimitNOFILE"))).isGreaterThan(100_000);
    assertThat(section(unit, "Install")).containsEntry("WantedBy", "multi-user.target");

    Path analyze = Path.of("/usr/bin/systemd-analyze");
    Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
    // Where the archive was unpacked instead of /opt/imps, so that ExecStart exists.
    Path copy = dir.resolve("imps.service");
    Files.writeString(copy, unit.replace("/opt/imps/", home + "/"));
    assertThat(run(List.of(analyze.toString(), "verify", copy.toString()))).isEmpty();
  }

  @Test
  void unpackedArchiveRunsTheServer() throws Exception {
    Path home = unpack();
    Path bin = home.resolve("bin/imps");
    assertThat(Files.getPosixFilePermissions(bin)).contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(home.resolve("systemd/imps.service")).isRegularFile();
    assertThat(Files.readString(home.resolve("conf/imps.properties")))
        .contains("#port = 7600")
        .contains("#drain-timeout = 30s")
        .contains("#admin.token = ")
        // The admin port is on as shipped, on loopback: bin/imps admin works out of the box.
        .contains("\nadmin.port = 7681\n");
    assertThat(Files.list(home.resolve("lib")).map(p -> p.getFileName().toString()))
        .anyMatch(n -> n.startsWith("imps-server-"))
        .anyMatch(n -> n.startsWith("netty-"));

    Path data = dir.resolve("data");
    ProcessBuilder pb =
        new ProcessBuilder(
                bin.toString(),
                "server",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--data-dir",
                data.toString(),
                "--set",
                "web.enabled=false",
                "--set",
                "admin.port=0",
                "--set",
                "password.memory-kib=64",
                "--set",
                "password.iterations=1")
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().put("IMPS_JAVA_OPTS", "-Xmx256m");
    pb.environment().put("IMPS_LOG_FORMAT", "json");
    Process server = pb.start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader =
          new Thread(
              () -> {
                try {
                  out.lines().forEach(lines::add);
                } catch (java.io.UncheckedIOException ended) {
                  // the process is gone
                }
              });
      reader.setDaemon(true);
      reader.start();
      int port = -1;
      int admin = -1;
      StringBuilder seen = new StringBuilder();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while ((port < 0 || admin < 0) && System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line == null) {
          continue;
        }
        seen.append(line).append('\n');
        JsonNode json = JSON.readTree(line);
        assertThat(json.isObject()).as("a JSON log line: " + line).isTrue();
        for (String field : List.of("timestamp", "level", "loggerName", "formattedMessage")) {
          assertThat(json.has(field)).as(field + " in " + line).isTrue();
        }
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
        Matcher a = ADMIN.matcher(line);
        if (a.find()) {
          admin = Integer.parseInt(a.group(1));
        }
      }
      assertThat(port).as(seen.toString()).isPositive();
      assertThat(admin).as(seen.toString()).isPositive();

      try (FrameClient c = FrameClient.connect(port)) {
        c.send(new RegisterRequest("rel", "secret1", Gender.UNSPECIFIED, ""));
        c.expect(new RegisterResponse(true));
        c.send(new LoginRequest("rel", "secret1"));
        c.expect(LoginResponse.class);
      }
      String stats =
          run(
              List.of(
                  bin.toString(),
                  "admin",
                  "--url",
                  "http://127.0.0.1:" + admin,
                  "--data-dir",
                  data.toString(),
                  "stats"));
      assertThat(stats).contains("\"users\" : 1");

      server.destroy(); // SIGTERM
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(server.exitValue()).isZero();
    } finally {
      server.destroyForcibly();
    }
  }

  private static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
