package imps.server.message;

import static imps.server.ImpsServerExtension.PASSWORD;
import static imps.server.ImpsServerExtension.expectStatus;
import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Presence;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyRequest;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Section 7.6: text messages and voice clips, online and offline. */
class MessagingIT {
  private static final DateTimeFormatter WIRE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  @RegisterExtension static final ImpsServerExtension server = ImpsServerExtension.withDefaults();

  @Test
  void messageToOnlineFriendIsAckedAndPushedWithServerTime() throws IOException {
    LoggedInFriends f = server.friends("ma", "mb");
    String text = "hi 你好 😀";
    f.ca().send(new SendMessage(f.a(), f.b(), text));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    MessagePush push = f.cb().expect(MessagePush.class);
    assertThat(push.friendName()).isEqualTo(f.a());
    assertThat(push.message()).isEqualTo(text);
    LocalDateTime at = LocalDateTime.parse(push.datetime(), WIRE);
    assertThat(Duration.between(at, LocalDateTime.now(ZoneOffset.UTC)).abs())
        .isLessThan(Duration.ofMinutes(1));
  }

  /**
   * A legacy client that closes right after reading a push has it (decision 28), so friends see it
   * go offline only once that delivery is on record: a login right after, here or on another node,
   * must not bring the message again.
   */
  @Test
  void friendsSeeALegacyClientGoOfflineOnlyOnceWhatItReadIsOnRecord() throws IOException {
    for (int round = 0; round < 5; round++) {
      LoggedInFriends f = server.friends("mo", "mp");
      f.ca().send(new SendMessage(f.a(), f.b(), "read, then gone"));
      f.ca().expectError(0, CommandType.C_SEND_MSG);
      f.cb().expect(MessagePush.class);
      f.cb().close();
      expectStatus(f.ca(), f.b(), Presence.OFFLINE);
      long b = server.store().accounts().findByKey(f.b().toLowerCase()).orElseThrow().id();
      assertThat(server.store().messages().undelivered(b, 0, 10, 1 << 20)).isEmpty();
    }
  }

  @Test
  void messagesToOfflineFriendArriveAtLoginInOrderWithOriginalTimes() throws IOException {
    LoggedInFriends f = server.friends("ma", "mb");
    f.cb().close();
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    for (int i = 0; i < 50; i++) {
      f.ca().send(new SendMessage(f.a(), f.b(), "m" + i));
    }
    for (int i = 0; i < 50; i++) {
      f.ca().expectError(0, CommandType.C_SEND_MSG);
    }
    byte[] clip = new byte[60 * 1024];
    new Random(7).nextBytes(clip);
    f.ca().send(new AudioRequest(f.b(), ClipBytes.copyOf(clip), "2020-01-01 00:00:00"));
    f.ca().expectError(0, CommandType.C_AUDIO_REQ);

    FrameClient cb2 = server.login(f.b());
    for (int i = 0; i < 50; i++) {
      MessagePush p = cb2.expect(MessagePush.class);
      assertThat(p.message()).isEqualTo("m" + i);
      assertThat(p.friendName()).isEqualTo(f.a());
    }
    AudioPush audio = cb2.expect(AudioPush.class);
    assertThat(audio.data().toByteArray()).isEqualTo(clip);
    assertThat(audio.datetime()).isNotEqualTo("2020-01-01 00:00:00");
    expectStatus(f.ca(), f.b(), Presence.ONLINE);
    // Delivered exactly once.
    cb2.close();
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    FrameClient cb3 = server.login(f.b());
    cb3.expectSilence(Duration.ofMillis(500));
  }

  @Test
  void backlogIsWrittenBeforeTheNextReply() throws IOException {
    LoggedInFriends f = server.friends("ma", "mb");
    f.cb().close();
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    for (int i = 0; i < 20; i++) {
      f.ca().send(new SendMessage(f.a(), f.b(), "w" + i));
      f.ca().expectError(0, CommandType.C_SEND_MSG);
    }
    FrameClient cb2 = server.connect();
    cb2.send(new imps.protocol.message.LoginRequest(f.b(), PASSWORD));
    cb2.send(new imps.protocol.message.HeartbeatRequest(f.b(), java.util.List.of()));
    cb2.expect(imps.protocol.message.LoginResponse.class);
    for (int i = 0; i < 20; i++) {
      assertThat(cb2.expect(MessagePush.class).message()).isEqualTo("w" + i);
    }
    cb2.expect(imps.protocol.message.HeartbeatResponse.INSTANCE);
  }

