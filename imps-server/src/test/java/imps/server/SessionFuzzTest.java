package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.HeartbeatRequest;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the session state machine (Jazzer): any byte stream, in practice
 * decoded commands in any order (the seeds are the client frames of the test vectors, as alice,
 * whose password they carry), sent over TCP to a real server on SQLite. Without {@code JAZZER_FUZZ}
 * each seed in {@code SessionFuzzTestInputs/sessionStateMachine/} (and every crash ever found) runs
 * once inside {@code mvn verify}; with it, Jazzer mutates them (docs/SECURITY.md, "Fuzzing").
 *
 * <p>What must hold: no request fails with an unexpected error (nothing logged at ERROR by the
 * server), and the server keeps serving: afterwards a new connection still gets its reply.
 */
class SessionFuzzTest {
  private static ImpsServer server;
  private static Path dir;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("imps-fuzz");
    server = ImpsServer.start(ServerFixture.testConfig(dir).build());
    ServerFixture.registerOn(server.port(), "alice", "bob");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    TempDirs.delete(dir);
  }

  @FuzzTest(maxDuration = "1h")
  void sessionStateMachine(byte[] stream) throws IOException {
    // Jazzer's request-forgery detector stops any connection a fuzz test makes; this one's
    // connections to the server under test are the point, and go nowhere else.
    try (SilentCloseable toTheServer =
        BugDetectors.allowNetworkConnections((host, port) -> port == server.port())) {
      fuzzOnce(stream);
    }
  }

  private static void fuzzOnce(byte[] stream) throws IOException {
    List<String> errors;
    try (LogCapture log = LogCapture.atConfiguredLevels("imps")) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        s.setSoTimeout(150);
        OutputStream out = s.getOutputStream();
        try {
          out.write(stream);
          out.flush();
        } catch (IOException closedByServer) {
          // A framing error closes the connection: fine.
        }
        drain(s.getInputStream());
      }
      errors = log.errors();
    }
    assertThat(errors).as("errors logged for %d bytes", stream.length).isEmpty();
    // Still serving.
    try (FrameClient probe = FrameClient.connect(server.port())) {
      probe.send(new HeartbeatRequest("nobody", List.of()));
      assertThat(probe.next(Duration.ofSeconds(10)))
          .isEqualTo(ErrorResponse.of(ErrorCode.NOT_LOGGED_IN, CommandType.C_HEARTBEAT_REQ));
    }
  }

  /** Reads replies until the server closes or is quiet for a moment (3 s at most). */
  private static void drain(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    long deadline = System.nanoTime() + 3_000_000_000L;
    try {
      while (System.nanoTime() < deadline && in.read(buf) >= 0) {
        // replies and pushes: what matters is what the server logs
      }
    } catch (SocketTimeoutException quiet) {
      // done
    } catch (IOException reset) {
      // closed by the server
    }
  }
}
