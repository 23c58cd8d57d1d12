package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Gender;
import imps.protocol.message.AddFriendResponse;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Voice clips recorded in the browser (Chromium's fake microphone plays a beep), sent, and played
 * back by the friend; a clip over the server's size limit is refused in words and not sent.
 */
class VoiceIT {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static void befriend(WebApp a, String aName, WebApp b, String bName) {
    a.register(aName);
    b.register(bName);
    a.addFriend(bName);
    b.accept(aName);
    a.openChat(bName);
    b.openChat(aName);
  }

  @Test
  void aRecordedClipReachesTheFriendAndCanBePlayed() throws Exception {
    Chromium.require();
    try (WebServer server = WebServer.start();
        WebApp a = WebApp.open(server);
        WebApp b = WebApp.open(server)) {
      String aName = "voice" + NAMES.incrementAndGet();
      String bName = "ear" + NAMES.incrementAndGet();
      befriend(a, aName, b, bName);

      a.find("#record-button").click();
      a.await("recording", d -> a.find("#record-button").getText().contains("Stop"));
      Thread.sleep(1500);
      a.find("#record-button").click();
      a.await(
          "the clip to be confirmed",
          // Stored by the server, and perhaps already delivered or read (receipts).
          d ->
              !a.findAll(
                      "li.message.mine.audio:is([data-state=sent],[data-state=delivered],"
                          + "[data-state=read])")
                  .isEmpty());

      b.await("the clip", d -> !b.findAll("li.message.theirs.audio audio.clip").isEmpty());
      b.await(
          "the clip to load",
          d ->
              ((Number)
                          b.driver.executeScript(
                              "return document.querySelector('li.message.theirs audio.clip').readyState"))
                      .intValue()
                  >= 1);
      b.screenshot("voice-clip");
      assertThat(a.consoleProblems()).isEmpty();
      assertThat(b.consoleProblems()).isEmpty();
    }
  }

  @Test
  void aClipOverTheLimitIsRefusedInWords() throws Exception {
    Chromium.require();
    String me = "long" + NAMES.incrementAndGet();
    String friend = "short" + NAMES.incrementAndGet();
    try (WebServer server = WebServer.start(b -> b.with(ServerConfig.Key.MAX_AUDIO_BYTES, 600));
        WebApp app = WebApp.open(server);
        FrameClient tcp = FrameClient.connect(server.tcpPort())) {
      TcpUser.befriend(app, me, tcp, friend, Gender.UNSPECIFIED);
      tcp.expect(AddFriendResponse.class);
      app.openChat(friend);

      // A 600-byte limit allows about a quarter of a second: recording stops by itself.
      app.find("#record-button").click();
      String error =
          app.await(
              "the refusal",
              d -> {
                String t = app.find("#chat-error").getText();
                return t.isBlank() ? null : t;
              });
      assertThat(error).contains("the limit is 1 KiB").contains("not sent");
      assertThat(app.findAll("li.message.audio")).isEmpty();
      tcp.expectSilence(java.time.Duration.ofMillis(500));
    }
  }
}
