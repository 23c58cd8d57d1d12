package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * History paging (C_HISTORY, PROTOCOL.md 8.6): a chat opened in a fresh window shows the newest
 * messages from the server, scrolling up brings the older ones page by page until the start, and
 * nothing shows twice, neither across pages nor between history and messages arriving live.
 */
class HistoryIT extends ServerPerClass {
  private static final AtomicInteger NAMES = new AtomicInteger();

  /** The chat's entries as "me: text" / "them: text", top to bottom. */
  private static List<String> shown(WebApp app) {
    return app.findAll("#messages li.message").stream()
        .map(
            li ->
                (li.getAttribute("class").contains("mine") ? "me: " : "them: ")
                    + li.findElement(By.cssSelector(".text")).getText())
        .toList();
  }

  private static void scrollToTop(WebApp app) {
    app.driver.executeScript("document.getElementById('messages').scrollTop = 0");
  }

  @Test
  void scrollingUpPagesBackToTheStartWithoutRepeats() {
    String a = "史" + NAMES.incrementAndGet();
    String b = "记" + NAMES.incrementAndGet();
    try (WebApp first = WebApp.open(server);
        WebApp second = WebApp.open(server)) {
      first.register(a);
      second.register(b);
      first.addFriend(b);
      second.accept(a);
      first.openChat(b);
      second.openChat(a);
      // 45 messages both ways (the pages are 30), then the newest live from the other side.
      for (int i = 1; i <= 40; i++) {
        first.send("消息 " + i + " 📜");
      }
      second.awaitMessage("消息 40 📜");
      for (int i = 41; i <= 45; i++) {
        second.send("回复 " + i);
      }
      first.awaitMessage("回复 45");

      // A new window (nothing kept in it): the chat comes from the server's history.
      second.logout();
      second.login(b);
      second.openChat(a);
      second.await(
          "the newest page",
          d -> "more".equals(second.find("#history-edge").getAttribute("data-state")));
      List<String> newest = shown(second);
      assertThat(newest).hasSize(30);
      assertThat(newest.get(0)).isEqualTo("them: 消息 16 📜");
      assertThat(newest.get(29)).isEqualTo("me: 回复 45");
      second.screenshot("history-newest-page");

      scrollToTop(second);
      second.await(
          "the start of the conversation",
          d -> "start".equals(second.find("#history-edge").getAttribute("data-state")));
      List<String> expected =
          IntStream.rangeClosed(1, 45)
              .mapToObj(i -> i <= 40 ? "them: 消息 " + i + " 📜" : "me: 回复 " + i)
              .toList();
      assertThat(shown(second)).containsExactlyElementsOf(expected);
      WebElement edge = second.find("#history-edge");
      assertThat(edge.getText()).isEqualTo("The start of your conversation");

      // A live message after the history follows it once; the page keeps it after a reload, and
      // the history read again merges with what the tab kept.
      first.send("新的 ✨");
      second.awaitMessage("新的 ✨");
      second.driver.navigate().refresh();
      second.awaitMainScreen(b);
      second.openChat(a);
      second.await(
          "the newest page after the reload",
          d -> "more".equals(second.find("#history-edge").getAttribute("data-state")));
      List<String> afterReload = shown(second);
      assertThat(afterReload).hasSize(30);
      assertThat(afterReload.get(29)).isEqualTo("them: 新的 ✨");
      assertThat(afterReload.stream().filter(t -> t.equals("them: 新的 ✨"))).hasSize(1);
      assertThat(second.consoleProblems()).isEmpty();
      assertThat(first.consoleProblems()).isEmpty();
    }
  }
}
