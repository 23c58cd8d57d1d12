package imps.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.message.ImpsMessage;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The seeds of {@link ProtocolFuzzTest} cover every command: a command added to {@link CommandType}
 * without a seed (its bytes from docs/PROTOCOL.md) fails here, so that the regression run in {@code
 * mvn verify} and every fuzzing run start from a valid frame of it.
 */
class FuzzSeedsTest {

  @Test
  void everyCommandHasACommandCodecsSeedThatDecodesToIt() throws IOException {
    Set<CommandType> seeded = EnumSet.noneOf(CommandType.class);
    for (Path seed : seeds("commandCodecs")) {
      Object o = FrameDecoder.decodeContent(Unpooled.wrappedBuffer(Files.readAllBytes(seed)));
      if (o instanceof ImpsMessage m) {
        seeded.add(m.commandType());
      }
    }
    assertThat(seeded)
        .as("commands with a seed in ProtocolFuzzTestInputs/commandCodecs/")
        .containsAll(clientCommands())
        .containsAll(EnumSet.allOf(CommandType.class));
  }

  @Test
  void everyCommandHasAFrameDecoderSeedThatDecodesToIt() throws IOException {
    Set<CommandType> seeded = EnumSet.noneOf(CommandType.class);
    for (Path seed : seeds("frameDecoder")) {
      EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(256));
      try {
        ch.writeInbound(Unpooled.wrappedBuffer(Files.readAllBytes(seed)));
        Object o;
        while ((o = ch.readInbound()) != null) {
          if (o instanceof ImpsMessage m) {
            seeded.add(m.commandType());
          }
        }
      } finally {
        ch.finishAndReleaseAll();
      }
    }
    assertThat(seeded)
        .as("commands with a seed in ProtocolFuzzTestInputs/frameDecoder/")
        .containsAll(EnumSet.allOf(CommandType.class));
  }

  private static List<CommandType> clientCommands() {
    return Stream.of(CommandType.values()).filter(CommandType::isClientToServer).toList();
  }

  /** The seed files of one target, as Jazzer finds them on the test class path. */
  private static List<Path> seeds(String target) throws IOException {
    URL dir = ProtocolFuzzTest.class.getResource("ProtocolFuzzTestInputs/" + target);
    assertThat(dir).as("seed directory of %s", target).isNotNull();
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      List<Path> seeds = files.filter(Files::isRegularFile).sorted().toList();
      assertThat(seeds).isNotEmpty();
      return seeds;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
