package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Gender;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.LocationFix;
import imps.testsupport.FrameClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;

/**
 * A friend's track (TRACKS, PROTOCOL.md 8.6) on the map: the friend's fixes over the chosen days
 * drawn as one line with every point, and offered as GPX and GeoJSON downloads.
 */
class TrackIT extends ServerPerClass {
  private static final AtomicInteger NAMES = new AtomicInteger();

  @Test
  void aFriendsTrackIsDrawnAndDownloadsAsGeoJson() throws Exception {
    String me = "看" + NAMES.incrementAndGet();
    String walker = "走" + NAMES.incrementAndGet();
    Path downloads = Files.createTempDirectory("imps-downloads");
    try (WebApp app = WebApp.open(server);
        FrameClient tcp = FrameClient.connect(server.tcpPort())) {
      TcpUser.befriend(app, me, tcp, walker, Gender.MALE);

      // Five fixes a minute apart, each in a heartbeat of its own, in the order walked.
      List<String> coordinates = new ArrayList<>();
      long now = System.currentTimeMillis();
      for (int i = 0; i < 5; i++) {
        // No trailing zeros: the exports write degrees as the protocol does (23.11, not 23.110).
        String lat = "23.1" + (i + 1);
        String lon = "113.2" + (2 * i + 1);
        tcp.send(
            new HeartbeatRequest(
                walker,
                List.of(
                    new LocationFix(String.valueOf(now - (4 - i) * 60_000L), lat + "," + lon))));
        tcp.awaitMatching(HeartbeatResponse.class, r -> true);
        coordinates.add("[" + lon + "," + lat + "]");
      }
      app.await("the last fix on the map", d -> app.marker(walker) != null);

      app.await(
          walker + " to pick",
          d -> !app.findAll("#track-who option[value=" + WebApp.quoted(walker) + "]").isEmpty());
      new Select(app.find("#track-who")).selectByValue(walker);
      app.find("#track-show").click();
      app.await(
          "the track drawn",
          d -> "5".equals(app.find("#track-status").getAttribute("data-points")));
      // Every point is on the line: the SVG path has one move and four line-tos.
      String path = app.find("path.track-line").getAttribute("d");
      assertThat(path.chars().filter(c -> c == 'M' || c == 'L').count()).isEqualTo(5);
      assertThat(app.find("#track-gpx").isDisplayed()).isTrue();
      app.screenshot("track");

      app.driver.executeCdpCommand(
          "Browser.setDownloadBehavior",
          Map.of("behavior", "allow", "downloadPath", downloads.toString()));
      app.find("#track-geojson").click();
      Path file =
          app.await(
              "the GeoJSON download",
              d -> {
                try (Stream<Path> files = Files.list(downloads)) {
                  return files
                      .filter(f -> f.getFileName().toString().endsWith(".geojson"))
                      .findFirst()
                      .orElse(null);
                } catch (Exception e) {
                  return null;
                }
              });
      assertThat(file.getFileName().toString()).startsWith("track-" + walker + "-");
      String geoJson = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(geoJson)
          .startsWith("{\"type\":\"FeatureCollection\"")
          .contains("\"name\":\"" + walker + "\"", "\"total\":5", "\"LineString\"")
          .contains("\"coordinates\":[" + String.join(",", coordinates) + "]");
      assertThat(app.consoleProblems()).as("console errors and policy violations").isEmpty();
    } finally {
      try (Stream<Path> files = Files.list(downloads)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(downloads);
    }
  }
}
