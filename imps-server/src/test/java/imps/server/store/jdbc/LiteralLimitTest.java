package imps.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LiteralLimitTest {
  @Test
  void aVaryingLimitIsRoundedUpToAPowerOfTwo() {
    assertThat(LiteralLimit.roundUp(0)).isEqualTo(1);
    assertThat(LiteralLimit.roundUp(1)).isEqualTo(1);
    assertThat(LiteralLimit.roundUp(2)).isEqualTo(2);
    assertThat(LiteralLimit.roundUp(3)).isEqualTo(4);
    assertThat(LiteralLimit.roundUp(101)).isEqualTo(128);
    assertThat(LiteralLimit.roundUp(500)).isEqualTo(512);
    assertThat(LiteralLimit.roundUp(1 << 30)).isEqualTo(1 << 30);
    assertThat(LiteralLimit.atLeast(18)).isEqualTo(" LIMIT 32");
    assertThatThrownBy(() -> LiteralLimit.roundUp((1 << 30) + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFixedLimitIsWrittenAsItIs() {
    assertThat(LiteralLimit.exactly(10)).isEqualTo(" LIMIT 10");
    assertThatThrownBy(() -> LiteralLimit.exactly(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * SQLite prepares a statement again each time a bound LIMIT is bound (LiteralLimit says why): no
   * statement of the server binds one.
   */
  @Test
  void noStatementBindsItsLimit() throws IOException {
    Pattern bound = Pattern.compile("(?i)\\b(LIMIT|OFFSET)\\s*\\?");
    List<Path> binding;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      binding =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.endsWith("LiteralLimit.java"))
              .filter(
                  p -> {
                    try {
                      return bound.matcher(Files.readString(p)).find();
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .toList();
    }
    assertThat(binding).isEmpty();
  }
}
