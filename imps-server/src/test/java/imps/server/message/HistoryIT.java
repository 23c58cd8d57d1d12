package imps.server.message;

import static imps.server.ImpsServerExtension.expectStatus;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.HistoryPage;
import imps.protocol.message.HistoryRequest;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** C_HISTORY over TCP (docs/PROTOCOL.md 8.6): pages of a conversation, both directions. */
class HistoryIT {
  @RegisterExtension static final ImpsServerExtension server = ImpsServerExtension.withDefaults();

  /** Sends a text from {@code c} to {@code to}, who is online on {@code at}. */
  private static void text(FrameClient c, String from, String to, FrameClient at, String text)
      throws IOException {
    c.send(new SendMessage(from, to, text));
    c.expectError(0, CommandType.C_SEND_MSG);
    assertThat(at.expect(MessagePush.class).message()).isEqualTo(text);
  }

  @Test
  void pagesTheConversationBothWaysNewestFirstThenForwardFromAPoint() throws IOException {
    LoggedInFriends f = server.friends("hia", "hib");
    text(f.ca(), f.a(), f.b(), f.cb(), "a1");
    text(f.cb(), f.b(), f.a(), f.ca(), "b1");
    f.cb().send(new AudioRequest(f.a(), ClipBytes.copyOf(new byte[] {1, 2, 3}), "t"));
    f.cb().expectError(0, CommandType.C_AUDIO_REQ);
    f.ca().expect(AudioPush.class);
    text(f.ca(), f.a(), f.b(), f.cb(), "a2");
    f.ca().close();
    expectStatus(f.cb(), f.a(), Presence.OFFLINE);
    FrameClient a = server.optIn(f.a(), Set.of(Feature.HISTORY));
    expectStatus(f.cb(), f.a(), Presence.ONLINE);

    a.send(new HistoryRequest(f.b(), 0, false, 2));
    HistoryPage p1 = a.expect(HistoryPage.class);
    assertThat(p1.peer()).isEqualTo(f.b());
    assertThat(p1.more()).isTrue();
    assertThat(p1.entries()).extracting(HistoryPage.Entry::text).containsExactly("a2", null);
    assertThat(p1.entries()).extracting(HistoryPage.Entry::outgoing).containsExactly(true, false);
    assertThat(p1.entries().get(1).clip()).isEqualTo(ClipBytes.copyOf(new byte[] {1, 2, 3}));

    a.send(new HistoryRequest(f.b(), p1.entries().get(1).id(), false, 2));
    HistoryPage p2 = a.expect(HistoryPage.class);
    assertThat(p2.more()).isFalse();
    assertThat(p2.entries()).extracting(HistoryPage.Entry::text).containsExactly("b1", "a1");

    // Forward from the oldest: the rest, oldest first; a message that arrives meanwhile follows.
    text(f.cb(), f.b(), f.a(), a, "b2");
    a.send(new HistoryRequest(f.b(), p2.entries().get(1).id(), true, 0));
    HistoryPage forward = a.expect(HistoryPage.class);
    assertThat(forward.more()).isFalse();
    List<String> texts = new ArrayList<>();
    forward.entries().forEach(e -> texts.add(e.isClip() ? "clip" : e.text()));
    assertThat(texts).containsExactly("b1", "clip", "a2", "b2");
  }

  @Test
  void aPageOfClipsFitsOneFrame() throws IOException {
    LoggedInFriends f = server.friends("hca", "hcb");
    byte[] clip = new byte[server.config().maxAudioBytes()];
    clip[0] = 9;
    f.cb().close();
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    for (int i = 0; i < 3; i++) {
      f.ca().send(new AudioRequest(f.b(), ClipBytes.copyOf(clip), "t"));
      f.ca().expectError(0, CommandType.C_AUDIO_REQ);
    }
    FrameClient b = server.optIn(f.b(), Set.of(Feature.HISTORY));
    for (int i = 0; i < 3; i++) {
      b.expect(AudioPush.class); // the backlog
    }
    List<Long> ids = new ArrayList<>();
    long from = 0;
    boolean more = true;
    while (more) {
      b.send(new HistoryRequest(f.a(), from, false, 100));
      HistoryPage p = b.expect(HistoryPage.class);
      assertThat(p.entries()).hasSize(1);
      assertThat(p.entries().get(0).clip()).isEqualTo(ClipBytes.copyOf(clip));
      from = p.entries().get(0).id();
      ids.add(from);
      more = p.more();
    }
    assertThat(ids).hasSize(3).isSortedAccordingTo((x, y) -> Long.compare(y, x));
  }

  @Test
  void historyIsOptInAndNeedsAnExistingPeer() throws IOException {
    LoggedInFriends f = server.friends("hna", "hnb");
    f.ca().send(new HistoryRequest(f.b(), 0, false, 10));
    f.ca().expectError(3, CommandType.C_HISTORY);
    f.cb().close();
    FrameClient b = server.optIn(f.b(), Set.of(Feature.HISTORY));
    b.send(new HistoryRequest("nobody" + System.nanoTime() % 100000, 0, false, 10));
    b.expectError(2, CommandType.C_HISTORY);
    // No messages yet: an empty page.
    b.send(new HistoryRequest(f.a(), 0, false, 10));
    assertThat(b.expect(HistoryPage.class)).isEqualTo(new HistoryPage(f.a(), false, List.of()));
  }
}
