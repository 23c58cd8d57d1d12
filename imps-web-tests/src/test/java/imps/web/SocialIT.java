package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Unfriend and block from the friend list (SOCIAL, PROTOCOL.md 8.5): both sides' lists change at
 * once, a block is listed and can be undone, and the blocked user is not told.
 */
class SocialIT extends ServerPerClass {
  private static final AtomicInteger NAMES = new AtomicInteger();

  /** Opens the friend's ⋯ actions, picks {@code action} (unfriend, block), and confirms it. */
  private static void friendAction(WebApp app, String friend, String action) {
    String li = "#friend-list li[data-friend=" + WebApp.quoted(friend) + "]";
    app.find(li + " .friend-more").click();
    app.find(li + " .friend-actions ." + action).click();
    app.await(
        "the question before " + action,
        d -> !app.findAll(li + " .friend-actions[data-confirm=" + action + "]").isEmpty());
    app.find(li + " .friend-actions .confirm").click();
  }

  private static void sleep(WebApp app, long millis) {
    app.await(
        "a quiet moment",
        d -> {
          try {
            Thread.sleep(millis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return true;
        });
  }

  @Test
  void unfriendAndBlockFromTheFriendList() {
    String a = "主" + NAMES.incrementAndGet();
    String b = "友" + NAMES.incrementAndGet();
    String c = "扰" + NAMES.incrementAndGet();
    try (WebApp first = WebApp.open(server);
        WebApp second = WebApp.open(server);
        WebApp third = WebApp.open(server)) {
      first.register(a);
      second.register(b);
      third.register(c);
      first.addFriend(b);
      second.accept(a);
      first.addFriend(c);
      third.accept(a);
      first.awaitFriendStatus(b, "online");
      first.awaitFriendStatus(c, "online");

      // Unfriend: gone from both lists at once (the other side gets S_FRIEND_REMOVED).
      String li = "#friend-list li[data-friend=" + WebApp.quoted(b) + "]";
      first.find(li + " .friend-more").click();
      first.find(li + " .friend-actions .unfriend").click();
      assertThat(first.find(li + " .confirm-text").getText())
          .isEqualTo("Unfriend " + b + "? Either of you can ask again later.");
      first.screenshot("unfriend-question");
      first.find(li + " .friend-actions .confirm").click();
      first.await(b + " gone from the list", d -> first.friendStatus(b) == null);
      second.await(a + " gone from the other list", d -> second.friendStatus(a) == null);
      assertThat(first.find("#notice > span").getText())
          .isEqualTo(b + " is no longer your friend.");

      // Block: gone from both lists, listed as blocked; the blocked user is not told.
      friendAction(first, c, "block");
      first.await(c + " gone from the list", d -> first.friendStatus(c) == null);
      third.await(a + " gone from the blocked user's list", d -> third.friendStatus(a) == null);
      String blocked = "#blocked li[data-blocked=" + WebApp.quoted(c) + "]";
      first.await(c + " listed as blocked", d -> !first.findAll(blocked).isEmpty());
      first.screenshot("blocked");
      // A friend request from the blocked user looks sent to them and never reaches me.
      assertThat(third.addFriend(a)).isEqualTo("Request sent to " + a + ".");
      sleep(first, 1500);
      assertThat(first.findAll("li[data-request=" + WebApp.quoted(c) + "]")).isEmpty();

      // The block list comes from the server: still there after a reload.
      first.driver.navigate().refresh();
      first.awaitMainScreen(a);
      first.await(c + " listed as blocked after a reload", d -> !first.findAll(blocked).isEmpty());

      // Unblocking lifts the block without making us friends again.
      first.find(blocked + " .unblock").click();
      first.await("the block list empty", d -> first.findAll("#blocked li").isEmpty());
      assertThat(first.friendStatus(c)).isNull();
      // Now a request does get through.
      third.addFriend(a);
      first.accept(c);
      first.awaitFriendStatus(c, "online");
      assertThat(first.consoleProblems()).isEmpty();
      assertThat(second.consoleProblems()).isEmpty();
      assertThat(third.consoleProblems()).isEmpty();
    }
  }
}
