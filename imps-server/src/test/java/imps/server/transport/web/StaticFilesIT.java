package imps.server.transport.web;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web port serves the app's files with caching and security headers, and refuses the rest. */
class StaticFilesIT {
  private static final String TILES = "https://{s}.tiles.example.org/{z}/{x}/{y}.png";
  private static ServerFixture server;
  private static HttpClient http;
  private static String version;

  @BeforeAll
  static void start() throws Exception {
    server =
        ServerFixture.start(
            ServerFixture.testConfig(Files.createTempDirectory("imps-web"))
                .set(ServerConfig.Key.WEB_TILE_URL, TILES)
                .set(ServerConfig.Key.WEB_TILE_ATTRIBUTION, "© Example <tiles>")
                .build());
    http = HttpClient.newHttpClient();
    Matcher m = Pattern.compile("/s/([0-9a-f]+)/app/main\\.js").matcher(get("/").body());
    assertThat(m.find()).as("the index links the versioned main module").isTrue();
    version = m.group(1);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.server().webPort() + path);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<byte[]> getBytes(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void theStartUpLogNamesTheAddressToOpen() {
    assertThat(server.server().webUrl())
        .isEqualTo("http://127.0.0.1:" + server.server().webPort() + "/");
  }

  @Test
  void theIndexIsRevalidatedAndCarriesAStrictPolicy() throws Exception {
    HttpResponse<String> r = get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(r.headers().firstValue("ETag")).isPresent();
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp)
        .contains("default-src 'none'")
        .contains("script-src 'self';")
        .contains("style-src 'self';")
        .contains("img-src 'self' https://*.tiles.example.org;")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe");
    int port = server.server().webPort();
    assertThat(csp).contains("connect-src 'self' ws://127.0.0.1:" + port);
    assertThat(r.body())
        .doesNotContain("{{v}}")
        .doesNotContain("<style")
        .contains("type=\"module\"");
  }

