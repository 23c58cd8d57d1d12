package imps.server.store.jdbc;

import imps.server.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit over JDBC. Every write runs on a writer connection, one batch at a time: whoever
 * holds the connection takes all writes waiting (up to a batch limit), runs them in a single
 * transaction and commits once, then completes each caller's future. Many concurrent callers
 * therefore share one durable commit (one fsync), which is what makes "stored before acknowledged"
 * affordable. Reads run on a small pool of separate connections.
 *
 * <p>Who commits: a caller that finds the writer connection free commits on its own thread, taking
 * along whatever else is queued (the leader); a caller that finds it busy queues its write and
 * wakes the writer thread, which commits everything queued once the connection is free. Without
 * load a write therefore costs no thread hand-off; under load writes still share commits. (With the
 * writer thread doing every commit, chat at 5k msgs/s paid two hand-offs per message, and its p99
 * was 5.4 ms against 4.0 ms with this; docs/BENCHMARKS.md.) With one writer connection, writes
 * commit in the order they were queued either way. Maintenance ({@link #betweenBatches}) runs only
 * on the writer thread.
 *
 * <p>Several writer connections ("lanes", for PostgreSQL, which takes concurrent writers; SQLite
 * has one): a caller commits on any free one, so up to that many batches commit at once. Then
 * writes of different callers may commit in any order; one caller's writes still commit in its
 * order, since it waits for each. (Several servers writing one database are in that situation
 * anyway: message ids and the friend rules are built for it, see {@link Tx#lockUsers}.) The writer
 * thread takes any free one, else waits for the first. Batches on different connections hold row
 * locks at the same time, so two of them can deadlock (a friendship change locks users' rows, and a
 * message insert's foreign keys share-lock them): PostgreSQL then aborts one after its
 * deadlock_timeout (1 s by default), and its writes are retried one by one, as for several servers
 * writing one database. Nothing is lost; those writes are late.
 *
 * <p>If a write in a batch fails, the batch is rolled back and its writes are retried one
 * transaction each, so one bad write cannot fail the others. A single write that fails on a
 * deadlock or serialization conflict (possible when several servers write one PostgreSQL database)
 * is retried a few times before it fails. A writer connection found broken is reopened.
 *
 * <p>Readers come either from a fixed set of connections (SQLite) or from a pooled {@link
 * DataSource} (PostgreSQL, where the pool validates and replaces broken connections).
 */
public final class JdbcDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JdbcDatabase.class);

  /** Work inside one transaction. Must not keep the {@link Tx} after returning. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Tx tx) throws SQLException;
  }

  /** Opens a configured connection. */
  @FunctionalInterface
  public interface ConnectionFactory {
    Connection open() throws SQLException;
  }

  /** A connection with its prepared-statement cache. Confined to one thread at a time. */
  public static final class Tx {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    private final String lockUsersSql;

    Tx(Connection connection, String lockUsersSql) {
      this.connection = connection;
      this.lockUsersSql = lockUsersSql;
    }

    /**
     * Locks the two users' rows until the transaction ends, where the database has row locks and
     * several servers may write at once (PostgreSQL). Friendship changes take it so that two
     * servers cannot both miss a mutual request or both pass a friend limit. With a single writer
     * (SQLite) transactions are serial already and this does nothing.
     */
    public void lockUsers(long a, long b) throws SQLException {
      if (lockUsersSql == null) {
        return;
      }
      PreparedStatement ps = prepare(lockUsersSql);
      ps.setLong(1, Math.min(a, b));
      ps.setLong(2, Math.max(a, b));
      ps.executeQuery().close();
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    public interface Binder {
      void bind(PreparedStatement ps) throws SQLException;
    }

    /** Turns the current row into a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
      T map(ResultSet rs) throws SQLException;
    }

    /** Runs a query and maps every row; the result set is closed before returning. */
    public <T> List<T> list(String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
      PreparedStatement ps = prepare(sql);
      binder.bind(ps);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
      }
      return out;
    }

    /** Runs a query and maps its first row, if any. */
    public <T> Optional<T> one(String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
      PreparedStatement ps = prepare(sql);
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
      }
    }

    /** A cached prepared statement for {@code sql}, its parameters cleared. */
    public PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement ps = statements.get(sql);
      if (ps == null) {
        ps = connection.prepareStatement(sql);
        statements.put(sql, ps);
      } else {
        ps.clearParameters();
      }
      return ps;
    }

    void closeStatements() {
      for (PreparedStatement ps : statements.values()) {
        try {
          ps.close();
        } catch (SQLException ignored) {
          // closing anyway
        }
      }
      statements.clear();
    }

    void close() {
      closeStatements();
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
  }

  private record Task<T>(Work<T> work, CompletableFuture<T> result) {}

  private static final int CONFLICT_RETRIES = 5;

  /** The writer thread wakes at least this often, to run maintenance when callers commit. */
  private static final long MAINTENANCE_NANOS = 100_000_000L;

  private final String name;
  private final int batchMax;
  private final BlockingQueue<Task<?>> writes = new LinkedBlockingQueue<>();
  private final BlockingQueue<Tx> readers;
  private final List<Tx> allReaders = new ArrayList<>();
  private final DataSource readerPool;
  private final ConnectionFactory writerFactory;
  private final String lockUsersSql;

  /** A writer connection and the lock that whoever commits on it holds. */
  private static final class Lane {
    final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    Tx tx;
    boolean committedSinceMaintenance;
  }

  // Lane 0 is the writer thread's; SQLite has only that one.
  private final Lane[] lanes;
  private final AtomicInteger nextLane = new AtomicInteger();
  private final AtomicBoolean writerSignalled = new AtomicBoolean();
  private final Thread writerThread;
  private volatile boolean closed;

  private volatile Maintenance maintenance;

  /** Work the writer runs on its connection between two batches, outside any transaction. */
  @FunctionalInterface
  public interface Maintenance {
    void run(Connection writer) throws SQLException;
  }

  /**
   * Sets work for the writer thread to run after each batch (it decides itself how often to act).
   * SQLite uses it to finish WAL checkpoints at a moment when no write is in progress.
   */
  public void betweenBatches(Maintenance work) {
    this.maintenance = work;
  }

  /** A database with {@code readerCount} fixed read connections and a single writer (SQLite). */
  public JdbcDatabase(
      String name,
      ConnectionFactory writerFactory,
      ConnectionFactory readerFactory,
      int readerCount,
      int batchMax) {
    this(name, writerFactory, 1, readerFactory, readerCount, null, null, batchMax);
  }

  /**
   * A database with {@code writers} writer connections (a database that takes concurrent writers:
   * PostgreSQL), whose reads borrow connections from {@code readerPool}, and whose writes lock
   * users' rows with {@code lockUsersSql} (two parameters, the smaller id first; see {@link
   * Tx#lockUsers}).
   */
  public JdbcDatabase(
      String name,
      ConnectionFactory writerFactory,
      int writers,
      DataSource readerPool,
      String lockUsersSql,
      int batchMax) {
    this(name, writerFactory, writers, null, 0, readerPool, lockUsersSql, batchMax);
  }

  private JdbcDatabase(
      String name,
      ConnectionFactory writerFactory,
      int writers,
      ConnectionFactory readerFactory,
      int readerCount,
      DataSource readerPool,
      String lockUsersSql,
      int batchMax) {
    this.name = name;
    this.batchMax = batchMax;
    this.writerFactory = writerFactory;
    this.readerPool = readerPool;
    this.lockUsersSql = lockUsersSql;
    this.lanes = new Lane[Math.max(1, writers)];
    try {
      for (int i = 0; i < lanes.length; i++) {
        lanes[i] = new Lane();
        lanes[i].tx = openWriter();
      }
      this.readers = new ArrayBlockingQueue<>(Math.max(1, readerCount));
      for (int i = 0; i < readerCount; i++) {
        Connection r = readerFactory.open();
        r.setAutoCommit(true);
        Tx tx = new Tx(r, lockUsersSql);
        readers.add(tx);
        allReaders.add(tx);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot open database " + name + ": " + e.getMessage(), e);
    }
    this.writerThread = new Thread(this::writeLoop, "imps-db-writer-" + name);
    writerThread.setDaemon(true);
    writerThread.start();
  }

  /**
   * Runs {@code work} in a write transaction and returns once it is committed: on this thread if a
   * writer connection is free, else on the writer thread or another caller's (see the class
   * comment).
   */
  public <T> T write(Work<T> work) {
    for (Lane l : lanes) {
      if (l.lock.isHeldByCurrentThread()) {
        // From inside a write (a Work, maintenance or a callback of a commit): committing here
        // would commit the enclosing transaction half done.
        throw new IllegalStateException("write() called from inside a write on " + name);
      }
    }
    CompletableFuture<T> f = enqueue(work);
    if (!f.isDone()) {
      Lane lane = freeLane();
      if (lane != null) {
        try {
          // Everything queued before this write commits with it or before it (or, with several
          // lanes, at the same time on another one: then this lane finds the queue empty).
          while (!f.isDone() && commitQueued(lane) > 0) {
            // next batch
          }
        } finally {
          lane.lock.unlock();
        }
        if (!writes.isEmpty()) {
          wakeWriter();
        }
      } else {
        // Every connection is busy; its holder may be about to let go without seeing this write.
        wakeWriter();
      }
    }
    return await(f);
  }

  /** A lane whose lock this thread now holds, or null if all are busy. */
  private Lane freeLane() {
    int n = lanes.length;
    int start = n == 1 ? 0 : Math.floorMod(nextLane.getAndIncrement(), n);
    for (int i = 0; i < n; i++) {
      Lane l = lanes[(start + i) % n];
      if (l.lock.tryLock()) {
        return l;
      }
    }
    return null;
  }

  /** Queues {@code work}; the future completes once it is committed (or failed). */
  private <T> CompletableFuture<T> enqueue(Work<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    // Under the lock close() takes, so no write is queued once close() has begun.
    synchronized (writes) {
      if (closed) {
        f.completeExceptionally(new StoreException("database " + name + " is closed", null));
        return f;
      }
      writes.add(new Task<>(work, f));
    }
    return f;
  }

  /**
   * Queues {@code work} for the writer thread; the future completes once it is committed. The
   * future is completed while the writer connection is held: attach no stage that writes.
   */
  public <T> CompletableFuture<T> writeAsync(Work<T> work) {
    CompletableFuture<T> f = enqueue(work);
    wakeWriter();
    return f;
  }

  private Tx openWriter() throws SQLException {
    Connection w = writerFactory.open();
    w.setAutoCommit(false);
    return new Tx(w, lockUsersSql);
  }

  /** Runs {@code work} on a read connection (auto-commit; sees every committed write). */
  public <T> T read(Work<T> work) {
    if (readerPool != null) {
      return readPooled(work);
    }
    Tx tx;
    try {
      tx = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted waiting for a read connection", e);
    }
    try {
      return work.run(tx);
    } catch (SQLException e) {
      throw new StoreException("read failed on " + name + ": " + e.getMessage(), e);
    } finally {
      readers.add(tx);
    }
  }

  private <T> T readPooled(Work<T> work) {
    try (Connection c = readerPool.getConnection()) {
      // A fresh Tx per borrow: its statements close with it; the driver keeps its own
      // per-connection cache of server-side prepared statements.
      Tx tx = new Tx(c, null);
      try {
        return work.run(tx);
      } finally {
        tx.closeStatements();
      }
    } catch (SQLException e) {
      throw new StoreException("read failed on " + name + ": " + e.getMessage(), e);
    }
  }

  private static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted waiting for a commit", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof StoreException se) {
        throw se;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new StoreException("write failed: " + c, c);
    }
  }

  private void runMaintenance() {
    Maintenance m = maintenance;
    if (m == null) {
      return;
    }
    try {
      m.run(lanes[0].tx.connection);
    } catch (SQLException | RuntimeException e) {
      log.warn("maintenance on {} failed: {}", name, e.toString());
    }
  }

  /** Wakes the writer thread; a no-op while it has a wake-up pending already. */
  private void wakeWriter() {
    if (!writerSignalled.get() && writerSignalled.compareAndSet(false, true)) {
      LockSupport.unpark(writerThread);
    }
  }

  private void writeLoop() {
    while (true) {
      if (!writerSignalled.getAndSet(false)) {
        LockSupport.parkNanos(this, MAINTENANCE_NANOS);
        writerSignalled.set(false);
        // Only close() stops this thread (after the queue is empty); a stray interrupt must not
        // turn the park above into a busy loop.
        Thread.interrupted();
      }
      // Any free lane first, so that queued writes do not wait for lane 0 while others idle.
      Lane lane = freeLane();
      if (lane == null) {
        lane = lanes[0];
        lane.lock.lock();
      }
      try {
        // Maintenance after every batch, not only when the queue runs dry: under steady load it
        // may never run dry, and the WAL would grow without bound.
        while (!writes.isEmpty()) {
          commitQueued(lane);
          maintainIfCommitted(lane);
        }
        maintainIfCommitted(lane);
        if (closed && writes.isEmpty()) {
          return;
        }
      } catch (RuntimeException | Error e) {
        // This thread must survive anything: callers that found the connection busy rely on it.
        log.error("database writer of {} hit an unexpected error", name, e);
      } finally {
        lane.lock.unlock();
      }
    }
  }

  /**
   * Under lane 0's lock, on the writer thread: maintenance, if anything was committed since the
   * last. Before the first commit SQLite refuses a checkpoint on this connection (SQLITE_LOCKED),
   * and with nothing written there is nothing to do; after close() the connection may be gone.
   */
  private void maintainIfCommitted(Lane lane) {
    if (lane == lanes[0] && lane.committedSinceMaintenance && !closed) {
      lane.committedSinceMaintenance = false;
      runMaintenance();
    }
  }

  /**
   * Under the lane's lock: takes up to a batch of queued writes and commits them together.
   *
   * @return how many writes it took
   */
  private int commitQueued(Lane lane) {
    List<Task<?>> batch = new ArrayList<>(Math.min(batchMax, 64));
    writes.drainTo(batch, batchMax);
    if (batch.isEmpty()) {
      return 0;
    }
    try {
      runBatch(lane, batch, 0);
    } catch (RuntimeException | Error e) {
      log.error("database writer of {} hit an unexpected error", name, e);
      // Callers are told "not applied", so nothing of the batch may be committed later.
      rollbackQuietly(lane);
      for (Task<?> t : batch) {
        t.result.completeExceptionally(e);
      }
    }
    return batch.size();
  }

  private void runBatch(Lane lane, List<Task<?>> batch, int attempt) {
    List<Object> results = new ArrayList<>(batch.size());
    try {
      for (Task<?> t : batch) {
        results.add(t.work.run(lane.tx));
      }
      lane.tx.connection.commit();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(lane);
      boolean reopened = reopenIfBroken(lane);
      if (batch.size() == 1) {
        // A write that met a dropped connection never committed: run it once more on the new one.
        boolean lost = reopened || isConnectionLoss(e);
        if (attempt < CONFLICT_RETRIES && (isConflict(e) || attempt == 0 && lost)) {
          runBatch(lane, batch, attempt + 1);
          return;
        }
        batch.get(0).result.completeExceptionally(storeFailure(e));
        return;
      }
      // Retry one transaction each so a single bad write fails alone.
      for (Task<?> t : batch) {
        runBatch(lane, List.of(t), 0);
      }
      return;
    }
    lane.committedSinceMaintenance = true;
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i), results.get(i));
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Task<T> task, Object result) {
    task.result.complete((T) result);
  }

  private StoreException storeFailure(Exception e) {
    if (e instanceof StoreException se) {
      return se;
    }
    return new StoreException("write failed on " + name + ": " + e.getMessage(), e);
  }

  /** Deadlock or serialization failure: the transaction may succeed if run again. */
  private static boolean isConflict(Exception e) {
    String state = sqlState(e);
    return "40001".equals(state) || "40P01".equals(state);
  }

  /** SQLState class 08 or 57P0x (server shutting down or ending the session): connection lost. */
  private static boolean isConnectionLoss(Exception e) {
    String state = sqlState(e);
    return state != null && (state.startsWith("08") || state.startsWith("57P0"));
  }

  private static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException se && se.getSQLState() != null) {
        return se.getSQLState();
      }
    }
    return null;
  }

  /** Reopens the writer connection if it is broken; returns whether it did. */
  private boolean reopenIfBroken(Lane lane) {
    try {
      if (lane.tx.connection.isValid(2)) {
        return false;
      }
    } catch (SQLException e) {
      // treat as broken
    }
    log.warn("writer connection of {} is broken, reopening", name);
    lane.tx.close();
    try {
      lane.tx = openWriter();
      return true;
    } catch (SQLException e) {
      // Keep the closed one: its next use fails at once and the next failing batch tries again.
      log.error("cannot reopen writer connection of {}: {}", name, e.getMessage());
      return false;
    }
  }

  private void rollbackQuietly(Lane lane) {
    try {
      lane.tx.connection.rollback();
    } catch (SQLException e) {
      log.warn("rollback failed on {}", name, e);
    }
  }

  private void failRemaining() {
    List<Task<?>> rest = new ArrayList<>();
    writes.drainTo(rest);
    for (Task<?> t : rest) {
      t.result.completeExceptionally(new StoreException("database " + name + " is closed", null));
    }
  }

  /** Finishes queued writes, then closes every connection. */
  @Override
  public void close() {
    synchronized (writes) {
      if (closed) {
        return;
      }
      closed = true;
    }
    wakeWriter();
    try {
      writerThread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failRemaining();
    for (Lane l : lanes) {
      l.lock.lock();
      try {
        l.tx.close();
      } finally {
        l.lock.unlock();
      }
    }
    for (Tx tx : allReaders) {
      tx.close();
    }
  }
}
