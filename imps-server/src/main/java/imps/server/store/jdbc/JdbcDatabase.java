package imps.server.store.jdbc;

import imps.server.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit over JDBC. Every write runs on one writer thread with one connection: the thread
 * takes all writes waiting (up to a batch limit), runs them in a single transaction and commits
 * once, then completes each caller's future. Many concurrent callers therefore share one durable
 * commit (one fsync), which is what makes "stored before acknowledged" affordable. Reads run on a
 * small pool of separate connections.
 *
 * <p>If a write in a batch fails, the batch is rolled back and its writes are retried one
 * transaction each, so one bad write cannot fail the others.
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

    Tx(Connection connection) {
      this.connection = connection;
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

    void close() {
      for (PreparedStatement ps : statements.values()) {
        try {
          ps.close();
        } catch (SQLException ignored) {
          // closing anyway
        }
      }
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
  }

  private record Task<T>(Work<T> work, CompletableFuture<T> result) {}

  private static final Task<Void> POISON = new Task<>(tx -> null, new CompletableFuture<>());

  private final String name;
  private final int batchMax;
  private final BlockingQueue<Task<?>> writes = new LinkedBlockingQueue<>();
  private final BlockingQueue<Tx> readers;
  private final List<Tx> allReaders = new ArrayList<>();
  private final Tx writer;
  private final Thread writerThread;
  private volatile boolean closed;

  public JdbcDatabase(
      String name,
      ConnectionFactory writerFactory,
      ConnectionFactory readerFactory,
      int readerCount,
      int batchMax) {
    this.name = name;
    this.batchMax = batchMax;
    try {
      Connection w = writerFactory.open();
      w.setAutoCommit(false);
      this.writer = new Tx(w);
      this.readers = new ArrayBlockingQueue<>(readerCount);
      for (int i = 0; i < readerCount; i++) {
        Connection r = readerFactory.open();
        r.setAutoCommit(true);
        Tx tx = new Tx(r);
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

  /** Runs {@code work} in a write transaction and returns once it is committed. */
  public <T> T write(Work<T> work) {
    return await(writeAsync(work));
  }

  /** Queues {@code work}; the future completes once it is committed (or failed). */
  public <T> CompletableFuture<T> writeAsync(Work<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    // Under the lock close() takes, so no write can slip in behind the stop marker.
    synchronized (writes) {
      if (closed) {
        f.completeExceptionally(new StoreException("database " + name + " is closed", null));
        return f;
      }
      writes.add(new Task<>(work, f));
    }
    return f;
  }

  /** Runs {@code work} on a read connection (auto-commit; sees every committed write). */
  public <T> T read(Work<T> work) {
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

  private void writeLoop() {
    List<Task<?>> batch = new ArrayList<>(batchMax);
    while (true) {
      try {
        Task<?> first = writes.take();
        batch.add(first);
        writes.drainTo(batch, batchMax - 1);
        boolean stop = batch.remove(POISON);
        if (!batch.isEmpty()) {
          runBatch(batch);
        }
        batch.clear();
        if (stop) {
          failRemaining();
          return;
        }
      } catch (InterruptedException e) {
        failRemaining();
        return;
      } catch (RuntimeException | Error e) {
        log.error("database writer of {} hit an unexpected error", name, e);
        // Callers are told "not applied", so nothing of the batch may be committed later.
        rollbackQuietly();
        for (Task<?> t : batch) {
          t.result.completeExceptionally(e);
        }
        batch.clear();
      }
    }
  }

  private void runBatch(List<Task<?>> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    try {
      for (Task<?> t : batch) {
        results.add(t.work.run(writer));
      }
      writer.connection.commit();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      if (batch.size() == 1) {
        batch.get(0).result.completeExceptionally(storeFailure(e));
        return;
      }
      // Retry one transaction each so a single bad write fails alone.
      for (Task<?> t : batch) {
        runBatch(List.of(t));
      }
      return;
    }
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

  private void rollbackQuietly() {
    try {
      writer.connection.rollback();
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
      writes.add(POISON);
    }
    try {
      writerThread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writer.close();
    for (Tx tx : allReaders) {
      tx.close();
    }
  }
}
