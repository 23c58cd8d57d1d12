package imps.server.transport.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.server.config.ConfigException;
import imps.server.config.ServerConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/** The small rules of the web port: settings, headers, paths, JSON. */
class WebPiecesTest {

  @Test
  void theWebHostDefaultsToTheServerHost() {
    ServerConfig c = ServerConfig.builder().host("10.1.2.3").build();
    assertThat(WebSettings.from(c).host()).isEqualTo("10.1.2.3");
    assertThat(WebSettings.from(c).port()).isEqualTo(7680);
    assertThat(WebSettings.enabled(c)).isTrue();
    ServerConfig own = ServerConfig.builder().set(ServerConfig.Key.WEB_HOST, "127.0.0.1").build();
    assertThat(WebSettings.from(own).host()).isEqualTo("127.0.0.1");
  }

  @Test
  void tileUrlsMustBeHttpTemplatesWithZxy() {
    for (String ok :
        new String[] {
          "",
          "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
          "https://{s}.tiles.example.org:8443/base/{z}/{x}/{y}@2x.png?key=abc",
          "http://127.0.0.1:8080/{z}/{x}/{y}.png"
        }) {
      assertThat(ServerConfig.builder().set(ServerConfig.Key.WEB_TILE_URL, ok).build()).isNotNull();
    }
    for (String bad :
        new String[] {
          "ftp://tiles.example.org/{z}/{x}/{y}.png",
          "https://tiles.example.org/{z}/{x}.png",
          "https://tiles.example.org/{z}/{x}/{y}.png; script-src *",
          "https://tiles.example.org/{z}/{x}/{y}.png\"",
          "https://{z}.example.org/{z}/{x}/{y}.png",
          "//tiles.example.org/{z}/{x}/{y}.png"
        }) {
      assertThatThrownBy(() -> ServerConfig.builder().set(ServerConfig.Key.WEB_TILE_URL, bad))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("web.tile-url");
    }
  }

  @Test
  void thePolicyAllowsTilesFromTheirOriginOnly() {
    assertThat(SecurityHeaders.tileOrigin("https://{s}.tile.example.org/{z}/{x}/{y}.png"))
        .isEqualTo("https://*.tile.example.org");
    assertThat(SecurityHeaders.tileOrigin("http://127.0.0.1:8080/t/{z}/{x}/{y}.png"))
        .isEqualTo("http://127.0.0.1:8080");
    assertThat(SecurityHeaders.tileOrigin("")).isEmpty();

    String none = new SecurityHeaders("").contentSecurityPolicy("example.org:7680");
    assertThat(none)
        .contains("img-src 'self';")
        .contains("connect-src 'self' ws://example.org:7680 wss://example.org:7680;")
        .doesNotContain("unsafe");
    String tiles =
        new SecurityHeaders("https://{s}.tile.example.org/{z}/{x}/{y}.png")
            .contentSecurityPolicy("[::1]:7680");
    assertThat(tiles)
        .contains("img-src 'self' https://*.tile.example.org;")
        .contains("ws://[::1]:7680");
  }

  @Test
  void aHostHeaderThatCouldBreakThePolicyIsLeftOut() {
    String csp = new SecurityHeaders("").contentSecurityPolicy("evil; script-src *");
    assertThat(csp).contains("connect-src 'self';").doesNotContain("evil");
    assertThat(new SecurityHeaders("").contentSecurityPolicy(null)).contains("connect-src 'self';");
  }

  @Test
  void pathsLoseTheirQueryAndFragment() {
    assertThat(StaticFileHandler.pathOf("/s/v/app/main.js?x=1#y")).isEqualTo("/s/v/app/main.js");
    assertThat(StaticFileHandler.pathOf("/#top")).isEqualTo("/");
    assertThat(StaticFileHandler.pathOf("/ws")).isEqualTo("/ws");
  }

