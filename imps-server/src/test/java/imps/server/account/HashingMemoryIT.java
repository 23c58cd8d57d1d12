package imps.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Gender;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.server.ServerProcess;
import imps.testsupport.FrameClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review finding C4: concurrent Argon2 hashes at the default cost (about 20 MiB each) must fit the
 * launcher's fixed heap whatever the CPU count. The server runs as its own process with the
 * launcher's JVM options on a host that claims 32 CPUs, so an OutOfMemoryError shows as an exit;
 * its GC log shows how close it came (a full collection or an exhausted to-space means the heap was
 * all but full).
 */
class HashingMemoryIT {
  /** The launcher's heap and exit-on-OOM, on a host with 32 CPUs. */
  private static final List<String> LAUNCHER_JVM =
      List.of("-Xmx640m", "-XX:+ExitOnOutOfMemoryError", "-XX:ActiveProcessorCount=32", "-Xlog:gc");

  /** The default password cost (the test settings lower it). */
  private static final List<String> DEFAULT_COST =
      List.of("password.memory-kib=19456", "password.iterations=2");

  @TempDir Path data;

  @Test
  void fortySimultaneousLoginsOfUnknownUsersAtTheDefaultCostLeaveTheServerUp() throws Exception {
    ServerProcess server = ServerProcess.start(data, LAUNCHER_JVM, DEFAULT_COST);
    try {
      try (FrameClient c = FrameClient.connect(server.port())) {
        c.send(new RegisterRequest("known", "secret1", Gender.UNSPECIFIED, ""));
        c.expect(new RegisterResponse(true));
      }
      List<FrameClient> clients = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        clients.add(FrameClient.connectFrom(i % 2 == 0 ? "127.0.0.2" : "127.0.0.3", server.port()));
      }
      for (int i = 0; i < clients.size(); i++) {
        clients.get(i).send(new LoginRequest("nobody" + i, "secret1"));
      }
      for (FrameClient c : clients) {
        c.expectError(6, CommandType.C_LOGIN_REQ);
        c.close();
      }
      assertThat(server.isAlive()).as("server still running").isTrue();
      try (FrameClient c = FrameClient.connect(server.port())) {
        c.send(new LoginRequest("known", "secret1"));
        c.expect(LoginResponse.class);
      }
      assertThat(server.output())
          .as("GC log: the heap never filled up")
          .noneMatch(l -> l.contains("Pause Full") || l.contains("To-space exhausted"));
    } finally {
      int status = server.exitStatus(Duration.ZERO);
      server.kill9();
      assertThat(status).as("exit status (3 is an OutOfMemoryError)").isEqualTo(-1);
    }
  }

  @Test
  void aPasswordCostThatCannotFitTheHeapStopsTheServerAtStart() throws Exception {
    ServerProcess.Refusal r =
        ServerProcess.startRefused(
            data,
            List.of("-Xmx128m"),
            List.of(
                "password.memory-kib=19456", "password.iterations=2", "password.heap-percent=10"));
    assertThat(r.exitStatus()).isEqualTo(4);
    assertThat(r.output())
        .contains(
            "imps: cannot start: password.memory-kib=19456 does not fit the heap: one hash takes 19"
                + " MiB, more than password.heap-percent=10 of the 128 MiB heap (12 MiB)");
  }
}
