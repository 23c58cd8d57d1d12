package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The web client's session over a restart of the server and a login elsewhere: the browser
 * reconnects with backoff and logs in again by itself; a newer login signs the older window out.
 */
class SessionIT extends ServerPerClass {
  private static final AtomicInteger NAMES = new AtomicInteger();

  @Test
  void bothBrowsersReconnectAfterTheServerRestartsAndChatGoesOn() throws Exception {
    String a = "甲" + NAMES.incrementAndGet();
    String b = "乙" + NAMES.incrementAndGet();
    try (WebApp first = WebApp.open(server);
        WebApp second = WebApp.open(server)) {
      first.register(a);
      second.register(b);
      first.addFriend(b);
      second.accept(a);
      first.awaitFriendStatus(b, "online");
      first.openChat(b);
      first.send("before the restart 🔌");
      second.openChat(a);
      second.awaitMessage("before the restart 🔌");

      server.restart();

      first.await("the reconnect", d -> first.connection().equals("loggedIn"));
      second.await("the reconnect", d -> second.connection().equals("loggedIn"));
      assertThat(first.find("#notice").getText()).contains("Reconnected");
      first.awaitFriendStatus(b, "online");
      second.awaitFriendStatus(a, "online");
      first.send("after the restart ✅ 重新连接");
      second.awaitMessage("after the restart ✅ 重新连接");
      second.send("收到");
      first.awaitMessage("收到");
      second.screenshot("reconnected");
    }
  }

  @Test
  void aLoginElsewhereSignsTheOlderWindowOutForGood() {
    String name = "twice" + NAMES.incrementAndGet();
    try (WebApp older = WebApp.open(server);
        WebApp newer = WebApp.open(server)) {
      older.register(name);
      newer.login(name);
      older.await(
          "the older window to be signed out",
          d -> older.findAll("#auth-form").size() == 1 && older.connection().equals("offline"));
      assertThat(older.find("#auth-notice").getText())
          .isEqualTo("You logged in somewhere else, so this window was signed out.");
      // It does not log itself back in (which would sign the newer one out in turn).
      older.await(
          "a quiet moment",
          d -> {
            try {
              Thread.sleep(2000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return true;
          });
      assertThat(newer.connection()).isEqualTo("loggedIn");
      assertThat(older.connection()).isEqualTo("offline");
      assertThat(older.consoleProblems()).isEmpty();
    }
  }
}
