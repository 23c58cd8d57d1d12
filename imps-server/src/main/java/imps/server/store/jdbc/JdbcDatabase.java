package imps.server.store.jdbc;

import imps.server.store.StoreException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The database as the JDBC stores see it: writes go through a {@link GroupCommitWriter} (each
 * returns once committed, many sharing one commit), reads through {@link ReadConnections} of their
 * own. The backends build both parts: SQLite with one writer connection, WAL maintenance and {@link
 * FixedReaders}; PostgreSQL with several writer connections and {@link PooledReaders}.
 */
public final class JdbcDatabase implements AutoCloseable {
  private static final long RETRY_NANOS = 1_000_000_000L;

  private final GroupCommitWriter writer;
  private final ReadConnections readers;
  private final Reachability reachability;
  private final SequenceCounters counters;
  private final ConversationIndex conversations;

  /** Takes over both: {@link #close} closes them. */
  public JdbcDatabase(GroupCommitWriter writer, ReadConnections readers) {
    this(writer, readers, false);
  }

  /**
   * A database with one writer whose sequence numbers are kept in {@code counters} and which fills
   * {@code conversations} (the writer's own, {@link GroupCommitWriter}'s sole-writer constructor);
   * readers consult the counters too.
   */
  public JdbcDatabase(
      GroupCommitWriter writer,
      ReadConnections readers,
      SequenceCounters counters,
      ConversationIndex conversations) {
    this(
        writer,
        readers,
        false,
        Objects.requireNonNull(counters, "counters"),
        Objects.requireNonNull(conversations, "conversations"));
  }

  /**
   * @param breaker whether requests fail at once while the database is known to be unreachable
   *     ({@link Reachability}; for a database over the network)
   */
  public JdbcDatabase(GroupCommitWriter writer, ReadConnections readers, boolean breaker) {
    this(writer, readers, breaker, null, null);
  }

  private JdbcDatabase(
      GroupCommitWriter writer,
      ReadConnections readers,
      boolean breaker,
      SequenceCounters counters,
      ConversationIndex conversations) {
    this.writer = Objects.requireNonNull(writer, "writer");
    this.readers = Objects.requireNonNull(readers, "readers");
    this.reachability = breaker ? new Reachability(writer.name(), RETRY_NANOS) : null;
    this.counters = counters;
    this.conversations = conversations;
  }

  /**
   * The last sequence number given out to {@code userId} that {@code users.last_seq} may not show
   * yet ({@link SequenceCounters}), or -1; ask before reading the column.
   */
  long unflushedLastSeq(long userId) {
    return counters == null ? -1 : counters.committedLast(userId);
  }

  /**
   * The acknowledged number of {@code userId} that {@code users.acked_seq} may not show yet ({@link
   * SequenceCounters}), or -1; ask before reading the column, and count what is above the larger of
   * the two as unacknowledged.
   */
  long unflushedAckedSeq(long userId) {
    return counters == null ? -1 : counters.committedAcked(userId);
  }

  /**
   * Runs {@code work} on a read connection (auto-commit; sees every committed write).
   *
   * @throws StoreException if it failed
   */
  public <T> T read(Work<T> work) {
    if (reachability == null) {
      return readers.read(work);
    }
    boolean probe = reachability.admit();
    try {
      T result = readers.read(work);
      reachability.observe(probe, null);
      return result;
    } catch (RuntimeException e) {
      reachability.observe(probe, e);
      throw e;
    }
  }

  /**
   * Runs {@code work} in a write transaction and returns once it is committed. See {@link
   * GroupCommitWriter#write} for who commits, and why a write must not start another write.
   *
   * @throws StoreException if it failed (and was rolled back) or the database is closed
   * @throws IllegalStateException if called from inside a write
   */
  public <T> T write(Work<T> work) {
    if (reachability == null) {
      return writer.write(work);
    }
    boolean probe = reachability.admit();
    try {
      T result = writer.write(work);
      reachability.observe(probe, null);
      return result;
    } catch (RuntimeException e) {
      reachability.observe(probe, e);
      throw e;
    }
  }

  /**
   * Queues {@code work} and returns at once; the future completes once it is committed, or
   * exceptionally once it failed. Stages that run on its completion run while a writer connection
   * is held, so they must be short and must not write: hand longer work to another thread.
   */
  public <T> CompletableFuture<T> writeAsync(Work<T> work) {
    if (reachability == null) {
      return writer.writeAsync(work);
    }
    boolean probe;
    try {
      probe = reachability.admit();
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<T> f = writer.writeAsync(work);
    // Observed on completion, before the caller's own stages (they are added after this one).
    f.whenComplete((r, e) -> reachability.observe(probe, e));
    return f;
  }

  /**
   * Finishes queued writes (and writes the sequence counters out and fills the conversation index,
   * so that the next start has nothing to recover or fill), then closes the writer's and the
   * readers' connections.
   */
  @Override
  public void close() {
    if (counters != null) {
      try {
        writer.write(
            tx -> {
              counters.flush(tx);
              if (conversations != null) {
                conversations.fill(tx);
              }
              return null;
            });
      } catch (RuntimeException e) {
        // Closed or failing already: the next start recovers the counters from the rows.
      }
    }
    try {
      writer.close();
    } finally {
      readers.close();
    }
  }
}
