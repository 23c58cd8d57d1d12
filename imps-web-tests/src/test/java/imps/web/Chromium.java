package imps.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The operating system's Chromium and chromedriver ({@code apt-get install chromium
 * chromium-driver}; {@code .ci/run} installs them), headless, each browser with a fresh profile.
 * Tests call {@link #require()}: without Chromium they are skipped with a message, unless {@code
 * IMPS_IT_SERVICES=required} (as on CI), where they fail.
 */
final class Chromium {
  private static final int WIDTH = 1280;
  private static final int HEIGHT = 860;
  // Browsers are reused across tests (each starts from about:blank with its overrides cleared):
  // starting Chromium is the slowest step of a browser test.
  private static final Deque<ChromeDriver> IDLE = new ArrayDeque<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  synchronized (IDLE) {
                    IDLE.forEach(ChromeDriver::quit);
                    IDLE.clear();
                  }
                }));
  }

  static final Path BINARY = Path.of(env("IMPS_CHROMIUM", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(env("IMPS_CHROMEDRIVER", "/usr/bin/chromedriver"));

  private Chromium() {}

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  static boolean available() {
    return Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
  }

  /** Skips (or, when required, fails) unless Chromium and chromedriver are installed. */
  static void require() {
    if (available()) {
      return;
    }
    String msg =
        "Chromium is not installed ("
            + BINARY
            + ", "
            + DRIVER
            + "; apt-get install chromium chromium-driver)";
    if ("required".equalsIgnoreCase(System.getenv("IMPS_IT_SERVICES"))) {
      throw new AssertionError(msg + " and IMPS_IT_SERVICES=required");
    }
    Assumptions.abort(msg + ": skipping the browser tests");
  }

  /** A desktop-sized browser on about:blank: an idle one, or a new one. */
  static ChromeDriver take() {
    synchronized (IDLE) {
      if (!IDLE.isEmpty()) {
        return IDLE.pop();
      }
    }
    return launch(WIDTH, HEIGHT);
  }

  /**
   * Takes a browser back for the next test: moves to a new tab and closes the old one (which closes
   * its connections and drops its sessionStorage, where the app keeps its session), clears the
   * position, screen and permission overrides and the console log. A browser that does not answer
   * is closed instead.
   */
  static void give(ChromeDriver driver) {
    try {
      String old = driver.getWindowHandle();
      driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
      String fresh = driver.getWindowHandle();
      driver.switchTo().window(old).close();
      driver.switchTo().window(fresh);
      driver.get("about:blank");
      driver.executeCdpCommand("Emulation.clearGeolocationOverride", Map.of());
      driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
      driver.executeCdpCommand("Browser.resetPermissions", Map.of());
      driver.executeCdpCommand("Security.setIgnoreCertificateErrors", Map.of("ignore", false));
      driver.manage().logs().get(LogType.BROWSER);
    } catch (RuntimeException e) {
      driver.quit();
      return;
    }
    synchronized (IDLE) {
      IDLE.push(driver);
    }
  }

  /** A new headless browser with a fresh profile, a fake microphone, and its console log kept. */
  static ChromeDriver launch(int width, int height) {
    Path profile;
    try {
      profile = Files.createTempDirectory("imps-chromium");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--lang=en-US",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile,
        // A microphone that plays a beep, granted without asking.
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        "--autoplay-policy=no-user-gesture-required");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(30))
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return driver;
  }

  /** Lets pages of {@code origin} read the position, and sets the position the browser reports. */
  static void setPosition(ChromeDriver driver, String origin, double lat, double lon) {
    driver.executeCdpCommand(
        "Browser.grantPermissions",
        Map.of("origin", origin, "permissions", List.of("geolocation")));
    driver.executeCdpCommand(
        "Emulation.setGeolocationOverride",
        Map.of("latitude", lat, "longitude", lon, "accuracy", 10));
  }
}
