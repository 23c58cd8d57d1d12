package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.protocol.message.SendMessage;
import imps.testsupport.FrameClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Section 7.1 durability: 200 messages acknowledged to an offline friend survive a SIGKILL of the
 * server process and arrive after a restart on the same data directory, in order, once.
 */
class DurabilityIT {
  private static final Pattern LISTENING = Pattern.compile("listening on [^ ]+:(\\d+) ");

  @Test
  void acknowledgedMessagesSurviveKillNine() throws Exception {
    Path data = Files.createTempDirectory("imps-durable");
    ServerProcess first = ServerProcess.start(data);
    try {
      try (FrameClient c = FrameClient.connect(first.port)) {
        for (String n : List.of("dura", "durb")) {
          c.send(new RegisterRequest(n, ServerFixture.PASSWORD, 0, ""));
          c.expect(new RegisterResponse(1));
        }
      }
      FrameClient a = loginTo(first.port, "dura");
      FrameClient b = loginTo(first.port, "durb");
      ServerFixture.befriend(a, "dura", b, "durb");
      b.close();
      a.awaitMatching(imps.protocol.message.StatusNotifyPush.class, p -> p.status() == 0);
      for (int i = 0; i < 200; i++) {
        a.send(new SendMessage("dura", "durb", "msg-" + i));
      }
      for (int i = 0; i < 200; i++) {
        a.expectError(0, CommandType.C_SEND_MSG);
      }
      first.kill9();
      a.close();
    } finally {
      first.kill9();
    }

    ServerProcess second = ServerProcess.start(data);
    try {
      FrameClient b = loginTo(second.port, "durb");
      for (int i = 0; i < 200; i++) {
        MessagePush p = b.expect(MessagePush.class);
        assertThat(p.friendName()).isEqualTo("dura");
        assertThat(p.message()).isEqualTo("msg-" + i);
      }
      b.expectSilence(Duration.ofMillis(500));
      b.close();
    } finally {
      second.kill9();
    }
  }

  private static FrameClient loginTo(int port, String name) throws IOException {
    FrameClient c = FrameClient.connect(port);
    c.send(new LoginRequest(name, ServerFixture.PASSWORD));
    c.expect(LoginResponse.class);
    return c;
  }

  /** The server as a separate JVM, as a user runs it. */
  private static final class ServerProcess {
    final Process process;
    final int port;

    private ServerProcess(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static ServerProcess start(Path data) throws IOException, InterruptedException {
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  "-DIMPS_LOG_LEVEL=INFO",
                  Main.class.getName(),
                  "--host",
                  "127.0.0.1",
                  "--port",
                  "0",
                  "--data-dir",
                  data.toString(),
                  "--set",
                  "password.memory-kib=64",
                  "--set",
                  "password.iterations=1")
              .redirectErrorStream(true);
      pb.environment().put("IMPS_LOG_LEVEL", "INFO");
      Process p = pb.start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      StringBuilder seen = new StringBuilder();
      String line;
      while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
        seen.append(line).append('\n');
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "server-output");
          drain.setDaemon(true);
          drain.start();
          return new ServerProcess(p, Integer.parseInt(m.group(1)));
        }
      }
      p.destroyForcibly();
      throw new AssertionError("server did not start:\n" + seen);
    }

    void kill9() throws InterruptedException {
      // destroyForcibly is SIGKILL on Linux: no shutdown hook, no clean close.
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