  @Test
  void versionedFilesAreImmutableAndRevalidatedByEtag() throws Exception {
    HttpResponse<byte[]> r = getBytes("/s/" + version + "/app/main.js", "Accept", "*/*");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(r.headers().firstValue("Cache-Control"))
        .hasValue("public, max-age=31536000, immutable");
    String etag = r.headers().firstValue("ETag").orElseThrow();

    HttpResponse<byte[]> again = getBytes("/s/" + version + "/app/main.js", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    HttpResponse<byte[]> old = getBytes("/s/0123456789ab/app/main.js");
    assertThat(old.statusCode()).isEqualTo(200);
    assertThat(old.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(old.body()).isEqualTo(r.body());
  }

  @Test
  void aClientPipeliningRequestsWithoutReadingIsClosedPastTheOutputLimit() throws Exception {
    // 60 bytes of request ask for a 450 KB answer: without a limit, pipelined requests from a
    // client that never reads filled the server's direct memory (one read of 64 KB: 450 MB) past
    // output.max-bytes-per-connection (2 MiB here), which a WebSocket session is held to.
    String path = "/s/" + version + "/vendor/leaflet/leaflet-src.esm.js";
    int size = getBytes(path).body().length;
    long asked = 24L << 20;
    int n = (int) (asked / size) + 1;
    byte[] one =
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[one.length * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(one, 0, all, i * one.length, one.length);
    }
    long received = 0;
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(16 * 1024);
      s.connect(new InetSocketAddress("127.0.0.1", server.server().webPort()), 5_000);
      s.getOutputStream().write(all);
      s.getOutputStream().flush();
      Thread.sleep(1_000); // the server answers what it read, the client reads nothing
      s.setSoTimeout(3_000);
      InputStream in = s.getInputStream();
      byte[] buf = new byte[64 * 1024];
      // Closed: the kernel's buffers (at most 4 MiB here) and the limit reach the client, no more.
      try {
        for (int r; received < 12L << 20 && (r = in.read(buf)) >= 0; ) {
          received += r;
        }
      } catch (SocketTimeoutException | SocketException e) {
        // a reset ends it as well as a FIN
      }
    }
    assertThat(received).isLessThan(12L << 20);
  }

  @Test
  void pingsFromAWebSocketClientThatNeverReadsDoNotPileUpPongs() throws Exception {
    // Netty answers every ping with a pong, written past output.max-bytes-per-connection: a client
    // sending pings and reading nothing had the server hold a pong for each. (Here, on a server
    // whose login timeout leaves the time to send them.)
    long received = 0;
    long sent = 0;
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(16 * 1024);
      s.connect(new InetSocketAddress("127.0.0.1", server.server().webPort()), 5_000);
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(
          ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      StringBuilder head = new StringBuilder();
      while (head.indexOf("\r\n\r\n") < 0) {
        int b = in.read();
        assertThat(b).isNotNegative();
        head.append((char) b);
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 101");
      // Pings of 125 bytes, masked with a zero key (so the payload is sent as it is).
      int frame = 2 + 4 + 125;
      byte[] batch = new byte[frame * 1000];
      for (int i = 0; i < batch.length; i += frame) {
        batch[i] = (byte) 0x89;
        batch[i + 1] = (byte) (0x80 | 125);
      }
      while (sent < 14L << 20) {
        out.write(batch);
        sent += batch.length;
      }
      out.flush();
      s.setSoTimeout(1_000);
      byte[] buf = new byte[64 * 1024];
      try {
        for (int r; (r = in.read(buf)) >= 0; ) {
          received += r;
        }
      } catch (SocketTimeoutException | SocketException e) {
        // nothing more to read
      }
    }
    // Pongs as large as the pings: what the kernel's buffers and the server's hold (about 8 MB
    // here), not one for each ping sent.
    assertThat(received).as("pong bytes read back of %d sent", sent).isLessThan(sent - (3L << 20));
  }

  @Test
  void textIsGzippedForClientsThatAcceptIt() throws Exception {
    String path = "/s/" + version + "/vendor/leaflet/leaflet-src.esm.js";
    HttpResponse<byte[]> plain = getBytes(path, "Accept-Encoding", "identity");
    HttpResponse<byte[]> gz = getBytes(path, "Accept-Encoding", "br, gzip;q=0.8");
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(gz.headers().firstValue("Vary")).hasValue("accept-encoding");
    assertThat(gz.body().length).isLessThan(plain.body().length / 2);
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
      assertThat(in.readAllBytes()).isEqualTo(plain.body());
    }
    assertThat(gz.headers().firstValue("ETag")).isNotEqualTo(plain.headers().firstValue("ETag"));
    assertThat(
            getBytes(path, "Accept-Encoding", "gzip;q=0").headers().firstValue("Content-Encoding"))
        .isEmpty();
  }

  @Test
  void leafletComesFromItsWebjarWithItsLicence() throws Exception {
    assertThat(get("/s/" + version + "/vendor/leaflet/leaflet.css").statusCode()).isEqualTo(200);
    assertThat(get("/s/" + version + "/vendor/leaflet/LICENSE").body()).contains("BSD 2-Clause");
    assertThat(get("/s/" + version + "/vendor/leaflet/images/layers.png").statusCode())
        .isEqualTo(200);
    assertThat(get("/s/" + version + "/vendor/leaflet/leaflet-src.esm.js.map").statusCode())
        .isEqualTo(404);
  }

  @Test
  void theConfigTellsTheAppItsLimitsAndTiles() throws Exception {
    HttpResponse<String> r = get("/config.json");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(r.body())
        .contains("\"tileUrl\":\"https://{s}.tiles.example.org/{z}/{x}/{y}.png\"")
        .contains("\"tileAttribution\":\"© Example \\u003ctiles\\u003e\"")
        .contains("\"maxAudioBytes\":61440")
        .contains("\"version\":\"" + version + "\"");
  }

  @Test
  void unknownAndUnsafePathsAreNotFound() throws Exception {
    for (String p :
        new String[] {
          "/nothing",
          "/s/" + version + "/app/../index.html",
          "/s/" + version + "/%2e%2e/index.html",
          "/s/" + version + "/index.html",
          "/s/" + version + "/",
          "/s/" + version,
          "/s/" + version + "/app/.hidden",
          "/s/" + version + "//app/main.js"
        }) {
      // Sent as is: the JDK client would normalise the path.
      String r = raw("GET " + p + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      assertThat(r).as(p).startsWith("http/1.1 404").contains("content-security-policy:");
    }
  }

  @Test
  void onlyGetAndHeadAreAllowed() throws Exception {
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(uri("/")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");

    HttpResponse<String> head =
        http.send(
            HttpRequest.newBuilder(uri("/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValueAsLong("Content-Length").orElseThrow()).isPositive();
  }

  @Test
  void aLargeRequestBodyIsRefused() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri("/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100_000]))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
  }

  @Test
  void badUpgradesGetCleanRefusals() throws Exception {
    assertThat(raw("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("http/1.1 400");
    assertThat(
            raw(
                "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 99\r\n\r\n"))
        .startsWith("http/1.1 426")
        .contains("sec-websocket-version: 13");
    assertThat(raw("GARBAGE\r\n\r\n")).startsWith("http/1.1 400");
    assertThat(raw("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("http/1.1 400");
  }

  /**
   * Sends {@code request} as is and returns, in lower case, what the server writes until it closes
   * or is quiet for a second.
   */
  private static String raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.server().webPort())) {
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = s.getInputStream().read(buf)) >= 0; ) {
          all.write(buf, 0, n);
        }
      } catch (java.net.SocketTimeoutException e) {
        // the server keeps the connection open: take what it sent
      }
      return all.toString(StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
    }
  }
}
