package imps.testsupport;

import imps.protocol.Feature;
import imps.protocol.message.Ack;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.StoredPush;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/**
 * A client process for tests that cut its network (see {@link NetworkNamespace}): logs in and
 * prints each text message it receives as a line {@code MSG <seq> <text>} (seq 0 for a legacy
 * client), after {@code READY} once logged in, and {@code CLOSED} when the connection ends. With
 * {@code acks} it opts into acknowledged delivery and acknowledges each message once printed, as an
 * app does once it has stored it.
 *
 * <p>Arguments: {@code HOST PORT USER PASSWORD legacy|acks}.
 */
public final class MessagePrinter {
  private MessagePrinter() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    boolean acks = args[4].equals("acks");
    try (FrameClient c = new FrameClient(args[0], Integer.parseInt(args[1]))) {
      if (acks) {
        c.send(new Hello(1, Set.of(Feature.ACKS)));
        c.expect(HelloResponse.class);
      }
      c.send(new LoginRequest(args[2], args[3]));
      c.expect(LoginResponse.class);
      out.println("READY");
      while (true) {
        Object o = c.next(Duration.ofDays(1));
        if (o instanceof StoredPush s && s.item() instanceof MessagePush m) {
          out.println("MSG " + s.seq() + " " + m.message());
          c.send(new Ack(s.seq()));
        } else if (o instanceof MessagePush m) {
          out.println("MSG 0 " + m.message());
        }
      }
    } catch (AssertionError | java.io.IOException e) {
      out.println("CLOSED " + e.getMessage());
    }
  }
}