  @Test
  void invisibleFriendStillReceivesMessages() throws IOException {
    LoggedInFriends f = server.friends("ma", "mb");
    f.cb().send(new StatusNotifyRequest(f.b(), Presence.INVISIBLE));
    f.cb().expectError(0, CommandType.C_STATUS_NOTIFY);
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    f.ca().send(new SendMessage(f.a(), f.b(), "psst"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    assertThat(f.cb().expect(MessagePush.class).message()).isEqualTo("psst");
  }

  @Test
  void audioToOnlineFriendArrivesUnchanged() throws IOException {
    LoggedInFriends f = server.friends("ma", "mb");
    byte[] clip = {0, 1, 2, (byte) 0xff, 'O', 'K'};
    f.ca().send(new AudioRequest(f.b(), ClipBytes.copyOf(clip), "whenever"));
    f.ca().expectError(0, CommandType.C_AUDIO_REQ);
    AudioPush p = f.cb().expect(AudioPush.class);
    assertThat(p.friendName()).isEqualTo(f.a());
    assertThat(p.data().toByteArray()).isEqualTo(clip);
  }

  @Test
  void refusals() throws IOException {
    String a = uniqueName("ma");
    String stranger = uniqueName("ms");
    FrameClient ca = server.newUser(a);
    server.register(stranger);
    ca.send(new SendMessage(a, stranger, "hello"));
    ca.expectError(9, CommandType.C_SEND_MSG);
    ca.send(new AudioRequest(stranger, ClipBytes.copyOf(new byte[] {1}), ""));
    ca.expectError(9, CommandType.C_AUDIO_REQ);
    ca.send(new SendMessage(a, "no-such-user-m", "hello"));
    ca.expectError(2, CommandType.C_SEND_MSG);
    ca.send(new AudioRequest("no-such-user-m", ClipBytes.copyOf(new byte[] {1}), ""));
    ca.expectError(2, CommandType.C_AUDIO_REQ);
    ca.send(new SendMessage(a, stranger, ""));
    ca.expectError(8, CommandType.C_SEND_MSG);
    ca.send(new SendMessage(a, stranger, "x".repeat(4097)));
    ca.expectError(8, CommandType.C_SEND_MSG);
    ca.send(new AudioRequest(stranger, ClipBytes.copyOf(new byte[0]), ""));
    ca.expectError(8, CommandType.C_AUDIO_REQ);
    ca.send(new AudioRequest(stranger, ClipBytes.copyOf(new byte[60 * 1024 + 1]), ""));
    ca.expectError(8, CommandType.C_AUDIO_REQ);
    ca.send(new SendMessage(stranger, a, "spoof"));
    ca.expectError(3, CommandType.C_SEND_MSG);
  }

  @Test
  void longestMessageIsAccepted() throws IOException {
    LoggedInFriends f = server.friends("ma", "mb");
    String text = "好".repeat(4096);
    f.ca().send(new SendMessage(f.a(), f.b(), text));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    assertThat(f.cb().expect(MessagePush.class).message()).isEqualTo(text);
  }

  @Test
  void liveMessagesDuringLoginBacklogKeepOrder() throws IOException {
    LoggedInFriends f = server.friends("ma", "mb");
    f.cb().close();
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    for (int i = 0; i < 300; i++) {
      f.ca().send(new SendMessage(f.a(), f.b(), "n" + i));
    }
    for (int i = 0; i < 300; i++) {
      f.ca().expectError(0, CommandType.C_SEND_MSG);
    }
    // Keep sending while b logs in; b must see 0..599 in order, each once.
    FrameClient cb2 = server.connect();
    cb2.send(new imps.protocol.message.LoginRequest(f.b(), PASSWORD));
    for (int i = 300; i < 600; i++) {
      f.ca().send(new SendMessage(f.a(), f.b(), "n" + i));
    }
    cb2.expect(imps.protocol.message.LoginResponse.class);
    for (int i = 0; i < 600; i++) {
      MessagePush p = cb2.expect(MessagePush.class);
      assertThat(p.message()).isEqualTo("n" + i);
    }
    cb2.expectSilence(Duration.ofMillis(300));
  }
}
