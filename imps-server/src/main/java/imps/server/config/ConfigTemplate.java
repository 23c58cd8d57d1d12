package imps.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The commented {@code conf/imps.properties} of a release: every setting of {@link
 * ServerConfig.Key}, in order, with its description and its default, commented out, so that the
 * file changes nothing until a line is uncommented. Generated at build time, so it cannot go stale.
 */
public final class ConfigTemplate {
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
