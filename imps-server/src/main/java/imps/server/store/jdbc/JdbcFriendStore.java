package imps.server.store.jdbc;

import imps.server.store.AddRequestResult;
import imps.server.store.AnswerResult;
import imps.server.store.FriendStore;
import imps.server.store.FriendView;
import imps.server.store.Outcome;
import imps.server.store.PendingRequest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link FriendStore} in tables {@code friendships}, {@code friend_requests}, {@code
 * request_outcomes} and {@code blocks}. This class holds the rules: which transaction does what, in
 * which order, under which user locks; the statements for each table are in {@link Friendships},
 * {@link FriendRequests}, {@link RequestOutcomes} and {@link Blocks}.
 */
public final class JdbcFriendStore implements FriendStore {
  private final JdbcDatabase db;
  private final Clock clock;

  public JdbcFriendStore(JdbcDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  // ---------------------------------------------------------------------------------------------
  // Friendships

  @Override
  public List<FriendView> friends(long userId) {
    return db.read(tx -> Friendships.of(tx, userId));
  }

  @Override
  public List<Long> friendIds(long userId) {
    return db.read(tx -> Friendships.ids(tx, userId));
  }

  @Override
  public boolean areFriends(long a, long b) {
    return db.read(tx -> Friendships.exists(tx, a, b));
  }

  @Override
  public boolean removeFriend(long a, long b) {
    return db.write(
        tx -> {
          tx.lockUsers(a, b);
          return Friendships.remove(tx, a, b);
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Requests and their answers

  @Override
  public AddRequestResult addRequest(
      long fromId, long toId, int maxFriends, int maxPendingFrom, int maxPendingTo) {
    return db.write(
        tx -> {
          tx.lockUsers(fromId, toId);
          if (Blocks.exists(tx, toId, fromId)) {
            return new AddRequestResult.Ignored();
          }
          if (Blocks.exists(tx, fromId, toId)) {
            return new AddRequestResult.BlockedByMe();
          }
          if (Friendships.exists(tx, fromId, toId)) {
            return new AddRequestResult.AlreadyFriends();
          }
          if (Friendships.count(tx, fromId) >= maxFriends
              || Friendships.count(tx, toId) >= maxFriends) {
            return new AddRequestResult.LimitReached();
          }
          Optional<PendingRequest> reverse = FriendRequests.pending(tx, toId, fromId);
          if (reverse.isPresent()) {
            FriendRequests.delete(tx, toId, fromId);
            FriendRequests.delete(tx, fromId, toId);
            Friendships.add(tx, fromId, toId, clock.millis());
            return new AddRequestResult.Mutual(
                RequestOutcomes.insert(tx, toId, fromId, true, clock.millis()));
          }
          Optional<PendingRequest> existing = FriendRequests.pending(tx, fromId, toId);
          if (existing.isPresent()) {
            return new AddRequestResult.Pending(existing.get().id(), existing.get().seq(), false);
          }
          if (FriendRequests.countFrom(tx, fromId) >= maxPendingFrom
              || FriendRequests.countTo(tx, toId) >= maxPendingTo) {
            return new AddRequestResult.TooManyPending();
          }
          return FriendRequests.insert(tx, fromId, toId, clock.millis());
        });
  }

  @Override
  public List<PendingRequest> pendingFor(long toId) {
    return db.read(tx -> FriendRequests.pendingFor(tx, toId));
  }

  @Override
  public AnswerResult answer(long fromId, long toId, boolean accept, int maxFriends) {
    return db.write(
        tx -> {
          tx.lockUsers(toId, fromId);
          return settle(tx, FriendRequests.pending(tx, fromId, toId), toId, accept, maxFriends);
        });
  }

  @Override
  public AnswerResult answerOldest(long toId, boolean accept, int maxFriends) {
    return db.write(
        tx -> {
          // Locking the answering user first keeps "the oldest pending request" stable.
          tx.lockUsers(toId, toId);
          Optional<PendingRequest> req = FriendRequests.oldestPending(tx, toId);
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
    if (accept
        && (Friendships.count(tx, r.fromId()) >= maxFriends
            || Friendships.count(tx, toId) >= maxFriends)) {
      return new AnswerResult.LimitReached();
    }
    FriendRequests.delete(tx, r.fromId(), toId);
    if (accept) {
      // A request the other way, if any, is settled by this friendship too.
      FriendRequests.delete(tx, toId, r.fromId());
      Friendships.add(tx, r.fromId(), toId, clock.millis());
    }
    return new AnswerResult.Answered(
        r, RequestOutcomes.insert(tx, r.fromId(), toId, accept, clock.millis()));
  }

  @Override
  public List<Outcome> undeliveredOutcomes(long userId, long afterSeq) {
    // The acknowledged number users.acked_seq may not show yet, asked before the read.
    long after = Math.max(afterSeq, db.unflushedAckedSeq(userId));
    return db.read(tx -> RequestOutcomes.undelivered(tx, userId, after));
  }

  @Override
  public Optional<Outcome> outcome(long outcomeId) {
    return db.read(tx -> RequestOutcomes.byId(tx, outcomeId));
  }

  @Override
  public void markOutcomesDelivered(List<Long> outcomeIds) {
    if (outcomeIds.isEmpty()) {
      return;
    }
    db.write(
        tx -> {
          RequestOutcomes.markDelivered(tx, outcomeIds);
          return null;
        });
  }

  @Override
  public int purge(Instant requestsCreatedBefore) {
    return db.write(
        tx -> {
          int n = FriendRequests.deleteOlderThan(tx, requestsCreatedBefore.toEpochMilli());
          return n + RequestOutcomes.deleteDelivered(tx);
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Blocks

  @Override
  public boolean block(long userId, long blockedId) {
    return db.write(
        tx -> {
          tx.lockUsers(userId, blockedId);
          boolean wereFriends = Friendships.remove(tx, userId, blockedId);
          FriendRequests.delete(tx, userId, blockedId);
          FriendRequests.delete(tx, blockedId, userId);
          Blocks.add(tx, userId, blockedId, clock.millis());
          return wereFriends;
        });
  }

  @Override
  public boolean unblock(long userId, long blockedId) {
    return db.write(tx -> Blocks.remove(tx, userId, blockedId));
  }

  @Override
  public List<String> blocked(long userId) {
    return db.read(tx -> Blocks.namesBlockedBy(tx, userId));
  }

  @Override
  public boolean isBlocked(long userId, long otherId) {
    return db.read(tx -> Blocks.exists(tx, userId, otherId));
  }
}
