package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Presence;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.testsupport.FrameClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Section 7.1 durability: 200 messages acknowledged to an offline friend survive a SIGKILL of the
 * server process and arrive after a restart on the same data directory, in order, once.
 */
class DurabilityIT {

  @TempDir Path data;

  @Test
  void acknowledgedMessagesSurviveKillNine() throws Exception {
    ServerProcess first = ServerProcess.start(data, List.of());
    try {
      ServerFixture.registerOn(first.port(), "dura", "durb");
      FrameClient a = ServerFixture.loginOn(first.port(), "dura");
      FrameClient b = ServerFixture.loginOn(first.port(), "durb");
      ServerFixture.befriend(a, "dura", b, "durb");
      b.close();
      a.awaitMatching(
          imps.protocol.message.StatusNotifyPush.class, p -> p.status() == Presence.OFFLINE);
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

    ServerProcess second = ServerProcess.start(data, List.of());
    try {
      FrameClient b = ServerFixture.loginOn(second.port(), "durb");
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
}
