package imps.server.transport.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The files of the web app, loaded from the classpath once at start-up and kept in memory.
 *
 * <ul>
 *   <li>{@code /} is {@code web/index.html}, with {@code {{v}}} replaced by {@link #version()};
 *   <li>{@code /s/VERSION/PATH} is {@code web/PATH} (the app's modules, styles, data), and {@code
 *       /s/VERSION/vendor/leaflet/PATH} Leaflet's {@code dist} folder from its webjar.
 * </ul>
 *
 * <p>The version is a hash of every file under {@code /s/}, so a changed file gets a new URL: those
 * URLs can be cached for a year as immutable, while the index is revalidated on every load.
 * Relative imports between the app's ES modules stay inside the versioned folder.
 */
public final class WebAssets {
  static final String ROOT = "web";
  static final String INDEX = "index.html";
  static final String LEAFLET_PREFIX = "vendor/leaflet/";
  private static final String LEAFLET_POM = "META-INF/maven/org.webjars.npm/leaflet/pom.properties";
  private static final String LEAFLET_WEBJAR = "META-INF/resources/webjars/leaflet/";

  private final String version;
  private final Map<String, Asset> files;
  private final Asset index;
  private final Asset config;

  private WebAssets(String version, Map<String, Asset> files, Asset index, Asset config) {
    this.version = version;
    this.files = files;
    this.index = index;
    this.config = config;
  }

  /** Loads the app from this class's class loader. */
  public static WebAssets load(WebSettings settings) {
    return load(WebAssets.class.getClassLoader(), settings);
  }

  static WebAssets load(ClassLoader loader, WebSettings settings) {
    Map<String, byte[]> raw = ClasspathTree.read(loader, ROOT);
    byte[] indexTemplate = raw.remove(INDEX);
    if (indexTemplate == null) {
      throw new IllegalStateException("the web app is missing from the classpath (web/index.html)");
    }
    raw.putAll(leaflet(loader));
    Map<String, Asset> files = new TreeMap<>();
    StringBuilder digest = new StringBuilder();
    raw.forEach(
        (path, bytes) -> {
          Asset a = Asset.of(path, bytes);
          files.put(path, a);
          digest.append(path).append(' ').append(a.etag()).append('\n');
        });
    String version = Asset.sha256(digest.toString()).substring(0, 12);
    String html = new String(indexTemplate, StandardCharsets.UTF_8).replace("{{v}}", version);
    Asset index = Asset.of(INDEX, html.getBytes(StandardCharsets.UTF_8));
    Asset config = Asset.of("config.json", configJson(settings, version));
    return new WebAssets(version, Map.copyOf(files), index, config);
  }

  /** Leaflet's {@code dist} files (without source maps and the non-module builds) and licence. */
  private static Map<String, byte[]> leaflet(ClassLoader loader) {
    String version;
    try (InputStream in = loader.getResourceAsStream(LEAFLET_POM)) {
      if (in == null) {
        throw new IllegalStateException("the Leaflet webjar is missing from the classpath");
      }
      Properties p = new Properties();
      p.load(in);
      version = p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String base = LEAFLET_WEBJAR + version + "/";
    Map<String, byte[]> out = new TreeMap<>();
    ClasspathTree.readFolderOf(loader, base + "dist/leaflet.css")
        .forEach(
            (path, bytes) -> {
              if (!path.endsWith(".map")
                  && !path.equals("leaflet.js")
                  && !path.equals("leaflet-src.js")) {
                out.put(LEAFLET_PREFIX + path, bytes);
              }
            });
    try (InputStream in = loader.getResourceAsStream(base + "LICENSE")) {
      if (in != null) {
        out.put(LEAFLET_PREFIX + "LICENSE", in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** What the app needs to know about this server: limits and the map tiles. */
  private static byte[] configJson(WebSettings s, String version) {
    String json =
        "{\"version\":"
            + Json.string(version)
            + ",\"tileUrl\":"
            + Json.string(s.tileUrl())
            + ",\"tileAttribution\":"
            + Json.string(s.tileAttribution())
            + ",\"maxMessageChars\":"
            + s.maxMessageChars()
            + ",\"maxAudioBytes\":"
            + s.maxAudioBytes()
            + "}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** The hash in the URLs of this build's files. */
  public String version() {
    return version;
  }

  Asset index() {
    return index;
  }

  Asset config() {
    return config;
  }

  /** The file at {@code path} under {@code /s/VERSION/}, or {@code null}. */
  Asset file(String path) {
    return files.get(path);
  }
}
