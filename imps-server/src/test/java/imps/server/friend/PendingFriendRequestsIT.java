package imps.server.friend;

import static imps.server.ImpsServerExtension.uniqueName;

import imps.protocol.CommandType;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.FriendRequestPush;
import imps.server.ImpsServerExtension;
import imps.server.config.ServerConfig.Key;
import imps.testsupport.FrameClient;
import imps.testsupport.MutableClock;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding H5, friend-request spam: requests pending per sender and per recipient are capped
 * (past the cap error 10, nothing stored), and unanswered requests expire.
 */
class PendingFriendRequestsIT {
  private static final Duration QUIET = Duration.ofMillis(300);
  private final MutableClock clock = new MutableClock();

  @RegisterExtension
  final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
              b ->
                  b.set(Key.FRIEND_REQUESTS_PENDING_PER_SENDER, "2")
                      .set(Key.FRIEND_REQUESTS_PENDING_PER_RECIPIENT, "2")
                      .set(Key.FRIEND_REQUESTS_EXPIRY, "30d"))
          .withClock(clock);

  @Test
  void aSenderMayHaveOnlySoManyRequestsPending() throws IOException {
    String a = uniqueName("pa");
    String b = uniqueName("pb");
    String c = uniqueName("pc");
    String d = uniqueName("pd");
    server.register(b, c, d);
    FrameClient ca = server.newUser(a);
    for (String to : new String[] {b, c}) {
      ca.send(new AddFriendRequest(a, to));
      ca.expectError(0, CommandType.C_ADDFRIEND_REQ);
    }
    ca.send(new AddFriendRequest(a, d));
    ca.expectError(10, CommandType.C_ADDFRIEND_REQ);
    try (FrameClient cd = server.login(d)) {
      cd.expectSilence(QUIET);
    }
  }

  @Test
  void aRecipientHasOnlySoManyRequestsWaiting() throws IOException {
    String z = uniqueName("pz");
    server.register(z);
    for (int i = 0; i < 3; i++) {
      String from = uniqueName("ps");
      FrameClient c = server.newUser(from);
      c.send(new AddFriendRequest(from, z));
      c.expectError(i < 2 ? 0 : 10, CommandType.C_ADDFRIEND_REQ);
    }
    try (FrameClient cz = server.login(z)) {
      cz.expect(FriendRequestPush.class);
      cz.expect(FriendRequestPush.class);
      cz.expectSilence(QUIET);
    }
  }

  @Test
  void unansweredRequestsExpire() throws IOException {
    String a = uniqueName("pa");
    String b = uniqueName("pb");
    server.register(b);
    FrameClient ca = server.newUser(a);
    ca.send(new AddFriendRequest(a, b));
    ca.expectError(0, CommandType.C_ADDFRIEND_REQ);
    clock.advance(Duration.ofDays(31));
    server.server().purgeFriends(clock);
    try (FrameClient cb = server.login(b)) {
      cb.expectSilence(QUIET);
    }
    // And the sender's allowance is free again.
    ca.send(new AddFriendRequest(a, b));
    ca.expectError(0, CommandType.C_ADDFRIEND_REQ);
  }
}
