package imps.client.cli;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a {@link ChatSession} behaves beyond its connection.
 *
 * @param clipDir where received voice clips are saved
 * @param statusFile where the status last chosen is remembered ({@link StatusMemory}); {@code null}
 *     for nowhere
 * @param walkInterval time between two fixes of {@code /walk}
 */
public record ChatSettings(Path clipDir, Path statusFile, Duration walkInterval) {
  /** Clips in {@code clipDir}, no status memory, a fix every 5 s while walking. */
  public static ChatSettings of(Path clipDir) {
    return new ChatSettings(clipDir, null, Duration.ofSeconds(5));
  }
}
