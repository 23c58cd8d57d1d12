package imps.client.cli;

import imps.client.ReceivedClip;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/** Voice clips on disk: where received ones go, how they are named, and reading one to send. */
final class Clips {
  /** The footer of {@code --help} of the commands that save clips; paths on lines of their own. */
  static final String HELP_1 = "Received voice clips are saved to --save-dir, by default";

  static final String HELP_2 =
      "  $XDG_DATA_HOME/imps/clips (~/.local/share/imps/clips when unset).";

  private Clips() {}

  /**
   * The directory for received clips when none is given: {@code $XDG_DATA_HOME/imps/clips}, or
   * {@code ~/.local/share/imps/clips} (the XDG base directory default), never the current
   * directory.
   */
  static Path defaultDir(Map<String, String> env) {
    String data = env.get("XDG_DATA_HOME");
    if (data != null && !data.isEmpty() && Path.of(data).isAbsolute()) {
      return Path.of(data, "imps", "clips");
    }
    String home = env.get("HOME");
    if (home == null || home.isEmpty()) {
      home = System.getProperty("user.home");
    }
    return Path.of(home, ".local", "share", "imps", "clips");
  }

  /**
   * Saves a clip under {@code dir} as {@code SENDER-yyyyMMdd-HHmmss.bin} (with {@code -N} added
   * when taken) and returns the path. The sender's name is reduced to safe file-name characters.
   */
  static Path save(Path dir, ReceivedClip clip) throws IOException {
    Files.createDirectories(dir);
    String sender = clip.sender().replaceAll("[^\\p{L}\\p{N}_-]", "_");
    String stamp = clip.acceptedAt().replaceAll("[^0-9]", "");
    if (stamp.length() == 14) {
      stamp = stamp.substring(0, 8) + "-" + stamp.substring(8);
    }
    for (int n = 0; ; n++) {
      Path p = dir.resolve(sender + "-" + stamp + (n == 0 ? "" : "-" + n) + ".bin");
      try (FileChannel out =
          FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        out.write(clip.clipBuffer());
        return p;
      } catch (FileAlreadyExistsException e) {
        // try the next suffix
      }
    }
  }

  /**
   * Reads a clip to send, at most {@code limit + 1} bytes: enough for the client to refuse a file
   * over the limit without loading all of a huge one.
   *
   * @throws IOException with a message for the user ({@link #problem})
   */
  static byte[] read(Path file, int limit) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(limit + 1);
    }
  }

  /** Why a file could not be read, in a few words ("no such file"), without the path again. */
  static String problem(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int colon = m.lastIndexOf(": ");
    return colon >= 0 ? m.substring(colon + 2) : m;
  }
}
