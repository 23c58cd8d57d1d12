package imps.server.message;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Presence;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.server.config.ServerConfig.Key;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Decision 33: the undelivered-bytes quota counts what is stored, in bytes (the UTF-8 of a text),
 * not characters, so texts in scripts of three-byte characters or emoji use it up as fast as their
 * size on disk.
 */
class UndeliveredBytesQuotaIT {
  private static final int QUOTA = 65_536;

  @RegisterExtension
  final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
          b -> b.set(Key.QUOTA_UNDELIVERED_BYTES, Integer.toString(QUOTA)));

  @Test
  void multiByteTextsReachTheQuotaWhereTheirBytesSay() throws IOException {
    LoggedInFriends f = server.friends("ua", "ub");
    f.cb().close();
    ImpsServerExtension.expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    List<String> sent = new ArrayList<>();
    // Five texts of 4,096 CJK characters: 12,288 bytes each, 61,440 in all (20,480 characters).
    String cjk = "李".repeat(4096);
    for (int i = 0; i < 5; i++) {
      sent.add(cjk);
    }
    // 1,024 emoji: 4,096 bytes, which fills the quota exactly.
    String emoji = "\uD83D\uDE00".repeat(1024);
    sent.add(emoji);
    assertThat(sent.stream().mapToInt(t -> t.getBytes(StandardCharsets.UTF_8).length).sum())
        .isEqualTo(QUOTA);
    for (String text : sent) {
      f.ca().send(new SendMessage(f.a(), f.b(), text));
      f.ca().expectError(0, CommandType.C_SEND_MSG);
    }
    // One byte more does not fit.
    f.ca().send(new SendMessage(f.a(), f.b(), "a"));
    f.ca().expectError(10, CommandType.C_SEND_MSG);
    try (FrameClient cb = server.login(f.b())) {
      for (String text : sent) {
        assertThat(cb.expect(MessagePush.class).message()).isEqualTo(text);
      }
    }
  }
}
