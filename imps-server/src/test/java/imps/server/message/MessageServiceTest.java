package imps.server.message;

import static imps.server.ServiceFixture.START_TIME;
import static imps.server.ServiceFixture.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.ErrorCode;
import imps.protocol.Presence;
import imps.protocol.message.AudioPush;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.MessagePush;
import imps.server.ServiceFixture;
import imps.server.error.RequestException;
import imps.server.session.Session;
import imps.server.store.StoredMessage;
import imps.server.store.UserRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Texts and clips to friends (section 7.6), without a network. */
class MessageServiceTest {
  @TempDir Path dir;
  ServiceFixture services;
  MessageService messages;
  UserRecord alice;
  UserRecord bob;

  @BeforeEach
  void open() {
    services = new ServiceFixture(dir);
    messages = services.messages();
    alice = services.user("alice");
    bob = services.user("bob");
    services.befriend(alice, bob);
  }

  @AfterEach
  void close() {
    services.close();
  }

  private List<StoredMessage> undeliveredToBob() {
    services.awaitDeliveriesRecorded();
    return services.store().messages().undelivered(bob.id(), 0, 100, Long.MAX_VALUE);
  }

  private void text(String to, String text) {
    ServiceFixture.join(messages.sendText(alice.id(), alice.name(), to, text, 0, false));
  }

  private static void assertRefused(ErrorCode code, Executable call) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(RequestException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void aTextToAnOnlineFriendIsPushedWithTheServerTimeAndRecordedDelivered() {
    Session b = services.online(bob);
    text("bob", "hi 你好 😀");
    assertThat(take(b)).containsExactly(new MessagePush("alice", "hi 你好 😀", START_TIME));
    assertThat(undeliveredToBob()).isEmpty();
  }

  @Test
  void textsToAnOfflineFriendAreStoredInOrderWithTheTimeTheyWereAccepted() {
    text("bob", "first");
    services.clock().advance(Duration.ofMinutes(5));
    text("BOB", "second");
    assertThat(undeliveredToBob())
        .extracting(StoredMessage::senderName, StoredMessage::text, StoredMessage::acceptedAt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alice", "first", START_TIME),
            org.assertj.core.groups.Tuple.tuple("alice", "second", "2026-11-28 12:05:00"));
  }

  @Test
  void anInvisibleFriendStillReceivesTexts() {
    Session b = services.online(bob);
    b.setStatus(Presence.INVISIBLE);
    text("bob", "psst");
    assertThat(take(b)).containsExactly(new MessagePush("alice", "psst", START_TIME));
  }

  @Test
  void aClipIsPushedUnchangedWithTheServerTime() {
    Session b = services.online(bob);
    byte[] clip = {0, 1, 2, (byte) 0xff, 'O', 'K'};
    ServiceFixture.join(
        messages.sendAudio(alice.id(), alice.name(), "bob", ClipBytes.copyOf(clip), 0, false));
    assertThat(take(b)).containsExactly(new AudioPush("alice", ClipBytes.copyOf(clip), START_TIME));
  }

  @Test
  void theLongestTextAndClipAreAccepted() {
    text("bob", "好".repeat(ServiceFixture.MAX_MESSAGE_CHARS));
    ServiceFixture.join(
        messages.sendAudio(
            alice.id(),
            alice.name(),
            "bob",
            ClipBytes.copyOf(new byte[ServiceFixture.MAX_AUDIO_BYTES]),
            0,
            false));
    assertThat(undeliveredToBob()).hasSize(2);
  }

  @Test
  void invalidTextsAndClipsAreMalformedAndNotStored() {
    assertRefused(ErrorCode.MALFORMED, () -> text("bob", ""));
    assertRefused(
        ErrorCode.MALFORMED, () -> text("bob", "x".repeat(ServiceFixture.MAX_MESSAGE_CHARS + 1)));
    assertRefused(ErrorCode.MALFORMED, () -> text("bob", "nul\u0000inside"));
    assertRefused(
        ErrorCode.MALFORMED,
        () ->
            ServiceFixture.join(
                messages.sendAudio(
                    alice.id(), alice.name(), "bob", ClipBytes.copyOf(new byte[0]), 0, false)));
    assertRefused(
        ErrorCode.MALFORMED,
        () ->
            ServiceFixture.join(
                messages.sendAudio(
                    alice.id(),
                    alice.name(),
                    "bob",
                    ClipBytes.copyOf(new byte[ServiceFixture.MAX_AUDIO_BYTES + 1]),
                    0,
                    false)));
    assertThat(undeliveredToBob()).isEmpty();
  }

  @Test
  void emojiCountAsOneCharacterEach() {
    // 4096 emoji are 8192 UTF-16 units but 4096 characters: within the limit.
    text("bob", "😀".repeat(ServiceFixture.MAX_MESSAGE_CHARS));
    assertThat(undeliveredToBob()).hasSize(1);
  }

  @Test
  void onlyFriendsCanBeSentTo() {
    UserRecord stranger = services.user("stranger");
    Session s = services.online(stranger);
    assertRefused(ErrorCode.NOT_FRIENDS, () -> text("stranger", "hello"));
    assertRefused(
        ErrorCode.NOT_FRIENDS,
        () ->
            ServiceFixture.join(
                messages.sendAudio(
                    alice.id(),
                    alice.name(),
                    "stranger",
                    ClipBytes.copyOf(new byte[] {1}),
                    0,
                    false)));
    assertRefused(ErrorCode.NO_SUCH_USER, () -> text("nobody", "hello"));
    assertRefused(
        ErrorCode.NO_SUCH_USER,
        () ->
            ServiceFixture.join(
                messages.sendAudio(
                    alice.id(),
                    alice.name(),
                    "nobody",
                    ClipBytes.copyOf(new byte[] {1}),
                    0,
                    false)));
    assertThat(take(s)).isEmpty();
    assertThat(services.store().messages().undelivered(stranger.id(), 0, 10, Long.MAX_VALUE))
        .isEmpty();
  }

  @Test
  void aRefusalIsNotRememberedOnceThePairBecomeFriends() {
    UserRecord carol = services.user("carol");
    assertRefused(ErrorCode.NOT_FRIENDS, () -> text("carol", "too early"));
    services.befriend(carol, alice);
    text("carol", "now");
    assertThat(services.store().messages().undelivered(carol.id(), 0, 10, Long.MAX_VALUE))
        .extracting(StoredMessage::text)
        .containsExactly("now");
  }
}
