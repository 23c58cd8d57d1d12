package imps.server.transport;

import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.server.ImpsServerExtension;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Section 1: framing abuse never kills the server, and the answers are the specified ones. */
class FramingIT {
  @RegisterExtension static final ImpsServerExtension server = ImpsServerExtension.withDefaults();

  @AfterEach
  void serverStillServesFreshConnections() throws IOException {
    try (FrameClient c = FrameClient.connect(server.port())) {
      c.send(new RegisterRequest(uniqueName("fresh"), "secret1", Gender.UNSPECIFIED, ""));
      c.expect(new RegisterResponse(true));
    }
  }

  @Test
  void badTagGetsError8AndClose() throws IOException {
    FrameClient c = server.connect();
    c.sendRaw(new byte[] {'X', 'K', 0, 1, 1});
    c.expectError(8, 0);
    c.expectClosed(Duration.ofSeconds(5));
  }

  @Test
  void badSecondTagByteGetsError8AndClose() throws IOException {
    FrameClient c = server.connect();
    c.sendRaw(new byte[] {'O', 'X', 0, 1, 1});
    c.expectError(8, 0);
    c.expectClosed(Duration.ofSeconds(5));
  }

  @Test
  void zeroLengthGetsError8AndClose() throws IOException {
    FrameClient c = server.connect();
    c.sendRaw(new byte[] {'O', 'K', 0, 0});
    c.expectError(8, 0);
    c.expectClosed(Duration.ofSeconds(5));
  }

  @Test
  void unknownCommandKeepsConnection() throws IOException {
    FrameClient c = server.connect();
    c.sendRaw(new byte[] {'O', 'K', 0, 2, 99, 0});
    c.expectError(8, 99);
    c.sendRaw(new byte[] {'O', 'K', 0, 1, 32});
    c.expectError(8, 32);
    c.sendRaw(new byte[] {'O', 'K', 0, 1, 0});
    c.expectError(8, 0);
    assertConnectionUsable(c);
  }

  @Test
  void serverToClientCommandFromClientIsRefused() throws IOException {
    FrameClient c = server.connect();
    c.send(HeartbeatResponse.INSTANCE);
    c.expectError(8, CommandType.S_HEARTBEAT_RSP);
    c.send(new LoginResponse("x", Gender.UNSPECIFIED, ""));
    c.expectError(8, CommandType.S_LOGIN_RSP);
    assertConnectionUsable(c);
  }

  @Test
  void truncatedFieldsGetError8WithCmdAndKeepConnection() throws IOException {
    FrameClient c = server.connect();
    // C_LOGIN_REQ whose UserName claims 5 bytes but the frame has 2.
    c.sendRaw(new byte[] {'O', 'K', 0, 5, 1, 0, 5, 'a', 'b'});
    c.expectError(8, CommandType.C_LOGIN_REQ);
    // C_REGISTER ending before Gender.
    c.sendRaw(new byte[] {'O', 'K', 0, 9, 15, 0, 1, 'a', 0, 3, 'x', 'y', 'z'});
    c.expectError(8, CommandType.C_REGISTER);
    assertConnectionUsable(c);
  }

  @Test
  void hugeCountsAreRefusedWithoutHarm() throws IOException {
    FrameClient c = server.connect();
    // C_HEARTBEAT_REQ with DataSetSize 0x7fffffff and nothing after it.
    c.sendRaw(
        new byte[] {'O', 'K', 0, 8, 3, 0, 1, 'a', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    c.expectError(8, CommandType.C_HEARTBEAT_REQ);
    // Negative DataSetSize.
    c.sendRaw(
        new byte[] {
          'O', 'K', 0, 8, 3, 0, 1, 'a', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe
        });
    c.expectError(8, CommandType.C_HEARTBEAT_REQ);
    // C_AUDIO_REQ with a Byte[] count larger than the frame.
    c.sendRaw(new byte[] {'O', 'K', 0, 10, 18, 0, 1, 'b', 0, 0, 0x10, 0, 1, 2});
    c.expectError(8, CommandType.C_AUDIO_REQ);
    assertConnectionUsable(c);
  }

  @Test
  void invalidUtfIsMalformed() throws IOException {
    FrameClient c = server.connect();
    c.sendRaw(new byte[] {'O', 'K', 0, 9, 1, 0, 2, (byte) 0xc3, 0x28, 0, 1, 'x', 'y'});
    c.expectError(8, CommandType.C_LOGIN_REQ);
    assertConnectionUsable(c);
  }

  @Test
  void repeatedViolationsCloseTheConnection() throws IOException {
    FrameClient c = server.connect();
    for (int i = 0; i < 15; i++) {
      c.sendRaw(new byte[] {'O', 'K', 0, 1, 99});
      c.expectError(8, 99);
    }
    c.sendRaw(new byte[] {'O', 'K', 0, 1, 99});
    c.expectError(8, 99);
    c.expectClosed(Duration.ofSeconds(5));
  }

  @Test
  void serverToClientCommandsCountAsViolations() throws IOException {
    FrameClient c = server.connect();
    for (int i = 0; i < 15; i++) {
      c.send(HeartbeatResponse.INSTANCE);
      c.expectError(8, CommandType.S_HEARTBEAT_RSP);
    }
    c.send(HeartbeatResponse.INSTANCE);
    c.expectError(8, CommandType.S_HEARTBEAT_RSP);
    c.expectClosed(Duration.ofSeconds(5));
  }

  @Test
  void randomGarbageNeverKillsTheServer() throws IOException {
    Random random = new Random(42);
    for (int round = 0; round < 30; round++) {
      try (FrameClient c = FrameClient.connect(server.port())) {
        byte[] junk = new byte[1 + random.nextInt(3000)];
        random.nextBytes(junk);
        if (round % 2 == 0 && junk.length > 4) {
          // Valid header so the junk reaches the field decoders.
          junk[0] = 'O';
          junk[1] = 'K';
          junk[2] = (byte) ((junk.length - 4) >> 8);
          junk[3] = (byte) (junk.length - 4);
          junk[4] = (byte) (1 + random.nextInt(19));
        }
        c.sendRaw(junk);
        // Whatever it answers, every answer is a well-formed frame.
        try {
          while (true) {
            Object o = c.next(Duration.ofMillis(300));
            assertThat(o).isInstanceOfAny(imps.protocol.message.ImpsMessage.class);
          }
        } catch (AssertionError timeoutOrClosed) {
          // nothing more
        }
      }
    }
  }

  @Test
  void frameSplitAcrossManyWritesIsDecoded() throws IOException {
    FrameClient c = server.connect();
    byte[] login = {'O', 'K', 0, 11, 1, 0, 3, 'n', 'o', 'b', 0, 3, 'x', 'y', 'z'};
    for (byte b : login) {
      c.sendRaw(new byte[] {b});
    }
    c.expectError(6, CommandType.C_LOGIN_REQ);
  }

  private static void assertConnectionUsable(FrameClient c) throws IOException {
    c.send(new LoginRequest("nobody-here", "wrongpass"));
    c.expect(ErrorResponse.of(ErrorCode.BAD_CREDENTIALS, CommandType.C_LOGIN_REQ));
  }
}
