package imps.server.transport;

import static imps.server.ImpsServerExtension.PASSWORD;
import static imps.server.ImpsServerExtension.uniqueName;

import imps.protocol.CommandType;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.server.ImpsServerExtension;
import imps.server.config.ServerConfig.Key;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding L1: connections were capped only globally, so one host could take every slot with
 * connections that never log in. Per client address there is now a cap on connections not logged
 * in, a rate of new connections, and a rate of requests per connection.
 */
class AddressLimitIT {
  private static final Duration CLOSE = Duration.ofSeconds(5);

  @RegisterExtension
  static final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
          b ->
              b.set(Key.LIMIT_EXEMPT, "")
                  .set(Key.LIMIT_UNAUTHENTICATED_PER_ADDRESS, "3")
                  .set(Key.LIMIT_CONNECTIONS_PER_ADDRESS, "6/1h")
                  .set(Key.LIMIT_REQUESTS, "5/1h"));

  @Test
  void connectionsThatDoNotLogInAreCappedPerAddressAndLoggingInFreesTheSlot() throws IOException {
    String user = uniqueName("ad");
    server.register(user);
    List<FrameClient> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        FrameClient c = FrameClient.connectFrom("127.0.0.12", server.port());
        idle.add(c);
        // Connections are admitted on their own event loops, so without a reply a later one could
        // be admitted before an earlier one: the reply proves this one holds its slot.
        c.send(new HeartbeatRequest("x", List.of()));
        c.expectError(5, CommandType.C_HEARTBEAT_REQ);
      }
      // A fourth from the same address is closed as it opens; another address is not affected.
      try (FrameClient over = FrameClient.connectFrom("127.0.0.12", server.port())) {
        over.expectClosed(CLOSE);
      }
      try (FrameClient other = FrameClient.connectFrom("127.0.0.13", server.port())) {
        other.send(new HeartbeatRequest("x", List.of()));
        other.expectError(5, CommandType.C_HEARTBEAT_REQ);
      }
      // One of the three logs in: it no longer counts, so a new connection fits.
      idle.get(0).send(new LoginRequest(user, PASSWORD));
      idle.get(0).expect(LoginResponse.class);
      // The login request ends after the backlog (none here): the next reply comes after it.
      idle.get(0).send(new HeartbeatRequest(user, List.of()));
      idle.get(0).expect(HeartbeatResponse.INSTANCE);
      try (FrameClient fits = FrameClient.connectFrom("127.0.0.12", server.port())) {
        fits.send(new HeartbeatRequest("x", List.of()));
        fits.expectError(5, CommandType.C_HEARTBEAT_REQ);
      }
    } finally {
      for (FrameClient c : idle) {
        c.close();
      }
    }
  }

  @Test
  void newConnectionsPerAddressAreRateLimited() throws IOException {
    for (int i = 0; i < 6; i++) {
      try (FrameClient c = FrameClient.connectFrom("127.0.0.14", server.port())) {
        c.send(new HeartbeatRequest("x", List.of()));
        c.expectError(5, CommandType.C_HEARTBEAT_REQ);
      }
    }
    try (FrameClient c = FrameClient.connectFrom("127.0.0.14", server.port())) {
      c.expectClosed(CLOSE);
    }
  }

  @Test
  void requestsPerConnectionAreRateLimitedWithError10InOrder() throws IOException {
    String user = uniqueName("ad");
    try (FrameClient c = server.newUser(user)) {
      // newUser sent one request (the login) on this connection.
      for (int i = 0; i < 6; i++) {
        c.send(new HeartbeatRequest(user, List.of()));
      }
      for (int i = 0; i < 4; i++) {
        c.expect(HeartbeatResponse.INSTANCE);
      }
      c.expectError(10, CommandType.C_HEARTBEAT_REQ);
      c.expectError(10, CommandType.C_HEARTBEAT_REQ);
    }
  }
}
