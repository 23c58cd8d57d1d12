package imps.server.store.jdbc;

import imps.server.store.Appended;
import imps.server.store.HistorySlice;
import imps.server.store.MessageStore;
import imps.server.store.NewMessage;
import imps.server.store.StoredMessage;
import imps.server.store.StoredReceipt;
import imps.server.store.UnreadTally;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link MessageStore} in tables {@code messages} and {@code receipts}. This class holds the rules:
 * a resend with a known client id is the earlier message, the quota, where a backlog page ends, how
 * far an acknowledgement counts and which receipts it makes due; the statements are in {@link
 * Messages}, {@link Receipts} and {@link Sequences}, the history pages in {@link HistoryPages}.
 */
public final class JdbcMessageStore implements MessageStore {
  private final JdbcDatabase db;

  public JdbcMessageStore(JdbcDatabase db) {
    this.db = db;
  }

  // ---------------------------------------------------------------------------------------------
  // Storing

  @Override
  public Appended append(NewMessage m) {
    return db.write(insert(m));
  }

  @Override
  public CompletableFuture<Appended> appendAsync(NewMessage m) {
    return db.writeAsync(insert(m));
  }

  @Override
  public CompletableFuture<Appended> appendAsync(NewMessage m, Quota quota) {
    return db.writeAsync(insert(m, quota));
  }

  private static Work<Appended> insert(NewMessage m) {
    return insert(m, Quota.NONE);
  }

  private static Work<Appended> insert(NewMessage m, Quota quota) {
    return tx -> {
      if (m.clientId() != 0) {
        Optional<StoredMessage> earlier = Messages.byClientId(tx, m.senderId(), m.clientId());
        if (earlier.isPresent()) {
          return new Appended(earlier.get(), true);
        }
      }
      if (!quota.equals(Quota.NONE) && overQuota(tx, m, quota)) {
        return Appended.refusedOverQuota();
      }
      long seq = Sequences.next(tx, m.recipientId());
      long id = Messages.insert(tx, m, seq);
      return new Appended(
          new StoredMessage(
              id,
              seq,
              m.senderId(),
              m.senderName(),
              m.recipientId(),
              m.text(),
              m.audio(),
              m.acceptedAt(),
              m.clientId()),
          false);
    };
  }

  /** Whether {@code m} would take its recipient's undelivered messages past {@code quota}. */
  private static boolean overQuota(Tx tx, NewMessage m, Quota quota) throws SQLException {
    long[] held = Messages.waiting(tx, m.recipientId());
    return held[0] >= quota.items() || held[1] + Messages.bodyBytes(m) > quota.bytes();
  }

  @Override
  public int purgeDelivered(Instant bodiesBefore, Instant rowsBefore) {
    return db.write(tx -> Messages.purgeDelivered(tx, bodiesBefore, rowsBefore));
  }

  // ---------------------------------------------------------------------------------------------
  // Delivery and acknowledgement

  @Override
  public List<StoredMessage> undelivered(
      long recipientId, long afterSeq, int maxItems, long maxBytes) {
    return db.read(
        tx -> {
          long after = Math.max(afterSeq, Sequences.acked(tx, recipientId));
          // Sizes first, without the bodies, to find where the page ends; then the bodies of that
          // page only.
          List<long[]> sizes = Messages.undeliveredSizes(tx, recipientId, after, maxItems);
          if (sizes.isEmpty()) {
            return List.of();
          }
          long last = sizes.get(0)[0];
          long bytes = 0;
          for (long[] s : sizes) {
            bytes += s[1];
            if (bytes > maxBytes && s[0] != sizes.get(0)[0]) {
              break;
            }
            last = s[0];
          }
          return Messages.undelivered(tx, recipientId, after, last);
        });
  }

  @Override
  public void markDelivered(List<Long> messageIds) {
    if (messageIds.isEmpty()) {
      return;
    }
    db.write(
        tx -> {
          Messages.markDelivered(tx, messageIds);
          return null;
        });
  }

  @Override
  public List<StoredReceipt> acknowledge(Map<Long, Long> seqsByUser) {
    if (seqsByUser.isEmpty()) {
      return List.of();
    }
    return db.write(
        tx -> {
          List<StoredReceipt> out = new ArrayList<>();
          for (Map.Entry<Long, Long> e : seqsByUser.entrySet()) {
            long user = e.getKey();
            Optional<long[]> seqs = Sequences.ackedAndLast(tx, user);
            if (seqs.isEmpty()) {
              continue;
            }
            long before = seqs.get()[0];
            // Never past what was given out: an acknowledgement of the future counts for nothing.
            long upTo = Math.min(e.getValue(), seqs.get()[1]);
            if (upTo <= before) {
              continue;
            }
            Sequences.setAcked(tx, user, upTo);
            // Acknowledged messages are delivered: flagged like those written to legacy clients,
            // so that one purge finds both.
            Messages.markDelivered(tx, user, before, upTo);
            // Senders who asked for receipts, of the messages acknowledged just now.
            for (long[] s : Receipts.sendersToTell(tx, user, before, upTo)) {
              Receipts.advance(tx, s[0], user, false, s[1]).ifPresent(out::add);
            }
          }
          return out;
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Receipts and history

  @Override
  public Optional<StoredReceipt> markRead(long readerId, long peerId, long upToSeq) {
    return db.write(
        tx -> {
          ReadMarks.advance(tx, readerId, peerId, upToSeq);
          long upTo = Receipts.readUpTo(tx, readerId, peerId, upToSeq);
          return upTo != 0 ? Receipts.advance(tx, peerId, readerId, true, upTo) : Optional.empty();
        });
  }

  @Override
  public UnreadTally unread(long userId, int cap) {
    return db.read(tx -> ReadMarks.tally(tx, userId, cap));
  }

  @Override
  public List<StoredReceipt> unacknowledgedReceipts(long userId, long afterSeq) {
    return db.read(tx -> Receipts.unacknowledged(tx, userId, afterSeq));
  }

  @Override
  public HistorySlice history(
      long userId,
      long peerId,
      long fromId,
      boolean newer,
      int maxItems,
      long maxBytes,
      long sinceMillis) {
    if (maxItems <= 0) {
      return new HistorySlice(List.of(), false);
    }
    return db.read(
        tx ->
            HistoryPages.page(tx, userId, peerId, fromId, newer, maxItems, maxBytes, sinceMillis));
  }
}
