package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The lossless-delivery extension in the browser (PROTOCOL.md 8.3): a page reload or a dropped
 * connection neither loses nor repeats a message, and the sender sees its messages stored (✓),
 * delivered (✓✓) and read.
 */
class DeliveryIT extends ServerPerClass {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static void befriend(WebApp first, String a, WebApp second, String b) {
    first.register(a);
    second.register(b);
    first.addFriend(b);
    second.accept(a);
    first.awaitFriendStatus(b, "online");
  }

  /** Waits a moment in which a repeat would have arrived. */
  private static void settle() {
    pause(1500);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aMessageSentWhileTheRecipientReloadsArrivesExactlyOnce() {
    String a = "发" + NAMES.incrementAndGet();
    String b = "收" + NAMES.incrementAndGet();
    try (WebApp sender = WebApp.open(server);
        WebApp recipient = WebApp.open(server)) {
      befriend(sender, a, recipient, b);
      sender.openChat(b);
      recipient.openChat(a);
      sender.send("before the reload 📦");
      recipient.awaitMessage("before the reload 📦");

      // The recipient's tab leaves (its connection closes) and the sender writes meanwhile.
      recipient.driver.get("about:blank");
      sender.send("while you were away 🚪");
      recipient.driver.get(server.url());
      // No password typed: the tab resumes its session with the token it kept.
      recipient.awaitMainScreen(b);
      recipient.openChat(a);
      recipient.awaitMessage("while you were away 🚪");

      // A reload racing with a send.
      recipient.driver.executeScript("setTimeout(() => location.reload(), 0)");
      sender.submitMessage("during the reload 🔄");
      recipient.await(
          "the reloaded page",
          d ->
              "main"
                      .equals(
                          recipient.driver.executeScript(
                              "return document.readyState === 'complete' && document.body.dataset.screen"))
                  && recipient.find("#me-name").getText().equals(b));
      recipient.openChat(a);
      recipient.awaitMessage("during the reload 🔄");
      settle();

      assertThat(recipient.countMessages("before the reload 📦")).isEqualTo(1);
      assertThat(recipient.countMessages("while you were away 🚪")).isEqualTo(1);
      assertThat(recipient.countMessages("during the reload 🔄")).isEqualTo(1);
      assertThat(recipient.findAll("#messages li.message")).hasSize(3);
      recipient.screenshot("resumed-after-reload");
      assertThat(recipient.consoleProblems()).isEmpty();
      assertThat(sender.consoleProblems()).isEmpty();
    }
  }

  @Test
  void aMessageWrittenWhileTheServerIsDownGoesOnceWhenItIsBack() throws Exception {
    String a = "断" + NAMES.incrementAndGet();
    String b = "连" + NAMES.incrementAndGet();
    try (WebApp sender = WebApp.open(server);
        WebApp recipient = WebApp.open(server)) {
      befriend(sender, a, recipient, b);
      sender.openChat(b);
      recipient.openChat(a);

      server.stopForNow();
      try {
        sender.await("the drop", d -> sender.connection().equals("offline"));
        // Written after the tab's first tries to reconnect (0.25–0.5 s after the drop, then
        // 0.5–1 s later) have failed: the features the server granted still hold for the message.
        pause(2000);
        sender.submitMessage("written offline ✈️");
        sender.awaitMarkState("written offline ✈️", "sending");
      } finally {
        server.startAgain();
      }

      recipient.awaitMessage("written offline ✈️");
      sender.await(
          "the message confirmed", d -> !"sending".equals(sender.markState("written offline ✈️")));
      settle();
      assertThat(recipient.countMessages("written offline ✈️")).isEqualTo(1);
      assertThat(sender.markState("written offline ✈️")).isIn("sent", "delivered", "read");
      assertThat(sender.findAll("#messages li.message.mine")).hasSize(1);
    }
  }

  @Test
  void theSenderSeesItsMessageStoredDeliveredAndRead() {
    String a = "读" + NAMES.incrementAndGet();
    String b = "看" + NAMES.incrementAndGet();
    try (WebApp sender = WebApp.open(server);
        WebApp recipient = WebApp.open(server)) {
      befriend(sender, a, recipient, b);
      sender.openChat(b);
      // The recipient is online but has not opened the chat: delivered, not read.
      sender.send("did you get this? ✉️");
      sender.awaitMarkState("did you get this? ✉️", "delivered");
      assertThat(sender.find("#messages li.message.mine .mark").getText()).isEqualTo("✓✓");
      settle();
      assertThat(sender.markState("did you get this? ✉️")).isEqualTo("delivered");

      recipient.openChat(a);
      recipient.awaitMessage("did you get this? ✉️");
      sender.awaitMarkState("did you get this? ✉️", "read");
      assertThat(sender.find("#messages li.message.mine .mark").getText()).isEqualTo("✓✓ Read");
      sender.screenshot("read-marks");

      // The recipient, offline, gets a message later: stored (✓) until it comes back.
      recipient.logout();
      sender.awaitFriendStatus(b, "offline");
      sender.send("for later 🕰️");
      assertThat(sender.markState("for later 🕰️")).isEqualTo("sent");
      assertThat(sender.findAll("#messages li.message.mine .mark").get(1).getText()).isEqualTo("✓");
      recipient.login(b);
      sender.awaitMarkState("for later 🕰️", "delivered");
      assertThat(sender.consoleProblems()).isEmpty();
      assertThat(recipient.consoleProblems()).isEmpty();
    }
  }
}
