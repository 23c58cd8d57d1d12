package imps.server.session;

import static imps.server.ServerFixture.uniqueName;

import imps.protocol.CommandType;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.server.Backends;
import imps.server.ImpsServer;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.server.store.AccountStore;
import imps.server.store.FriendStore;
import imps.server.store.LocationStore;
import imps.server.store.MessageStore;
import imps.server.store.Store;
import imps.server.store.StoreException;
import imps.server.store.StoredMessage;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Error 11: a storage failure is answered "server error, not applied", and the server goes on. */
class ServerErrorIT {

  /** A real store whose message appends fail while {@code failing} is set. */
  private static final class FaultyStore implements Store {
    final Store real;
    final AtomicBoolean failing = new AtomicBoolean();

    FaultyStore(Store real) {
      this.real = real;
    }

    @Override
    public AccountStore accounts() {
      return real.accounts();
    }

    @Override
    public FriendStore friends() {
      return real.friends();
    }

    @Override
    public MessageStore messages() {
      MessageStore m = real.messages();
      return new MessageStore() {
        @Override
        public StoredMessage append(long s, String n, long r, String t, byte[] a, String at) {
          if (failing.get()) {
            throw new StoreException("injected failure", null);
          }
          return m.append(s, n, r, t, a, at);
        }

        @Override
        public CompletableFuture<StoredMessage> appendAsync(
            long s, String n, long r, String t, byte[] a, String at) {
          if (failing.get()) {
            return CompletableFuture.failedFuture(new StoreException("injected failure", null));
          }
          return m.appendAsync(s, n, r, t, a, at);
        }

        @Override
        public List<StoredMessage> undelivered(
            long recipientId, long afterId, int maxItems, long maxBytes) {
          return m.undelivered(recipientId, afterId, maxItems, maxBytes);
        }

        @Override
        public void markDelivered(List<Long> ids) {
          m.markDelivered(ids);
        }
      };
    }

    @Override
    public LocationStore locations() {
      return real.locations();
    }

    @Override
    public boolean isReachable() {
      return real.isReachable();
    }

    @Override
    public String describe() {
      return "faulty " + real.describe();
    }

    @Override
    public void close() {
      real.close();
    }
  }

  @Test
  void storageFailureIsError11AndNothingIsDelivered() throws IOException {
    ServerConfig config = ServerFixture.testConfig(Files.createTempDirectory("imps-err")).build();
    FaultyStore store = new FaultyStore(Backends.openStore(config, Clock.systemUTC()));
    try (ServerFixture server =
        ServerFixture.start(ImpsServer.start(config, Clock.systemUTC(), store))) {
      String a = uniqueName("ea");
      String b = uniqueName("eb");
      FrameClient ca = server.newUser(a);
      FrameClient cb = server.newUser(b);
      ServerFixture.befriend(ca, a, cb, b);
      store.failing.set(true);
      ca.send(new SendMessage(a, b, "lost?"));
      ca.expectError(11, CommandType.C_SEND_MSG);
      cb.expectSilence(Duration.ofMillis(300));
      store.failing.set(false);
      ca.send(new SendMessage(a, b, "retry"));
      ca.expectError(0, CommandType.C_SEND_MSG);
      cb.expect(MessagePush.class);
    }
  }
}
