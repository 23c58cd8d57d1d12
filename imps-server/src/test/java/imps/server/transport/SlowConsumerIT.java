package imps.server.transport;

import static imps.server.ImpsServerExtension.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Presence;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.StatusNotifyPush;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A recipient that never reads cannot make the server buffer without limit: it is disconnected, and
 * what it missed arrives, in order, at its next login.
 */
class SlowConsumerIT {
  /** A fresh server for each test: each leaves a large backlog behind. */
  @RegisterExtension final ImpsServerExtension server = ImpsServerExtension.withDefaults();

  @Test
  void largeLoginBacklogFlowsToASlowReaderWithoutBeingDropped() throws IOException {
    LoggedInFriends f = server.friends("sa", "sb");
    f.cb().close();
    f.ca().awaitMatching(StatusNotifyPush.class, p -> p.status() == Presence.OFFLINE);
    int clips = 300; // about 18 MB, more than the 8 MiB that would drop a live reader
    byte[] clip = new byte[60 * 1024];
    for (int i = 0; i < clips; i++) {
      ByteBuffer.wrap(clip).putInt(0, i);
      f.ca().send(new AudioRequest(f.b(), ClipBytes.copyOf(clip), ""));
      f.ca().expectError(0, CommandType.C_AUDIO_REQ);
    }
    FrameClient cb2 = server.connect();
    // A small window (but not so small that 18 MB crawl past the idle timeout).
    cb2.socket().setReceiveBufferSize(64 * 1024);
    cb2.send(new LoginRequest(f.b(), PASSWORD));
    cb2.expect(LoginResponse.class);
    for (int i = 0; i < clips; i++) {
      if (i % 50 == 0) {
        sleep(200); // read slowly
      }
      assertThat(cb2.expect(AudioPush.class).data().asReadOnlyBuffer().getInt(0)).isEqualTo(i);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void nonReadingRecipientIsDroppedAndLosesNothing() throws IOException {
    LoggedInFriends f = server.friends("sa", "sb");
    // b stops reading: shrink its receive buffer so the server's side fills quickly.
    f.cb().socket().setReceiveBufferSize(4096);

    int clips = 400;
    byte[] clip = new byte[60 * 1024];
    for (int i = 0; i < clips; i++) {
      ByteBuffer.wrap(clip).putInt(0, i);
      f.ca().send(new AudioRequest(f.b(), ClipBytes.copyOf(clip), ""));
    }
    boolean sawOffline = false;
    int acks = 0;
    while (acks < clips || !sawOffline) {
      Object o = f.ca().next(Duration.ofSeconds(30));
      if (o instanceof StatusNotifyPush p) {
        assertThat(p).isEqualTo(new StatusNotifyPush(f.b(), Presence.OFFLINE));
        sawOffline = true;
      } else {
        assertThat(o)
            .isEqualTo(
                imps.protocol.message.ErrorResponse.of(
                    imps.protocol.ErrorCode.SUCCESS, CommandType.C_AUDIO_REQ));
        acks++;
      }
    }
    f.cb().close();

    FrameClient cb2 = server.connect();
    cb2.send(new LoginRequest(f.b(), PASSWORD));
    cb2.expect(LoginResponse.class);
    // b's kernel never acknowledged all of the first clip (b read nothing, its window closed), so
    // nothing counts as delivered (finding H1): every clip comes again, in order.
    for (int i = 0; i < clips; i++) {
      assertThat(cb2.expect(AudioPush.class).data().asReadOnlyBuffer().getInt(0)).isEqualTo(i);
    }
  }
}
