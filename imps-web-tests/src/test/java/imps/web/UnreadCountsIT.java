package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.SendMessage;
import imps.testsupport.FrameClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Unread counts kept by the server (UNREAD, PROTOCOL.md 8.8): the count beside a friend survives a
 * reload and shows the same in another browser, and reading the chat in one clears it for the
 * others.
 */
class UnreadCountsIT extends ServerPerClass {
  private static final AtomicInteger NAMES = new AtomicInteger();

  /** The unread count beside {@code friend} in the friend list; 0 when none shows. */
  private static int unread(WebApp app, String friend) {
    List<org.openqa.selenium.WebElement> badge =
        app.findAll("#friend-list li[data-friend=" + WebApp.quoted(friend) + "] .unread");
    return badge.isEmpty() ? 0 : Integer.parseInt(badge.get(0).getText());
  }

  private static void awaitUnread(WebApp app, String friend, int count) {
    app.await(count + " unread from " + friend, d -> unread(app, friend) == count);
  }

  private static void text(FrameClient tcp, String from, String to, String text) throws Exception {
    tcp.send(new SendMessage(from, to, text));
    tcp.awaitMatching(
        ErrorResponse.class,
        e -> e.equals(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_SEND_MSG)));
  }

  @Test
  void unreadCountsSurviveAReloadAndFollowTheUserToAnotherBrowser() throws Exception {
    String me = "读" + NAMES.incrementAndGet();
    String sender = "sender" + NAMES.incrementAndGet();
    try (WebApp a = WebApp.open(server);
        FrameClient tcp = FrameClient.connect(server.tcpPort())) {
      TcpUser.befriend(a, me, tcp, sender, Gender.MALE);
      a.awaitFriendStatus(sender, "online");

      for (String t : List.of("一条", "两条 🙂", "三条")) {
        text(tcp, sender, me, t);
      }
      awaitUnread(a, sender, 3);
      a.screenshot("unread");

      // A reload: the count comes from the server, not from the tab's memory.
      a.driver.navigate().refresh();
      a.awaitMainScreen(me);
      a.awaitFriendStatus(sender, "online");
      awaitUnread(a, sender, 3);

      // Another browser of the same user (this one is signed out): the same count; reading the
      // chat there clears it.
      try (WebApp b = WebApp.open(server)) {
        b.login(me);
        b.awaitFriendStatus(sender, "online");
        awaitUnread(b, sender, 3);
        b.openChat(sender);
        b.awaitMessage("三条");
        awaitUnread(b, sender, 0);
        b.logout();
        assertThat(b.consoleProblems()).isEmpty();
      }

      // Back in the first browser: nothing unread, it was read elsewhere.
      a.await("the login screen", d -> !a.findAll("#auth-form").isEmpty());
      a.login(me);
      a.awaitFriendStatus(sender, "online");
      text(tcp, sender, me, "四条");
      awaitUnread(a, sender, 1);
      a.driver.navigate().refresh();
      a.awaitMainScreen(me);
      awaitUnread(a, sender, 1);

      // Read here: it stays read after a reload.
      a.openChat(sender);
      a.awaitMessage("四条");
      awaitUnread(a, sender, 0);
      a.driver.navigate().refresh();
      a.awaitMainScreen(me);
      a.awaitFriendStatus(sender, "online");
      // A reload selects no chat: the next message makes one unread, not two.
      text(tcp, sender, me, "五条");
      awaitUnread(a, sender, 1);
      assertThat(a.consoleProblems()).isEmpty();
    }
  }
}
