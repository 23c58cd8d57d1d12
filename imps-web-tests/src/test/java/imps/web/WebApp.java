package imps.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One browser on the web client, with the actions a person takes (as the page offers them: the same
 * buttons and fields) and what they would look at. Waits are bounded; a failed wait says what it
 * waited for.
 */
final class WebApp implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final Duration WAIT = Duration.ofSeconds(15);
  static final Duration POLL = Duration.ofMillis(100);

  final ChromeDriver driver;
  private final WebServer server;

  private WebApp(ChromeDriver driver, WebServer server) {
    this.driver = driver;
    this.server = server;
  }

  /** A phone-sized browser (390 × 844 CSS pixels, touch) on the server's web address. */
  static WebApp phone(WebServer server) {
    WebApp app = new WebApp(Chromium.take(), server);
    // Headless windows are at least 500 pixels wide: emulate the phone's screen instead.
    app.driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        java.util.Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
    app.driver.get(server.url());
    app.await("the login screen", d -> !d.findElements(By.id("auth-form")).isEmpty());
    return app;
  }

  /** A desktop-sized browser on the server's web address. */
  static WebApp open(WebServer server) {
    WebApp app = new WebApp(Chromium.take(), server);
    if (server.url().startsWith("https:")) {
      // The test servers' certificates are self-signed (given back, the browser checks again).
      app.driver.executeCdpCommand("Security.setIgnoreCertificateErrors", Map.of("ignore", true));
    }
    app.driver.get(server.url());
    app.await("the login screen", d -> !d.findElements(By.id("auth-form")).isEmpty());
    return app;
  }

  <T> T await(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT, POLL)
        .withMessage(() -> "waiting for " + what)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** A CSS attribute value, quoted. */
  static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private void type(String css, String text) {
    WebElement e = find(css);
    e.clear();
    if (text.chars().noneMatch(c -> Character.isSurrogate((char) c))) {
      e.sendKeys(text);
      return;
    }
    // ChromeDriver types only characters of the Basic Multilingual Plane: set the value the way
    // an input method would, then tell the page.
    driver.executeScript(
        "arguments[0].value = arguments[1];"
            + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        e,
        text);
  }

  private String screen() {
    return String.valueOf(driver.executeScript("return document.body.dataset.screen"));
  }

  /** Fills the register form and submits it; does not wait for the outcome. */
  WebApp submitRegistration(String name, String password, String repeat) {
    find("#tab-register").click();
    type("#auth-name", name);
    type("#auth-password", password);
    type("#auth-repeat", repeat);
    find("#auth-submit").click();
    return this;
  }

  /** Registers through the form (which logs in) and waits for the main screen. */
  WebApp register(String name) {
    submitRegistration(name, WebServer.PASSWORD, WebServer.PASSWORD);
    awaitMainScreen(name);
    return this;
  }

  WebApp submitLogin(String name, String password) {
    find("#tab-login").click();
    type("#auth-name", name);
    type("#auth-password", password);
    find("#auth-submit").click();
    return this;
  }

  WebApp login(String name) {
    submitLogin(name, WebServer.PASSWORD);
    awaitMainScreen(name);
    return this;
  }

  void awaitMainScreen(String name) {
    await(
        name + " logged in",
        d -> screen().equals("main") && find("#me-name").getText().equals(name));
  }

  /** The error the login form shows, once it shows one. */
  String authError() {
    return await(
        "an error on the login form",
        d -> {
          String t = find("#auth-error").getText();
          return t.isBlank() ? null : t;
        });
  }

  /** The connection state the page shows: offline, connecting, open or loggedIn. */
  String connection() {
    return String.valueOf(driver.executeScript("return document.body.dataset.connection"));
  }

  void logout() {
    find("#logout-button").click();
    await("the login screen", d -> screen().equals("login"));
  }

  /** Asks {@code name} to be a friend; returns what the page says about it. */
  String addFriend(String name) {
    type("#add-friend-name", name);
    driver.executeScript("document.getElementById('add-friend-result').textContent = ''");
    find("#add-friend-submit").click();
    return await(
        "the outcome of adding " + name,
        d -> {
          String t = find("#add-friend-result").getText();
          return t.isBlank() ? null : t;
        });
  }

  void accept(String from) {
    String request = "li[data-request=" + quoted(from) + "]";
    await("a friend request from " + from, d -> !findAll(request).isEmpty());
    find(request + " .accept").click();
    await("the request from " + from + " to go", d -> findAll(request).isEmpty());
  }

  /** "online" or "offline" as the friend list shows it, or null when not a friend. */
  String friendStatus(String name) {
    List<WebElement> li = findAll("#friend-list li[data-friend=" + quoted(name) + "]");
    return li.isEmpty() ? null : li.get(0).getAttribute("data-status");
  }

  void awaitFriendStatus(String name, String status) {
    await(name + " shown " + status, d -> status.equals(friendStatus(name)));
  }

  void openChat(String friend) {
    await("the friend " + friend, d -> friendStatus(friend) != null);
    find("#friend-list li[data-friend=" + quoted(friend) + "] button").click();
    await("the chat with " + friend, d -> find("#chat-title").getText().equals(friend));
  }

  /**
   * Types a message (any characters) and sends it; waits until the server confirms it (stored, and
   * perhaps already delivered or read).
   */
  void send(String text) {
    submitMessage(text);
    await(
        "the message to be confirmed: " + text,
        d -> List.of("sent", "delivered", "read").contains(markState(text)));
  }

  /** Types a message and sends it; does not wait for the server. */
  void submitMessage(String text) {
    type("#message-input", text);
    find("#send-button").click();
  }

  /**
   * The state of my message {@code text} in the open chat (sending, sent, delivered, read, failed),
   * or null when it is not there.
   */
  String markState(String text) {
    return findAll("#messages li.message.mine").stream()
        .filter(li -> li.findElement(By.cssSelector(".text")).getText().equals(text))
        .map(li -> li.getAttribute("data-state"))
        .findFirst()
        .orElse(null);
  }

  void awaitMarkState(String text, String state) {
    await("my message " + text + " shown " + state, d -> state.equals(markState(text)));
  }

  /** How many times a friend's message {@code text} shows in the open chat. */
  long countMessages(String text) {
    return findAll("#messages li.message.theirs .text").stream()
        .filter(e -> e.getText().equals(text))
        .count();
  }

  void awaitMessage(String text) {
    await(
        "a message: " + text,
        d ->
            findAll("#messages li.message.theirs .text").stream()
                .anyMatch(e -> e.getText().equals(text)));
  }

  /**
   * The map's canvas of friends' markers (ui/friend-layer.js), or null; then what a script does.
   */
  private static final String LAYER =
      "const c = document.querySelector('canvas.friend-layer');"
          + " const all = c ? c.friendMarkers() : [];";

  /**
   * How many friends' markers the map holds, and how many of them its last drawing painted (counted
   * in the page: the markers themselves stay there).
   */
  long[] markerCounts() {
    List<?> r =
        (List<?>)
            driver.executeScript(
                LAYER + " return [all.length, all.filter((m) => m.drawn).length];");
    return new long[] {((Number) r.get(0)).longValue(), ((Number) r.get(1)).longValue()};
  }

  /**
   * A friend's marker as the map shows it (name, lat, lon, online, drawn, canvasX, canvasY), or
   * null when it is not on the map: the map's canvas holds it, its last drawing painted it, and the
   * pixel at its presence dot is painted (opaque).
   */
  @SuppressWarnings("unchecked")
  Map<String, Object> shownMarker(String friend) {
    return (Map<String, Object>)
        driver.executeScript(
            LAYER
                + " const m = all.find((e) => e.name === arguments[0]);"
                + " if (!m || !m.drawn) return null;"
                + " const alpha = c.getContext('2d').getImageData(m.canvasX, m.canvasY, 1, 1).data[3];"
                + " return alpha === 255 ? m : null;",
            friend);
  }

  /** A friend's marker on the map as [lat, lon], or null when there is none. */
  double[] marker(String friend) {
    Map<String, Object> m = shownMarker(friend);
    if (m == null) {
      return null;
    }
    return new double[] {
      ((Number) m.get("lat")).doubleValue(), ((Number) m.get("lon")).doubleValue()
    };
  }

  /** Waits until a friend's marker shows them online or offline. */
  void awaitMarkerOnline(String friend, boolean online) {
    await(
        friend + "'s marker " + (online ? "online" : "offline"),
        d -> {
          Map<String, Object> m = shownMarker(friend);
          return m != null && Boolean.valueOf(online).equals(m.get("online"));
        });
  }

  void awaitMarker(String friend, double lat, double lon) {
    await(
        friend + " on the map at " + lat + "," + lon,
        d -> {
          double[] p = marker(friend);
          return p != null && Math.abs(p[0] - lat) < 1e-6 && Math.abs(p[1] - lon) < 1e-6;
        });
  }

  /** Waits until my own marker is at {@code lat},{@code lon}. */
  void awaitMyPosition(double lat, double lon) {
    await(
        "my position at " + lat + "," + lon,
        d -> {
          List<WebElement> m = findAll("#my-position");
          return !m.isEmpty()
              && Math.abs(Double.parseDouble(m.get(0).getAttribute("data-lat")) - lat) < 1e-6
              && Math.abs(Double.parseDouble(m.get(0).getAttribute("data-lon")) - lon) < 1e-6;
        });
  }

  /** Shows a view in the phone layout's tab bar. */
  void tab(String view) {
    find("#tab-" + view).click();
  }

  /** Writes a PNG of the page to target/screenshots/NAME.png. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Console errors and Content-Security-Policy violations since the last call. */
  List<String> consoleProblems() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(
            e ->
                e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()
                    || e.getMessage().contains("Content Security Policy"))
        .map(LogEntry::getMessage)
        .toList();
  }

  String origin() {
    return server.origin();
  }

  /** Hands the browser back for the next test. */
  @Override
  public void close() {
    Chromium.give(driver);
  }
}
