package imps.web;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.testsupport.FrameClient;
import java.io.IOException;

/** The other side of a browser test: a user on a raw TCP connection ({@link FrameClient}). */
final class TcpUser {
  private TcpUser() {}

  /** Registers {@code name} with {@link WebServer#PASSWORD} and logs in on {@code tcp}. */
  static void registerAndLogIn(FrameClient tcp, String name, Gender gender) throws IOException {
    tcp.send(new RegisterRequest(name, WebServer.PASSWORD, gender, ""));
    tcp.expect(new RegisterResponse(true));
    tcp.send(new LoginRequest(name, WebServer.PASSWORD));
    tcp.expect(LoginResponse.class);
  }

  /**
   * Connects to {@code port}, registers {@code name} with {@link WebServer#PASSWORD} (gender
   * unspecified) and logs in; pushes that come before the login reply are skipped.
   */
  static FrameClient connected(int port, String name) throws IOException {
    FrameClient c = FrameClient.connect(port);
    c.send(new RegisterRequest(name, WebServer.PASSWORD, Gender.UNSPECIFIED, ""));
    c.expect(new RegisterResponse(true));
    c.send(new LoginRequest(name, WebServer.PASSWORD));
    c.awaitMatching(LoginResponse.class, r -> true);
    return c;
  }

  /**
   * Registers and logs in {@code friend} on {@code tcp}, registers {@code me} in {@code app}, and
   * makes them friends: the browser asks, the TCP user gets the request next and accepts, and is
   * told next that it succeeded.
   */
  static void befriend(WebApp app, String me, FrameClient tcp, String friend, Gender gender)
      throws IOException {
    registerAndLogIn(tcp, friend, gender);
    app.register(me);
    app.addFriend(friend);
    tcp.expect(new FriendRequestPush(me));
    tcp.send(new AddFriendAnswer(me, true));
    tcp.expect(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_ADDFRIEND_RSP));
  }
}
