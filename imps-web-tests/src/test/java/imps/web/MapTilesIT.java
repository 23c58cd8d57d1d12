package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import imps.server.config.ServerConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * With {@code web.tile-url} set, the map loads its tiles from there (a tile server on this machine
 * stands in for a real one), the page's policy lets those images in and nothing else changes.
 */
class MapTilesIT {

  @Test
  void theMapDrawsTilesFromTheConfiguredServer() throws Exception {
    Chromium.require();
    Set<String> requested = ConcurrentHashMap.newKeySet();
    byte[] tile = tile();
    HttpServer tiles = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    tiles.createContext(
        "/tiles/",
        exchange -> {
          requested.add(exchange.getRequestURI().getPath());
          exchange.getResponseHeaders().set("Content-Type", "image/png");
          exchange.sendResponseHeaders(200, tile.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(tile);
          }
        });
    tiles.start();
    String url = "http://127.0.0.1:" + tiles.getAddress().getPort() + "/tiles/{z}/{x}/{y}.png";
    try (WebServer server =
            WebServer.start(
                b ->
                    b.set(ServerConfig.Key.WEB_TILE_URL, url)
                        .set(ServerConfig.Key.WEB_TILE_ATTRIBUTION, "Test tiles"));
        WebApp app = WebApp.open(server)) {
      app.register("tiles" + System.nanoTime() % 100_000);
      app.await(
          "tiles drawn",
          d ->
              (Boolean)
                  app.driver.executeScript(
                      "return [...document.querySelectorAll('img.leaflet-tile')]"
                          + ".some(i => i.complete && i.naturalWidth === 256)"));
      assertThat(requested).isNotEmpty().allMatch(p -> p.matches("/tiles/\\d+/\\d+/\\d+\\.png"));
      assertThat(app.find(".leaflet-control-attribution").getText()).contains("Test tiles");
      assertThat(app.findAll(".offline-basemap")).isEmpty();
      assertThat(app.consoleProblems()).isEmpty();
    } finally {
      tiles.stop(0);
    }
  }

  private static byte[] tile() throws Exception {
    BufferedImage img = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(0xd8e8d0));
    g.fillRect(0, 0, 256, 256);
    g.setColor(new Color(0x8aa37c));
    g.drawRect(0, 0, 255, 255);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
