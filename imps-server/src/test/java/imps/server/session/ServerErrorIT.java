package imps.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.server.store.Appended;
import imps.server.store.DelegatingStore;
import imps.server.store.MessageStore;
import imps.server.store.NewMessage;
import imps.server.store.Store;
import imps.server.store.StoreException;
import imps.server.store.StoredMessage;
import imps.server.store.StoredReceipt;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Error 11: a storage failure is answered "server error, not applied", and the server goes on. */
class ServerErrorIT {

  /** Set while the store's message appends fail. */
  private static final AtomicBoolean failing = new AtomicBoolean();

  @RegisterExtension
  static final ImpsServerExtension server =
      ImpsServerExtension.withDefaults().withStore(FaultyStore::new);

  /** A real store whose message appends fail while {@link #failing} is set. */
  private static final class FaultyStore extends DelegatingStore {
    FaultyStore(Store real) {
      super(real);
    }

    @Override
    public MessageStore messages() {
      MessageStore m = real.messages();
      return new MessageStore() {
        @Override
        public Appended append(NewMessage message) {
          if (failing.get()) {
            throw new StoreException("injected failure", null);
          }
          return m.append(message);
        }

        @Override
        public CompletableFuture<Appended> appendAsync(NewMessage message) {
          if (failing.get()) {
            return CompletableFuture.failedFuture(new StoreException("injected failure", null));
          }
          return m.appendAsync(message);
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

        @Override
        public int purgeDelivered(java.time.Instant bodiesBefore, java.time.Instant rowsBefore) {
          return m.purgeDelivered(bodiesBefore, rowsBefore);
        }

        @Override
        public List<StoredReceipt> acknowledge(Map<Long, Long> seqsByUser) {
          return m.acknowledge(seqsByUser);
        }

        @Override
        public Optional<StoredReceipt> markRead(long readerId, long peerId, long upToSeq) {
          return m.markRead(readerId, peerId, upToSeq);
        }

        @Override
        public imps.server.store.UnreadTally unread(long userId, int cap) {
          return m.unread(userId, cap);
        }

        @Override
        public List<StoredReceipt> unacknowledgedReceipts(long userId, long afterSeq) {
          return m.unacknowledgedReceipts(userId, afterSeq);
        }

        @Override
        public imps.server.store.HistorySlice history(
            long userId,
            long peerId,
            long fromId,
            boolean newer,
            int maxItems,
            long maxBytes,
            long since) {
          return m.history(userId, peerId, fromId, newer, maxItems, maxBytes, since);
        }
      };
    }

    @Override
    public String describe() {
      return "faulty " + real.describe();
    }
  }

  @Test
  void storageFailureIsError11AndNothingIsDelivered() throws IOException {
    LoggedInFriends f = server.friends("ea", "eb");
    failing.set(true);
    f.ca().send(new SendMessage(f.a(), f.b(), "lost?"));
    f.ca().expectError(11, CommandType.C_SEND_MSG);
    f.cb().expectSilence(Duration.ofMillis(300));
    failing.set(false);
    f.ca().send(new SendMessage(f.a(), f.b(), "retry"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    f.cb().expect(MessagePush.class);
  }

  /** Review findings H3 and L3: every failing request logged an ERROR with a stack trace. */
  @Test
  void storageFailuresAreLoggedAtALimitedRate() throws IOException {
    ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(imps.server.dispatch.RequestDispatcher.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    log.addAppender(lines);
    try {
      LoggedInFriends f = server.friends("ea", "eb");
      failing.set(true);
      for (int i = 0; i < 100; i++) {
        f.ca().send(new SendMessage(f.a(), f.b(), "lost " + i));
      }
      for (int i = 0; i < 100; i++) {
        f.ca().expectError(11, CommandType.C_SEND_MSG);
      }
    } finally {
      failing.set(false);
      log.detachAppender(lines);
    }
    // One line (or two, if an earlier test's failure opened the interval just before); not 100.
    assertThat(lines.list).hasSizeLessThanOrEqualTo(2);
  }
}
