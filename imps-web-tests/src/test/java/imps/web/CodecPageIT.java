package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser-side protocol codec, run in Chromium: every frame of the shared test vectors and
 * every byte example of the extensions (PROTOCOL.md section 8) both ways, and the edge cases of the
 * field types (test/codec-test.html, served from the test classpath by the real server, under the
 * same Content-Security-Policy as the app).
 */
class CodecPageIT extends ServerPerClass {

  @Test
  void theCodecPassesEveryTestVectorInTheBrowser() {
    ChromeDriver driver = Chromium.take();
    try {
      driver.get(server.url());
      Matcher m = Pattern.compile("/s/([0-9a-f]+)/app/main\\.js").matcher(driver.getPageSource());
      assertThat(m.find()).isTrue();
      driver.get(server.url() + "s/" + m.group(1) + "/test/codec-test.html");
      new WebDriverWait(driver, WebApp.WAIT, WebApp.POLL)
          .withMessage("the codec tests to finish")
          .until(
              d ->
                  !"running".equals(d.findElement(By.tagName("body")).getAttribute("data-status")));

      @SuppressWarnings("unchecked")
      Map<String, Object> results =
          (Map<String, Object>) driver.executeScript("return window.codecTestResults");
      assertThat((List<?>) results.get("failures")).as("failures").isEmpty();
      assertThat(((Number) results.get("failed")).intValue()).isZero();
      // The shared test vectors and the 22 extension examples of PROTOCOL.md section 8, each
      // encoded and decoded, and the field-type edge cases.
      assertThat(((Number) results.get("passed")).intValue()).isGreaterThanOrEqualTo(100);
      assertThat(driver.findElement(By.tagName("body")).getAttribute("data-status"))
          .isEqualTo("passed");
    } finally {
      Chromium.give(driver);
    }
  }
}
