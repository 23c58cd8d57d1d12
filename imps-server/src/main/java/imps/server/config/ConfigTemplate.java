package imps.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The commented {@code conf/imps.properties} of a release: every setting of {@link
 * ServerConfig.Key}, in order, with its description and its default, commented out, so that the
 * file changes nothing until a line is uncommented, except the few {@link #RELEASE_SETTINGS} that
 * an installed server should have on (each set below its commented default). Generated at build
 * time, so it cannot go stale.
 */
public final class ConfigTemplate {
  /**
   * What the release sets, unlike the server's defaults: the admin port (health, readiness, metrics
   * and the API behind {@code bin/imps admin}) on, on {@code admin.host}, loopback by default, so
   * that the admin command works out of the box on the server's machine only.
   */
  public static final Map<ServerConfig.Key<?>, String> RELEASE_SETTINGS =
      Map.of(ServerConfig.Key.ADMIN_PORT, "7681");

  private ConfigTemplate() {}

  /** The file's text. */
  public static String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("# IMPS server settings (Java properties: key = value).\n")
        .append("# Every setting is listed with its default, commented out: uncomment a line to")
        .append(" change it.\n")
        .append("# Environment variables (IMPS_PORT, ...) and flags (--set key=value) override")
        .append(" this file.\n")
        .append("# Durations: 500ms, 30s, 5m, 2h, 30d. Details: docs/CONFIGURATION.md.\n");
    for (ServerConfig.Key<?> k : ServerConfig.Key.all()) {
      sb.append('\n')
          .append("# ")
          .append(k.description())
          .append('\n')
          .append('#')
          .append(k.key())
          .append(" = ")
          .append(defaultText(k))
          .append('\n');
      String release = RELEASE_SETTINGS.get(k);
      if (release != null) {
        sb.append("# The release's own setting:\n")
            .append(k.key())
            .append(" = ")
            .append(release)
            .append('\n');
      }
    }
    return sb.toString();
  }

  private static <T> String defaultText(ServerConfig.Key<T> k) {
    return k.text(k.defaultValue());
  }

  /** Writes the template to the file given as the only argument (the build runs this). */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, render(), StandardCharsets.UTF_8);
  }
}
