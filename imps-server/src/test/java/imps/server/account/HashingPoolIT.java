package imps.server.account;

import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.ErrorCode;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.LoginRequest;
import imps.server.ImpsServerExtension;
import imps.server.config.ServerConfig.Key;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding M9, the pool part: password hashes ran on the shared request workers, so a storm
 * of first logins (after a restart, or of unknown names) stalled every logged-in user's requests. A
 * slower hash and two workers make the effect plain.
 */
class HashingPoolIT {
  @RegisterExtension
  static final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
          b ->
              b.set(Key.WORKER_THREADS, "2")
                  .set(Key.PASSWORD_MEMORY_KIB, "8192")
                  .set(Key.PASSWORD_ITERATIONS, "4"));

  /** Two hashes may wait for a hashing thread. */
  @RegisterExtension
  static final ImpsServerExtension shortQueue =
      ImpsServerExtension.withSettings(
          b ->
              b.set(Key.PASSWORD_QUEUE, "2")
                  .set(Key.PASSWORD_MEMORY_KIB, "8192")
                  .set(Key.PASSWORD_ITERATIONS, "4"));

  @Test
  void aStormOfLoginsDoesNotStallLoggedInUsers() throws IOException {
    String me = uniqueName("busy");
    FrameClient mine = server.newUser(me);
    List<FrameClient> storm = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      storm.add(FrameClient.connectFrom("127.0.0.2", server.port()));
    }
    for (FrameClient c : storm) {
      c.send(new LoginRequest(uniqueName("storm"), "wrong-password"));
    }
    mine.send(new FriendListRequest(me));
    mine.expect(FriendListResponse.class);
    // Ordering rather than time, so that a slow or busy machine does not decide: with hashes on
    // the workers, the friend list waited behind every login of the storm (3 s for these 100 on
    // two cores); now it is answered while most of their hashes are still to run.
    int answeredBefore = 0;
    for (FrameClient c : storm) {
      if (c.socket().getInputStream().available() > 0) {
        answeredBefore++;
      }
    }
    for (FrameClient c : storm) {
      ErrorResponse e = c.expect(ErrorResponse.class);
      assertThat(e.code()).isIn(ErrorCode.BAD_CREDENTIALS, ErrorCode.TOO_MANY_REQUESTS);
      c.close();
    }
    assertThat(answeredBefore)
        .as("logins of the storm answered before the friend list")
        .isLessThan(50);
  }

  @Test
  void loginsBeyondTheHashingQueueGetErrorTenAtOnce() throws IOException {
    List<FrameClient> clients = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      clients.add(FrameClient.connectFrom("127.0.0.3", shortQueue.port()));
    }
    for (FrameClient c : clients) {
      c.send(new LoginRequest(uniqueName("queued"), "wrong-password"));
    }
    Map<ErrorCode, Integer> replies = new HashMap<>();
    for (FrameClient c : clients) {
      replies.merge(c.expect(ErrorResponse.class).code(), 1, Integer::sum);
      c.close();
    }
    assertThat(replies.keySet())
        .as("%s", replies)
        .containsExactlyInAnyOrder(ErrorCode.BAD_CREDENTIALS, ErrorCode.TOO_MANY_REQUESTS);
    // The server goes on: a registered user logs in.
    String name = uniqueName("after");
    shortQueue.register(name);
    shortQueue.login(name);
  }
}
