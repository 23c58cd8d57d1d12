package imps.server.store.jdbc;

import imps.server.store.AddRequestResult;
import imps.server.store.AnswerResult;
import imps.server.store.FriendStore;
import imps.server.store.FriendView;
import imps.server.store.Outcome;
import imps.server.store.PendingRequest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link FriendStore} in tables {@code friendships}, {@code friend_requests}, {@code
 * request_outcomes}.
 */
public final class JdbcFriendStore implements FriendStore {
  private static final String REQUEST_SELECT =
      "SELECT r.id, r.seq, r.from_id, u.name FROM friend_requests r"
          + " JOIN users u ON u.id = r.from_id";
  private static final String OUTCOME_SELECT =
      "SELECT o.id, o.seq, o.user_id, o.other_id, u.name, o.accepted FROM request_outcomes o"
          + " JOIN users u ON u.id = o.other_id";

  private final JdbcDatabase db;
  private final Clock clock;

  public JdbcFriendStore(JdbcDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public List<FriendView> friends(long userId) {
    return db.read(
        tx ->
            tx.list(
                "SELECT u.id, u.name, u.shared_time, u.shared_location FROM friendships f"
                    + " JOIN users u ON u.id = f.friend_id WHERE f.user_id = ? ORDER BY u.name_key",
                ps -> ps.setLong(1, userId),
                rs ->
                    new FriendView(
                        rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4))));
  }

  @Override
  public List<Long> friendIds(long userId) {
    return db.read(
        tx ->
            tx.list(
                "SELECT friend_id FROM friendships WHERE user_id = ?",
                ps -> ps.setLong(1, userId),
                rs -> rs.getLong(1)));
  }

  @Override
  public boolean areFriends(long a, long b) {
    return db.read(tx -> friends(tx, a, b));
  }

