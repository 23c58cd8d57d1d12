package imps.server.store.jdbc;

import imps.server.store.Appended;
import imps.server.store.HistorySlice;
import imps.server.store.MessageStore;
import imps.server.store.NewMessage;
import imps.server.store.StoredMessage;
import imps.server.store.StoredReceipt;
import imps.server.store.UnreadTally;
import imps.server.store.jdbc.AppendStatement.Attempt;
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
  private final WaitingBounds waiting;
  private final Dialect dialect;
  // The two kinds of Append that run together: one statement with a quota, one without.
  private final BatchableWork.Kind<Appended> appendsWithQuota =
      (tx, works) -> storeTogether(tx, works, true);
  private final BatchableWork.Kind<Appended> appendsWithoutQuota =
      (tx, works) -> storeTogether(tx, works, false);

  /**
   * Over a database that other servers may write too (no bounds kept here), with SQLite's
   * statements ({@link Dialect#SQLITE}).
   */
  public JdbcMessageStore(JdbcDatabase db) {
    this(db, false, Dialect.SQLITE);
  }

  /**
   * @param soleWriter whether this process is the database's only writer (SQLite), so that the
   *     quota check can skip the database while a bound kept here says the quota is far ({@link
   *     WaitingBounds})
   * @param dialect the engine's, which chooses how a message is stored: in one statement ({@link
   *     AppendStatement}) or in three, and how a conversation's messages are found ({@link
   *     Conversations}); the rules are the same
   */
  public JdbcMessageStore(JdbcDatabase db, boolean soleWriter, Dialect dialect) {
    this.db = db;
    this.waiting = soleWriter ? new WaitingBounds() : null;
    this.dialect = dialect;
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

  private Work<Appended> insert(NewMessage m) {
    return insert(m, Quota.NONE);
  }

  private Work<Appended> insert(NewMessage m, Quota quota) {
    if (dialect.storesAMessageInOneStatement()) {
      return new Append(m, Messages.bodyBytes(m), quota);
    }
    return tx -> {
      long bytes = Messages.bodyBytes(m);
      return settle(tx, m, bytes, storeInSteps(tx, m, bytes, quota));
    };
  }

  /**
   * The rules after an attempt to store {@code m}: a resend of a message stored before (over the
   * quota or with its client id taken) is that message again; a number taken for nothing is given
   * back.
   */
  private Appended settle(Tx tx, NewMessage m, long bytes, Attempt a) throws SQLException {
    if (a.overQuota()) {
      // A resend of a message stored before is acknowledged again, even at the quota.
      return earlier(tx, m).orElseGet(Appended::refusedOverQuota);
    }
    if (a.clientIdTaken()) {
      Sequences.giveBack(tx, m.recipientId());
      return earlier(tx, m).orElseThrow(() -> new SQLException("client id taken, no message"));
    }
    if (waiting != null) {
      waiting.stored(m.recipientId(), bytes);
    }
    return new Appended(
        new StoredMessage(
            a.id(),
            a.seq(),
            m.senderId(),
            m.senderName(),
            m.recipientId(),
            m.text(),
            m.audio(),
            m.acceptedAt(),
            m.clientId()),
        false);
  }

  /**
   * A message stored in one statement ({@link AppendStatement}); the messages queued next to each
   * other in one group commit, with a quota or all without, go to the database in one round trip.
   */
  private final class Append implements BatchableWork<Appended> {
    private final NewMessage m;
    private final long bytes;
    private final Quota quota;

    Append(NewMessage m, long bytes, Quota quota) {
      this.m = m;
      this.bytes = bytes;
      this.quota = quota;
    }

    @Override
    public Appended run(Tx tx) throws SQLException {
      return settle(tx, m, bytes, AppendStatement.store(tx, m, bytes, quota));
    }

    @Override
    public Kind<Appended> together() {
      return quota.equals(Quota.NONE) ? appendsWithoutQuota : appendsWithQuota;
    }
  }

  /**
   * Stores {@code works} in one round trip ({@link AppendStatement#storeAll}), then applies the
   * rules to each in order, as {@link Append#run} one after another would. One case cannot be
   * settled afterwards: a message whose client id was taken gives its number back ({@link
   * Sequences#giveBack} takes one off the recipient's last number), which is right only if no later
   * message of the call took a number of the same recipient. Then (a resend in the same batch as
   * another message to its recipient: rare) this throws, and the writer runs the batch's writes
   * again one per transaction.
   */
  private List<Appended> storeTogether(Tx tx, List<BatchableWork<Appended>> works, boolean quota)
      throws SQLException {
    int n = works.size();
    List<NewMessage> ms = new ArrayList<>(n);
    List<Quota> quotas = new ArrayList<>(n);
    long[] bytes = new long[n];
    for (int k = 0; k < n; k++) {
      Append a = (Append) works.get(k);
      ms.add(a.m);
      quotas.add(a.quota);
      bytes[k] = a.bytes;
    }
    List<Attempt> attempts = AppendStatement.storeAll(tx, ms, bytes, quotas, quota);
    for (int k = 0; k < n; k++) {
      if (attempts.get(k).clientIdTaken() && laterTookANumber(ms, attempts, k)) {
        throw new SQLException("a resend among later messages to its recipient: store one by one");
      }
    }
    List<Appended> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      out.add(settle(tx, ms.get(k), bytes[k], attempts.get(k)));
    }
    return out;
  }

  /** Whether a message after the {@code k}th to the same recipient took a sequence number. */
  private static boolean laterTookANumber(List<NewMessage> ms, List<Attempt> attempts, int k) {
    for (int j = k + 1; j < ms.size(); j++) {
      if (ms.get(j).recipientId() == ms.get(k).recipientId() && !attempts.get(j).overQuota()) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@link AppendStatement#store}'s work in three statements: the quota's count (unless {@link
   * WaitingBounds} says it is far), the sequence number, the row.
   */
  private Attempt storeInSteps(Tx tx, NewMessage m, long bytes, Quota quota) throws SQLException {
    if (!quota.equals(Quota.NONE) && overQuota(tx, m.recipientId(), bytes, quota)) {
      return Attempt.OVER_QUOTA;
    }
    long seq = Sequences.next(tx, m.recipientId());
    long id = Messages.insert(tx, m, seq, bytes);
    return id < 0 ? Attempt.clientIdTaken(seq) : Attempt.stored(id, seq);
  }

  /** The message {@code m}'s sender stored before under its client id, as a duplicate. */
  private static Optional<Appended> earlier(Tx tx, NewMessage m) throws SQLException {
    if (m.clientId() == 0) {
      return Optional.empty();
    }
    return Messages.byClientId(tx, m.senderId(), m.clientId()).map(e -> new Appended(e, true));
  }

  /**
   * Whether a message of {@code bytes} would take the recipient's undelivered messages past {@code
   * quota}.
   */
  private boolean overQuota(Tx tx, long recipientId, long bytes, Quota quota) throws SQLException {
    if (waiting != null && waiting.surelyWithin(recipientId, bytes, quota)) {
      return false;
    }
    long[] held = Messages.waiting(tx, recipientId);
    if (waiting != null) {
      waiting.measured(recipientId, held[0], held[1]);
    }
    return held[0] >= quota.items() || held[1] + bytes > quota.bytes();
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
    // What the recipient acknowledged is marked delivered in the same write; skipping the number
    // kept in memory too only spares reading it.
    long after = Math.max(afterSeq, db.unflushedAckedSeq(recipientId));
    return db.read(
        tx -> {
          // Sizes first, without the bodies, to find where the page ends; then the bodies of that
          // page only. Both skip what the recipient acknowledged (Messages.AFTER_ACKED).
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
          if (dialect.hasArrays()) {
            Messages.markDeliveredAtOnce(tx, messageIds);
          } else {
            Messages.markDelivered(tx, messageIds);
          }
          return null;
        });
  }

  @Override
  public List<StoredReceipt> acknowledge(Map<Long, Long> seqsByUser) {
    if (seqsByUser.isEmpty()) {
      return List.of();
    }
    if (dialect.recordsAcknowledgementsTogether()) {
      return db.write(tx -> AcknowledgeStatement.record(tx, seqsByUser));
    }
    return db.write(
        tx -> {
          List<StoredReceipt> out = new ArrayList<>();
          for (Map.Entry<Long, Long> e : seqsByUser.entrySet()) {
            long user = e.getKey();
            // Never past what was given out: an acknowledgement of the future counts for nothing.
            Optional<Long> acked = Sequences.advanceAcked(tx, user, e.getValue());
            if (acked.isEmpty()) {
              continue;
            }
            // Acknowledged messages are delivered: flagged like those written to legacy clients,
            // so that one purge finds both, and so that a crash that loses an acknowledged number
            // kept in memory (SequenceCounters) cannot deliver them again; their senders who asked
            // for receipts get one.
            Map<Long, Long> tell = Messages.markDeliveredUpTo(tx, user, acked.get());
            String name = tell.isEmpty() ? null : Receipts.name(tx, user);
            for (Map.Entry<Long, Long> s : tell.entrySet()) {
              Receipts.advance(tx, s.getKey(), user, name, false, s.getValue()).ifPresent(out::add);
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
          ReadMarks.advance(tx, dialect, readerId, peerId, upToSeq);
          long upTo = Receipts.readUpTo(tx, readerId, peerId, upToSeq);
          return upTo != 0 ? Receipts.advance(tx, peerId, readerId, true, upTo) : Optional.empty();
        });
  }

  @Override
  public UnreadTally unread(long userId, int cap) {
    // Asked before the read: a counter flushed meanwhile is in the snapshot the read then takes.
    long unflushed = db.unflushedLastSeq(userId);
    return db.read(tx -> ReadMarks.tally(tx, dialect, userId, cap, unflushed));
  }

  @Override
  public List<StoredReceipt> unacknowledgedReceipts(long userId, long afterSeq) {
    // The acknowledged number users.acked_seq may not show yet, asked before the read.
    long after = Math.max(afterSeq, db.unflushedAckedSeq(userId));
    return db.read(tx -> Receipts.unacknowledged(tx, userId, after));
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
            HistoryPages.page(
                tx, dialect, userId, peerId, fromId, newer, maxItems, maxBytes, sinceMillis));
  }
}
