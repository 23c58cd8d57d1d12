package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendRequestPush;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * A long friend list keeps only the rows near its view in the page (ui/friends.js), yet every
 * friend can be reached: by scrolling the pane, and by the keyboard (Tab from row to row).
 */
class FriendListIT {
  private static final int FRIENDS = 60;
  private static WebServer server;

  @BeforeAll
  static void startServer() throws Exception {
    Chromium.require();
    server = WebServer.start(b -> b.with(ServerConfig.Key.REGISTRATIONS_PER_MINUTE, 1_000_000));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static FrameClient user(String name) throws IOException {
    return TcpUser.connected(server.tcpPort(), name);
  }

  private static String name(int i) {
    return String.format(Locale.ROOT, "f%02d", i);
  }

  /** The friends' rows in the page, by name, in order. */
  private static List<String> rowsInPage(WebApp app) {
    return app.findAll("#friend-list li.friend").stream()
        .map(li -> li.getAttribute("data-friend"))
        .toList();
  }

  private static String focusedRow(WebApp app) {
    return (String)
        app.driver.executeScript(
            "return document.activeElement.closest('li.friend')?.dataset.friend ?? null");
  }

  @Test
  void everyFriendIsReachedByScrollingAndByTheKeyboard() throws Exception {
    String me = "名单";
    try (FrameClient mine = user(me)) {
      for (int i = 0; i < FRIENDS; i++) {
        String name = name(i);
        try (FrameClient c = user(name)) {
          c.send(new AddFriendRequest(name, me));
          c.expect(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_ADDFRIEND_REQ));
          mine.awaitMatching(FriendRequestPush.class, p -> p.friendName().equals(name));
          mine.send(new AddFriendAnswer(name, true));
          mine.awaitMatching(
              ErrorResponse.class,
              r -> r.equals(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_ADDFRIEND_RSP)));
          c.awaitMatching(AddFriendResponse.class, r -> true);
        }
      }
    }
    String last = name(FRIENDS - 1);
    try (WebApp app = WebApp.open(server)) {
      app.login(me);
      app.await(
          "the list of " + FRIENDS + " friends",
          d ->
              String.valueOf(FRIENDS)
                  .equals(app.find("#friend-list li.friend").getAttribute("aria-setsize")));
      List<String> first = rowsInPage(app);
      assertThat(first)
          .as("rows in the page")
          .startsWith(name(0), name(1))
          .hasSizeLessThan(FRIENDS);
      assertThat(first).doesNotContain(last);

      // Scrolled to the end: the last friends' rows are there, in order, numbered for the reader.
      app.driver.executeScript("const p = document.querySelector('.friends'); p.scrollTop = 1e6");
      app.await("the last friend's row", d -> rowsInPage(app).contains(last));
      List<String> end = rowsInPage(app);
      assertThat(end).endsWith(name(FRIENDS - 2), last).doesNotContain(name(0));
      assertThat(
              app.find("#friend-list li[data-friend=" + WebApp.quoted(last) + "]")
                  .getAttribute("aria-posinset"))
          .isEqualTo(String.valueOf(FRIENDS));
      WebElement lastRow = app.find("#friend-list li[data-friend=" + WebApp.quoted(last) + "]");
      assertThat(lastRow.isDisplayed()).isTrue();

      // Back at the top, Tab goes from row to row (each row: the friend, then its ⋯) to the last.
      app.driver.executeScript("document.querySelector('.friends').scrollTop = 0");
      app.await("the first friend's row", d -> rowsInPage(app).contains(name(0)));
      app.driver.executeScript(
          "document.querySelector('#friend-list li.friend .friend-button').focus()");
      Actions keys = new Actions(app.driver);
      assertThat(focusedRow(app)).isEqualTo(name(0));
      int stops = app.findAll("#friend-list li.friend:first-child button").size();
      for (int i = 1; i < FRIENDS; i++) {
        for (int k = 0; k < stops; k++) {
          keys.sendKeys(Keys.TAB).perform();
        }
        String expected = name(i);
        app.await("the focus on " + expected + "'s row", d -> expected.equals(focusedRow(app)));
      }
      // The focused row stays in the page while the pane is scrolled away from it, and Enter opens
      // that friend's chat.
      app.driver.executeScript("document.querySelector('.friends').scrollTop = 0");
      app.await("the first rows", d -> rowsInPage(app).contains(name(0)));
      assertThat(focusedRow(app)).isEqualTo(last);
      keys.sendKeys(Keys.ENTER).perform();
      app.await("the chat with " + last, d -> app.find("#chat-title").getText().equals(last));
      app.screenshot("friend-list-60");
      assertThat(app.consoleProblems()).as("console errors and policy violations").isEmpty();
    }
  }
}
