package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Gender;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.protocol.message.ResumeRequest;
import imps.testsupport.FrameClient;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The account dialog (SOCIAL, PROTOCOL.md 8.5): changing the password ends the other sessions
 * (their tokens no longer resume) while this window stays logged in, also across a reload; deleting
 * the account signs the window out, friends lose it from their lists, and the name is free again.
 * Both need the current password, and a wrong one is explained.
 */
class AccountIT extends ServerPerClass {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final String NEW_PASSWORD = "新的密码🔑42";

  private static void openAccount(WebApp app) {
    app.find("#account-button").click();
    app.await("the account dialog", d -> app.find("#account-dialog").isDisplayed());
  }

  private static void type(WebApp app, String id, String text) {
    // The new password has an emoji, which ChromeDriver cannot type: set it as an input method
    // would.
    app.driver.executeScript(
        "const e = document.getElementById(arguments[0]); e.value = arguments[1];"
            + "e.dispatchEvent(new Event('input', {bubbles: true}));",
        id,
        text);
  }

  private static String errorOf(WebApp app, String id) {
    return app.await(
        "an error in #" + id,
        d -> {
          String t = app.find("#" + id).getText();
          return t.isBlank() || t.endsWith("…") ? null : t;
        });
  }

  /** Logs in over TCP with acknowledged delivery and returns the session token it was given. */
  private static String tokenOverTcp(String name, String password) throws Exception {
    try (FrameClient tcp = FrameClient.connect(server.tcpPort())) {
      tcp.send(new Hello(1, Set.of(Feature.ACKS)));
      tcp.expect(HelloResponse.class);
      tcp.send(new LoginRequest(name, password));
      return tcp.expect(LoginResponse.class).token();
    }
  }

  @Test
  void changingThePasswordEndsOtherSessionsAndKeepsThisWindowLoggedIn() throws Exception {
    String me = "改" + NAMES.incrementAndGet();
    try (FrameClient tcp = FrameClient.connect(server.tcpPort())) {
      tcp.send(new RegisterRequest(me, WebServer.PASSWORD, Gender.UNSPECIFIED, ""));
      tcp.expect(new RegisterResponse(true));
    }
    // Another device's session: its token would take the session up again.
    String otherDevice = tokenOverTcp(me, WebServer.PASSWORD);
    assertThat(otherDevice).isNotBlank();
    try (WebApp app = WebApp.open(server)) {
      app.login(me);
      openAccount(app);
      app.screenshot("account");

      // A wrong current password changes nothing, and says so.
      type(app, "passwd-current", "not-my-password");
      type(app, "passwd-new", NEW_PASSWORD);
      type(app, "passwd-repeat", NEW_PASSWORD);
      app.find("#passwd-submit").click();
      assertThat(errorOf(app, "passwd-error"))
          .isEqualTo("Your current password is not that. Nothing changed.");
      type(app, "passwd-current", WebServer.PASSWORD);
      type(app, "passwd-repeat", "something else");
      app.find("#passwd-submit").click();
      assertThat(errorOf(app, "passwd-error")).isEqualTo("The two new passwords differ.");

      type(app, "passwd-repeat", NEW_PASSWORD);
      app.find("#passwd-submit").click();
      app.await(
          "the password changed",
          d ->
              app.find("#notice > span")
                  .getText()
                  .equals(
                      "Your password is changed. Other windows and devices log in with it now."));
      assertThat(app.find("#account-dialog").isDisplayed()).isFalse();
      app.awaitMainScreen(me);
      app.await("logged in", d -> app.connection().equals("loggedIn"));

      // The other device's token is revoked: it must log in with the new password.
      try (FrameClient tcp = FrameClient.connect(server.tcpPort())) {
        tcp.send(new Hello(1, Set.of(Feature.ACKS)));
        tcp.expect(HelloResponse.class);
        tcp.send(new ResumeRequest(me, otherDevice, 0));
        tcp.expectError(ErrorCode.BAD_CREDENTIALS.code(), CommandType.C_RESUME);
      }

      // This window got a new token: a reload takes the session up again.
      app.driver.navigate().refresh();
      app.awaitMainScreen(me);

      // The old password no longer logs in; the new one does.
      app.logout();
      assertThat(app.submitLogin(me, WebServer.PASSWORD).authError())
          .isEqualTo("Wrong name or password.");
      type(app, "auth-password", NEW_PASSWORD);
      app.find("#auth-submit").click();
      app.awaitMainScreen(me);
      assertThat(app.consoleProblems()).isEmpty();
    }
  }

  @Test
  void deletingTheAccountSignsOutAndFreesTheName() {
    String me = "删" + NAMES.incrementAndGet();
    String friend = "友" + NAMES.incrementAndGet();
    try (WebApp a = WebApp.open(server);
        WebApp b = WebApp.open(server)) {
      a.register(me);
      b.register(friend);
      a.addFriend(friend);
      b.accept(me);
      b.awaitFriendStatus(me, "online");

      openAccount(a);
      type(a, "delete-password", "wrong-password");
      a.find("#delete-submit").click();
      assertThat(a.find("#delete-error").getText())
          .isEqualTo("This cannot be undone. Press the button again to delete.");
      a.screenshot("delete-account");
      a.find("#delete-submit").click();
      assertThat(errorOf(a, "delete-error"))
          .isEqualTo("Your current password is not that. Nothing changed.");

      type(a, "delete-password", WebServer.PASSWORD);
      a.find("#delete-submit").click();
      a.find("#delete-submit").click();
      a.await(
          "the login screen",
          d -> "login".equals(a.driver.executeScript("return document.body.dataset.screen")));
      assertThat(a.find("#auth-notice").getText())
          .isEqualTo("Your account is deleted, with your messages, friends and places.");
      b.await(me + " gone from the friend's list", d -> b.friendStatus(me) == null);

      // Signed out for good: a reload shows the login screen, the old password does not log in.
      a.driver.navigate().refresh();
      a.await("the login screen", d -> !a.findAll("#auth-form").isEmpty());
      assertThat(a.submitLogin(me, WebServer.PASSWORD).authError())
          .isEqualTo("Wrong name or password.");
      // The name is free again: a new account of it starts with no friends.
      a.register(me);
      a.await("the friend list", d -> !a.findAll("#friend-list").isEmpty());
      assertThat(a.friendStatus(friend)).isNull();
      assertThat(a.consoleProblems()).isEmpty();
      assertThat(b.consoleProblems()).isEmpty();
    }
  }
}
