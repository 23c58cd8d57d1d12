package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Without {@code web.tile-url} the map draws the offline basemap, and paints it in the stylesheet's
 * colours: style.css is the one place they are set (light and dark), and the code that draws on a
 * canvas reads them from there ({@code cssVar} in ui/dom.js) instead of repeating them.
 */
class BasemapColoursIT {
  // True once some canvas of the offline map has a pixel of exactly the stylesheet's --land.
  private static final String LAND_PAINTED =
      """
      const land = getComputedStyle(document.documentElement).getPropertyValue('--land').trim();
      const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(land);
      if (!m) return false;
      const [r, g, b] = m.slice(1).map((x) => parseInt(x, 16));
      for (const c of document.querySelectorAll('.map.offline-basemap canvas')) {
        if (c.width === 0 || c.height === 0) continue;
        const ctx = c.getContext('2d');
        if (!ctx) continue;
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i] === r && d[i + 1] === g && d[i + 2] === b && d[i + 3] === 255) return true;
        }
      }
      return false;
      """;

  @Test
  void theOfflineBasemapIsPaintedInTheStylesheetsLandColour() throws Exception {
    Chromium.require();
    try (WebServer server = WebServer.start();
        WebApp app = WebApp.open(server)) {
      app.register("land" + System.nanoTime() % 100_000);
      app.await("land painted", d -> (Boolean) app.driver.executeScript(LAND_PAINTED));
      assertThat(app.consoleProblems()).isEmpty();
    }
  }
}