  @Override
  public AddRequestResult addRequest(
      long fromId, long toId, int maxFriends, int maxPendingFrom, int maxPendingTo) {
    return db.write(
        tx -> {
          tx.lockUsers(fromId, toId);
          if (blocks(tx, toId, fromId)) {
            return new AddRequestResult.Ignored();
          }
          if (blocks(tx, fromId, toId)) {
            return new AddRequestResult.BlockedByMe();
          }
          if (friends(tx, fromId, toId)) {
            return new AddRequestResult.AlreadyFriends();
          }
          if (count(tx, fromId) >= maxFriends || count(tx, toId) >= maxFriends) {
            return new AddRequestResult.LimitReached();
          }
          Optional<PendingRequest> reverse = pending(tx, toId, fromId);
          if (reverse.isPresent()) {
            deleteRequest(tx, toId, fromId);
            deleteRequest(tx, fromId, toId);
            befriend(tx, fromId, toId);
            return new AddRequestResult.Mutual(storeOutcome(tx, toId, fromId, true));
          }
          Optional<PendingRequest> existing = pending(tx, fromId, toId);
          if (existing.isPresent()) {
            return new AddRequestResult.Pending(existing.get().id(), existing.get().seq(), false);
          }
          if (countPending(tx, "from_id", fromId) >= maxPendingFrom
              || countPending(tx, "to_id", toId) >= maxPendingTo) {
            return new AddRequestResult.TooManyPending();
          }
          long seq = Sequences.next(tx, toId);
          PreparedStatement ps =
              tx.prepare(
                  "INSERT INTO friend_requests (from_id, to_id, created_at, seq)"
                      + " VALUES (?, ?, ?, ?) RETURNING id");
          ps.setLong(1, fromId);
          ps.setLong(2, toId);
          ps.setLong(3, clock.millis());
          ps.setLong(4, seq);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new AddRequestResult.Pending(rs.getLong(1), seq, true);
          }
        });
  }

  @Override
  public List<PendingRequest> pendingFor(long toId) {
    return db.read(
        tx ->
            tx.list(
                REQUEST_SELECT + " WHERE r.to_id = ? ORDER BY r.seq",
                ps -> ps.setLong(1, toId),
                rs -> request(rs, toId)));
  }

  @Override
  public AnswerResult answer(long fromId, long toId, boolean accept, int maxFriends) {
    return db.write(
        tx -> {
          tx.lockUsers(toId, fromId);
          return settle(tx, pending(tx, fromId, toId), toId, accept, maxFriends);
        });
  }

  @Override
  public AnswerResult answerOldest(long toId, boolean accept, int maxFriends) {
    return db.write(
        tx -> {
          // Locking the answering user first keeps "the oldest pending request" stable.
          tx.lockUsers(toId, toId);
          Optional<PendingRequest> req = oldestPending(tx, toId);
          if (req.isPresent()) {
            tx.lockUsers(req.get().fromId(), toId);
          }
          return settle(tx, req, toId, accept, maxFriends);
        });
  }

  private AnswerResult settle(
      Tx tx, Optional<PendingRequest> req, long toId, boolean accept, int maxFriends)
      throws SQLException {
    if (req.isEmpty()) {
      return new AnswerResult.NoRequest();
    }
    PendingRequest r = req.get();
    if (accept && (count(tx, r.fromId()) >= maxFriends || count(tx, toId) >= maxFriends)) {
      return new AnswerResult.LimitReached();
    }
    deleteRequest(tx, r.fromId(), toId);
    if (accept) {
      // A request the other way, if any, is settled by this friendship too.
      deleteRequest(tx, toId, r.fromId());
      befriend(tx, r.fromId(), toId);
    }
    return new AnswerResult.Answered(r, storeOutcome(tx, r.fromId(), toId, accept));
  }

  @Override
  public List<Outcome> undeliveredOutcomes(long userId, long afterSeq) {
    return db.read(
        tx ->
            tx.list(
                OUTCOME_SELECT
                    + " WHERE o.user_id = ? AND o.delivered = 0 AND o.seq > ?"
                    + " AND o.seq > (SELECT acked_seq FROM users WHERE id = ?) ORDER BY o.seq",
                ps -> {
                  ps.setLong(1, userId);
                  ps.setLong(2, afterSeq);
                  ps.setLong(3, userId);
                },
                JdbcFriendStore::outcome));
  }

  @Override
  public void markOutcomesDelivered(List<Long> outcomeIds) {
    if (outcomeIds.isEmpty()) {
      return;
    }
    db.write(
        tx -> {
          PreparedStatement ps =
              tx.prepare("UPDATE request_outcomes SET delivered = 1 WHERE id = ?");
          for (long id : outcomeIds) {
            ps.setLong(1, id);
            ps.addBatch();
          }
          ps.executeBatch();
          return null;
        });
  }

  @Override
  public int purge(Instant requestsCreatedBefore) {
    return db.write(
        tx -> {
          PreparedStatement requests =
              tx.prepare("DELETE FROM friend_requests WHERE created_at < ?");
          requests.setLong(1, requestsCreatedBefore.toEpochMilli());
          int n = requests.executeUpdate();
          PreparedStatement outcomes =
              tx.prepare(
                  "DELETE FROM request_outcomes WHERE delivered = 1"
                      + " OR seq <= (SELECT acked_seq FROM users WHERE users.id = user_id)");
          return n + outcomes.executeUpdate();
        });
  }

  @Override
  public boolean removeFriend(long a, long b) {
    return db.write(
        tx -> {
          tx.lockUsers(a, b);
          return unfriend(tx, a, b);
        });
  }

  @Override
  public boolean block(long userId, long blockedId) {
    return db.write(
        tx -> {
          tx.lockUsers(userId, blockedId);
          boolean wereFriends = unfriend(tx, userId, blockedId);
          deleteRequest(tx, userId, blockedId);
          deleteRequest(tx, blockedId, userId);
          PreparedStatement ps =
              tx.prepare(
                  "INSERT INTO blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)"
                      + " ON CONFLICT (user_id, blocked_id) DO NOTHING");
          ps.setLong(1, userId);
          ps.setLong(2, blockedId);
          ps.setLong(3, clock.millis());
          ps.executeUpdate();
          return wereFriends;
        });
  }

  @Override
  public boolean unblock(long userId, long blockedId) {
    return db.write(
        tx -> {
          PreparedStatement ps =
              tx.prepare("DELETE FROM blocks WHERE user_id = ? AND blocked_id = ?");
          ps.setLong(1, userId);
          ps.setLong(2, blockedId);
          return ps.executeUpdate() > 0;
        });
  }

  @Override
  public List<String> blocked(long userId) {
    return db.read(
        tx ->
            tx.list(
                "SELECT u.name FROM blocks b JOIN users u ON u.id = b.blocked_id"
                    + " WHERE b.user_id = ? ORDER BY u.name_key",
                ps -> ps.setLong(1, userId),
                rs -> rs.getString(1)));
  }

  @Override
  public boolean isBlocked(long userId, long otherId) {
    return db.read(tx -> blocks(tx, userId, otherId));
  }

  private static boolean blocks(Tx tx, long userId, long otherId) throws SQLException {
    PreparedStatement ps = tx.prepare("SELECT 1 FROM blocks WHERE user_id = ? AND blocked_id = ?");
    ps.setLong(1, userId);
    ps.setLong(2, otherId);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  private static boolean unfriend(Tx tx, long a, long b) throws SQLException {
    PreparedStatement ps =
        tx.prepare(
            "DELETE FROM friendships WHERE (user_id = ? AND friend_id = ?)"
                + " OR (user_id = ? AND friend_id = ?)");
    ps.setLong(1, a);
    ps.setLong(2, b);
    ps.setLong(3, b);
    ps.setLong(4, a);
    return ps.executeUpdate() > 0;
  }

  @Override
  public Optional<Outcome> outcome(long outcomeId) {
    return db.read(
        tx ->
            tx.one(
                OUTCOME_SELECT + " WHERE o.id = ?",
                ps -> ps.setLong(1, outcomeId),
                JdbcFriendStore::outcome));
  }

  private static Outcome outcome(ResultSet rs) throws SQLException {
    return new Outcome(
        rs.getLong(1),
        rs.getLong(2),
        rs.getLong(3),
        rs.getLong(4),
        rs.getString(5),
        rs.getInt(6) == 1);
  }

  private static boolean friends(Tx tx, long a, long b) throws SQLException {
    PreparedStatement ps =
        tx.prepare("SELECT 1 FROM friendships WHERE user_id = ? AND friend_id = ?");
    ps.setLong(1, a);
    ps.setLong(2, b);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  private static int count(Tx tx, long userId) throws SQLException {
    PreparedStatement ps = tx.prepare("SELECT COUNT(*) FROM friendships WHERE user_id = ?");
    ps.setLong(1, userId);
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Requests pending with {@code column} (from_id or to_id) = {@code userId}; both indexed. */
  private static int countPending(Tx tx, String column, long userId) throws SQLException {
    PreparedStatement ps =
        tx.prepare("SELECT COUNT(*) FROM friend_requests WHERE " + column + " = ?");
    ps.setLong(1, userId);
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static Optional<PendingRequest> pending(Tx tx, long fromId, long toId)
      throws SQLException {
    return tx.one(
        REQUEST_SELECT + " WHERE r.from_id = ? AND r.to_id = ?",
        ps -> {
          ps.setLong(1, fromId);
          ps.setLong(2, toId);
        },
        rs -> request(rs, toId));
  }

  private static Optional<PendingRequest> oldestPending(Tx tx, long toId) throws SQLException {
    return tx.one(
        REQUEST_SELECT + " WHERE r.to_id = ? ORDER BY r.seq LIMIT 1",
        ps -> ps.setLong(1, toId),
        rs -> request(rs, toId));
  }

  private static PendingRequest request(ResultSet rs, long toId) throws SQLException {
    return new PendingRequest(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), toId);
  }

  private static void deleteRequest(Tx tx, long fromId, long toId) throws SQLException {
    PreparedStatement ps =
        tx.prepare("DELETE FROM friend_requests WHERE from_id = ? AND to_id = ?");
    ps.setLong(1, fromId);
    ps.setLong(2, toId);
    ps.executeUpdate();
  }

  private void befriend(Tx tx, long a, long b) throws SQLException {
    PreparedStatement ps =
        tx.prepare(
            "INSERT INTO friendships (user_id, friend_id, created_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (user_id, friend_id) DO NOTHING");
    long now = clock.millis();
    ps.setLong(1, a);
    ps.setLong(2, b);
    ps.setLong(3, now);
    ps.executeUpdate();
    ps.setLong(1, b);
    ps.setLong(2, a);
    ps.setLong(3, now);
    ps.executeUpdate();
  }

  private Outcome storeOutcome(Tx tx, long userId, long otherId, boolean accepted)
      throws SQLException {
    long seq = Sequences.next(tx, userId);
    PreparedStatement ps =
        tx.prepare(
            "INSERT INTO request_outcomes (user_id, other_id, accepted, delivered, created_at, seq)"
                + " VALUES (?, ?, ?, 0, ?, ?) RETURNING id");
    ps.setLong(1, userId);
    ps.setLong(2, otherId);
    ps.setInt(3, accepted ? 1 : 0);
    ps.setLong(4, clock.millis());
    ps.setLong(5, seq);
    long id;
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      id = rs.getLong(1);
    }
    PreparedStatement name = tx.prepare("SELECT name FROM users WHERE id = ?");
    name.setLong(1, otherId);
    try (ResultSet rs = name.executeQuery()) {
      rs.next();
      return new Outcome(id, seq, userId, otherId, rs.getString(1), accepted);
    }
  }
}
