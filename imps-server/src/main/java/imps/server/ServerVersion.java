package imps.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** {@code imps server --version} and the start-up log: the version Maven wrote into the jar. */
public final class ServerVersion implements CommandLine.IVersionProvider {

  /** The server's version, e.g. {@code 0.1.0-SNAPSHOT}; "unknown" when run from bare classes. */
  public static String version() {
    Properties p = new Properties();
    try (InputStream in = ServerVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {"IMPS server " + version()};
  }
}
