package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.codec.FrameDecoder;
import imps.protocol.message.ImpsMessage;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The seeds of {@link SessionFuzzTest} send every client command, and one of them every extension
 * request of a logged-in session that opted into extensions: a command added without a seed fails
 * here.
 */
class SessionFuzzSeedsTest {

  @Test
  void everyClientCommandIsInASeed() throws IOException {
    Set<CommandType> seeded = EnumSet.noneOf(CommandType.class);
    for (Path seed : seeds()) {
      commandsOf(seed).forEach(seeded::add);
    }
    assertThat(seeded)
        .containsAll(
            Stream.of(CommandType.values()).filter(CommandType::isClientToServer).toList());
  }

  @Test
  void aSeedLogsInAfterHelloThenSendsEveryExtensionRequest() throws IOException {
    List<CommandType> extensionRequests =
        Stream.of(CommandType.values())
            .filter(t -> t.isClientToServer() && t.isExtension() && t != CommandType.C_HELLO)
            .toList();
    boolean found = false;
    for (Path seed : seeds()) {
      List<CommandType> sent = commandsOf(seed);
      if (sent.size() > 2
          && sent.get(0) == CommandType.C_HELLO
          && sent.get(1) == CommandType.C_LOGIN_REQ
          && sent.subList(2, sent.size()).containsAll(extensionRequests)) {
        found = true;
      }
    }
    assertThat(found)
        .as("a seed: C_HELLO, C_LOGIN_REQ, then each of %s", extensionRequests)
        .isTrue();
  }

  /** The commands of the frames in a seed, in order. */
  private static List<CommandType> commandsOf(Path seed) throws IOException {
    List<CommandType> out = new ArrayList<>();
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(256));
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(Files.readAllBytes(seed)));
      Object o;
      while ((o = ch.readInbound()) != null) {
        if (o instanceof ImpsMessage m) {
          out.add(m.commandType());
        }
      }
    } finally {
      ch.finishAndReleaseAll();
    }
    return out;
  }

  private static List<Path> seeds() throws IOException {
    URL dir = SessionFuzzTest.class.getResource("SessionFuzzTestInputs/sessionStateMachine");
    assertThat(dir).as("seed directory").isNotNull();
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
