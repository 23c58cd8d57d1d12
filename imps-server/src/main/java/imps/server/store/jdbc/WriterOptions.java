package imps.server.store.jdbc;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link GroupCommitWriter} is opened. Build with {@link #builder}; checked once, when built.
 *
 * @param name for thread names, logs and errors
 * @param connections opens the writer connections
 * @param lanes how many writer connections, at least 1; 1 by default (SQLite has only one)
 * @param lockUsersSql the row-lock statement of {@link Tx#lockUsers} (two parameters, the smaller
 *     id first), or null (the default) where writes are serial (SQLite)
 * @param batching how batches are formed: their size, and how long one waits for company
 * @param maintenance what the writer thread runs between batches ({@link Maintenance#NONE} allowed,
 *     null not)
 * @param outcomes for a database over the network: finds out whether a commit whose connection was
 *     lost happened (see {@link WriterLane}); null (the default) where a commit cannot be lost that
 *     way
 * @param resolveTimeout how long {@code outcomes} keeps trying to find that out; {@link
 *     Duration#ZERO} by default; not negative
 * @param waitLimit no caller waits longer (see {@link GroupCommitWriter}); {@link
 *     #DEFAULT_WAIT_LIMIT} by default; positive
 * @param counters for the only writer of a local database (SQLite): the per-recipient sequence
 *     numbers kept in memory (see {@link SequenceCounters}), or null (the default); set together
 *     with {@code conversations}, and only with one lane
 * @param conversations for the only writer: fills the table {@code conversations} (see {@link
 *     ConversationIndex}), or null (the default); set together with {@code counters}
 */
public record WriterOptions(
    String name,
    ConnectionFactory connections,
    int lanes,
    String lockUsersSql,
    CommitBatching batching,
    Maintenance maintenance,
    CommitOutcomes outcomes,
    Duration resolveTimeout,
    Duration waitLimit,
    SequenceCounters counters,
    ConversationIndex conversations) {

  /** How long a caller waits at most by default: above any commit's own timeouts. */
  public static final Duration DEFAULT_WAIT_LIMIT = Duration.ofSeconds(60);

  public WriterOptions {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(connections, "connections");
    Objects.requireNonNull(batching, "batching");
    Objects.requireNonNull(maintenance, "maintenance");
    Objects.requireNonNull(resolveTimeout, "resolveTimeout");
    Objects.requireNonNull(waitLimit, "waitLimit");
    if (lanes < 1) {
      throw new IllegalArgumentException("lanes must be at least 1: " + lanes);
    }
    if (resolveTimeout.isNegative()) {
      throw new IllegalArgumentException("resolveTimeout must not be negative: " + resolveTimeout);
    }
    if (waitLimit.isNegative() || waitLimit.isZero()) {
      throw new IllegalArgumentException("waitLimit must be positive: " + waitLimit);
    }
    if ((counters == null) != (conversations == null)) {
      throw new IllegalArgumentException("counters and conversations go together");
    }
    if (counters != null && lanes != 1) {
      throw new IllegalArgumentException(
          "counters and conversations are for the only writer: one lane, not " + lanes);
    }
  }

  /** WriterOptions for {@code name} on {@code connections}; the rest as the builder says. */
  public static Builder builder(String name, ConnectionFactory connections) {
    return new Builder(name, connections);
  }

  /** Mutable builder; not thread-safe. Validation happens in {@link #build()}. */
  public static final class Builder {
    private final String name;
    private final ConnectionFactory connections;
    private int lanes = 1;
    private String lockUsersSql;
    private CommitBatching batching;
    private Maintenance maintenance;
    private CommitOutcomes outcomes;
    private Duration resolveTimeout = Duration.ZERO;
    private Duration waitLimit = DEFAULT_WAIT_LIMIT;
    private SequenceCounters counters;
    private ConversationIndex conversations;

    private Builder(String name, ConnectionFactory connections) {
      this.name = name;
      this.connections = connections;
    }

    /** Several writer connections, for a database that takes concurrent writers. */
    public Builder lanes(int lanes) {
      this.lanes = lanes;
      return this;
    }

    public Builder lockUsersSql(String lockUsersSql) {
      this.lockUsersSql = lockUsersSql;
      return this;
    }

    public Builder batching(CommitBatching batching) {
      this.batching = batching;
      return this;
    }

    public Builder maintenance(Maintenance maintenance) {
      this.maintenance = maintenance;
      return this;
    }

    /** For a database over the network (see {@link WriterOptions#outcomes}). */
    public Builder outcomes(CommitOutcomes outcomes, Duration resolveTimeout) {
      this.outcomes = outcomes;
      this.resolveTimeout = resolveTimeout;
      return this;
    }

    public Builder waitLimit(Duration waitLimit) {
      this.waitLimit = waitLimit;
      return this;
    }

    /** The only writer of a local database (see {@link WriterOptions#counters}). */
    public Builder onlyWriter(SequenceCounters counters, ConversationIndex conversations) {
      this.counters = counters;
      this.conversations = conversations;
      return this;
    }

    public WriterOptions build() {
      return new WriterOptions(
          name,
          connections,
          lanes,
          lockUsersSql,
          batching,
          maintenance,
          outcomes,
          resolveTimeout,
          waitLimit,
          counters,
          conversations);
    }
  }
}
