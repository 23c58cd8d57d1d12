package imps.server.store.jdbc;

import imps.server.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed number of read connections, opened once and kept, each with its prepared-statement cache
 * (SQLite, where opening a connection is cheap but preparing statements is not). A read takes a
 * free one from the queue, waiting if none is free.
 */
public final class FixedReaders implements ReadConnections {
  private final String name;
  private final List<Tx> all;
  private final BlockingQueue<Tx> free;

  private FixedReaders(String name, List<Tx> all) {
    this.name = name;
    this.all = List.copyOf(all);
    this.free = new ArrayBlockingQueue<>(all.size(), false, all);
  }

  /**
   * Opens {@code count} auto-commit connections from {@code connections}.
   *
   * @param name for errors
   * @throws StoreException if one cannot be opened (those opened are closed)
   */
  public static FixedReaders open(String name, ConnectionFactory connections, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one read connection is needed: " + count);
    }
    List<Tx> opened = new ArrayList<>(count);
    try {
      for (int i = 0; i < count; i++) {
        Connection c = connections.open();
        opened.add(new Tx(c, null));
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      opened.forEach(Tx::close);
      throw new StoreException("cannot open database " + name + ": " + e.getMessage(), e);
    }
    return new FixedReaders(name, opened);
  }

  @Override
  public <T> T read(Work<T> work) {
    Tx tx;
    try {
      tx = free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted waiting for a read connection", e);
    }
    try {
      return work.run(tx);
    } catch (SQLException e) {
      throw new StoreException("read failed on " + name + ": " + e.getMessage(), e);
    } finally {
      free.add(tx);
    }
  }

  /** Closes every connection, including any a read still uses (that read then fails). */
  @Override
  public void close() {
    all.forEach(Tx::close);
  }
}