  @Test
  void gzipIsChosenOnlyWhenAccepted() {
    HttpHeaders h = new DefaultHttpHeaders();
    assertThat(StaticFileHandler.acceptsGzip(h)).isFalse();
    h.set("Accept-Encoding", "gzip, deflate, br");
    assertThat(StaticFileHandler.acceptsGzip(h)).isTrue();
    h.set("Accept-Encoding", "br;q=1.0, GZIP;q=0.5");
    assertThat(StaticFileHandler.acceptsGzip(h)).isTrue();
    h.set("Accept-Encoding", "gzip;q=0, br");
    assertThat(StaticFileHandler.acceptsGzip(h)).isFalse();
    h.set("Accept-Encoding", "x-gzip");
    assertThat(StaticFileHandler.acceptsGzip(h)).isFalse();
  }

  @Test
  void etagsMatchEitherRepresentation() {
    Asset a = Asset.of("app/x.js", "x".repeat(2000).getBytes());
    assertThat(a.gzipped()).isNotNull();
    assertThat(StaticFileHandler.matches(a.etag(), a)).isTrue();
    assertThat(StaticFileHandler.matches("\"other\", " + a.gzipEtag(), a)).isTrue();
    assertThat(StaticFileHandler.matches("W/" + a.etag(), a)).isTrue();
    assertThat(StaticFileHandler.matches("*", a)).isTrue();
    assertThat(StaticFileHandler.matches("\"other\"", a)).isFalse();
    assertThat(StaticFileHandler.matches(null, a)).isFalse();
  }

  @Test
  void smallOrBinaryFilesAreNotGzipped() {
    assertThat(Asset.of("app/a.js", "let a;".getBytes()).gzipped()).isNull();
    assertThat(Asset.of("app/a.png", new byte[5000]).gzipped()).isNull();
    assertThat(Asset.typeOf("vendor/leaflet/LICENSE")).isEqualTo("text/plain; charset=utf-8");
    assertThat(Asset.typeOf("x.unknown")).isEqualTo("application/octet-stream");
  }

  @Test
  void theForwardedClientIsTheAddressTheProxyAppended() {
    HttpHeaders h = new DefaultHttpHeaders();
    assertThat(WebSocketUpgradeHandler.forwardedClient(h)).isNull();
    h.add("X-Forwarded-For", "6.6.6.6, 203.0.113.7");
    assertThat(WebSocketUpgradeHandler.forwardedClient(h)).isEqualTo("203.0.113.7");
    h.add("X-Forwarded-For", "2001:db8::1");
    assertThat(WebSocketUpgradeHandler.forwardedClient(h)).isEqualTo("2001:db8::1");
    h.set("X-Forwarded-For", "unknown");
    assertThat(WebSocketUpgradeHandler.forwardedClient(h)).isNull();
  }

  @Test
  void jsonStringsAreEscaped() {
    assertThat(Json.string("a\"b\\c\n</script>&\u2028"))
        .isEqualTo("\"a\\\"b\\\\c\\n\\u003c/script\\u003e\\u0026\\u2028\"");
    assertThat(Json.string("© 李雷")).isEqualTo("\"© 李雷\"");
  }

  @Test
  void theAppLoadsFromTheClasspathWithAVersionInItsUrls() {
    WebSettings s = WebSettings.from(ServerConfig.builder().build());
    WebAssets a = WebAssets.load(s);
    assertThat(a.version()).matches("[0-9a-f]{12}");
    assertThat(WebAssets.load(s).version()).isEqualTo(a.version());
    String index = new String(a.index().bytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(index).contains("/s/" + a.version() + "/app/main.js").doesNotContain("{{v}}");
    assertThat(a.file("app/protocol/codec.js")).isNotNull();
    assertThat(a.file("app/map/countries-110m.json")).isNotNull();
    assertThat(a.file("vendor/leaflet/leaflet-src.esm.js")).isNotNull();
    assertThat(a.file("index.html")).isNull();
    assertThat(new String(a.config().bytes(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"version\":\""
                + a.version()
                + "\",\"tileUrl\":\"\",\"tileAttribution\":\"\",\"maxMessageChars\":4096,"
                + "\"maxAudioBytes\":61440}");
  }
}
