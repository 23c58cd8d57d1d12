package imps.server.store.jdbc;

import static imps.server.store.jdbc.SqliteFiles.database;
import static imps.server.store.jdbc.SqliteFiles.ordered;
import static imps.server.store.jdbc.SqliteFiles.rows;
import static imps.server.store.jdbc.SqliteFiles.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import imps.server.store.ConcurrentWrites;
import imps.server.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit: who commits, maintenance on the writer thread, retries, reopening, closing. Many
 * writes sharing commits and a failing write failing alone: {@link JdbcDatabaseTest}.
 */
class GroupCommitWriterTest {
  @TempDir Path dir;

  private static final Work<Integer> INSERT =
      tx -> tx.prepare("INSERT INTO t (who, seq) VALUES (1, 1)").executeUpdate();

  @Test
  void anUncontendedWriteCommitsOnTheCallersThread() throws Exception {
    try (GroupCommitWriter w = writer(ordered(dir), 64, Maintenance.NONE)) {
      Thread ran = w.write(tx -> Thread.currentThread());
      assertThat(ran).isSameAs(Thread.currentThread());
    }
  }

  @Test
  void manyThreadsWritingAtOnceLoseNothingAndKeepEachThreadsOrder() throws Exception {
    int threads = 8;
    int each = 300;
    AtomicInteger maintenance = new AtomicInteger();
    AtomicReference<String> maintenanceThread = new AtomicReference<>();
    Maintenance recorded =
        c -> {
          maintenance.incrementAndGet();
          maintenanceThread.set(Thread.currentThread().getName());
        };
    try (JdbcDatabase db = database(ordered(dir), 1, 16, recorded)) {
      ConcurrentWrites.writeAndCheck(db, threads, each, tx -> null);
      // Maintenance still runs, on the writer thread, when callers commit themselves.
      await().atMost(Duration.ofSeconds(5)).until(() -> maintenance.get() > 0);
      assertThat(maintenanceThread.get()).startsWith("imps-db-writer-");
    }
  }

  @Test
  void maintenanceRunsOnlyAfterSomethingWasCommitted() throws Exception {
    AtomicInteger maintenance = new AtomicInteger();
    try (GroupCommitWriter w = writer(ordered(dir), 16, c -> maintenance.incrementAndGet())) {
      // The writer thread wakes every 100 ms; with nothing committed it must leave SQLite alone
      // (a checkpoint before the first commit fails with SQLITE_LOCKED).
      Thread.sleep(350);
      assertThat(maintenance.get()).isZero();
      w.write(INSERT);
      await().atMost(Duration.ofSeconds(5)).until(() -> maintenance.get() > 0);
    }
  }

  @Test
  void aWriteFromInsideAWriteFailsInsteadOfCommittingHalfATransaction() throws Exception {
    String url = ordered(dir);
    try (GroupCommitWriter w = writer(url, 16, Maintenance.NONE)) {
      assertThatThrownBy(
              () ->
                  w.write(
                      tx -> {
                        INSERT.run(tx);
                        return w.write(inner -> 1);
                      }))
          .isInstanceOf(StoreException.class)
          .hasRootCauseInstanceOf(IllegalStateException.class);
      assertThat(rows(url)).as("the outer write was rolled back").isZero();
    }
  }

  @Test
  void aWriteFromMaintenanceFails() throws Exception {
    AtomicReference<GroupCommitWriter> writer = new AtomicReference<>();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Maintenance writes =
        c -> {
          try {
            writer.get().write(tx -> 1);
            failure.complete(null);
          } catch (RuntimeException e) {
            failure.complete(e);
          }
        };
    try (GroupCommitWriter w = writer(ordered(dir), 16, writes)) {
      writer.set(w);
      w.write(INSERT);
      assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void theWriterThreadSurvivesAnErrorInMaintenance() throws Exception {
    AtomicInteger maintenance = new AtomicInteger();
    Maintenance failing =
        c -> {
          maintenance.incrementAndGet();
          throw new AssertionError("maintenance broke");
        };
    try (GroupCommitWriter w = writer(ordered(dir), 16, failing)) {
      // Queued writes are committed by the writer thread, which runs maintenance after each.
      assertThat(w.writeAsync(INSERT).get(5, TimeUnit.SECONDS)).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> maintenance.get() > 0);
      assertThat(w.writeAsync(INSERT).get(5, TimeUnit.SECONDS)).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> maintenance.get() > 1);
    }
  }

  @Test
  void anUnexpectedErrorFailsOnlyItsWrite() throws Exception {
    String url = ordered(dir);
    try (GroupCommitWriter w = writer(url, 16, Maintenance.NONE)) {
      assertThatThrownBy(
              () ->
                  w.write(
                      tx -> {
                        INSERT.run(tx);
                        throw new AssertionError("bug in a write");
                      }))
          .isInstanceOf(StoreException.class)
          .hasCauseInstanceOf(AssertionError.class);
      assertThat(w.write(INSERT)).isEqualTo(1);
      assertThat(rows(url)).as("the failed write was rolled back").isEqualTo(1);
    }
  }

  @Test
  void aConflictIsRetriedUntilItCommits() throws Exception {
    String url = ordered(dir);
    AtomicInteger attempts = new AtomicInteger();
    try (GroupCommitWriter w = writer(url, 16, Maintenance.NONE)) {
      int n =
          w.write(
              tx -> {
                INSERT.run(tx);
                if (attempts.incrementAndGet() < 3) {
                  throw new SQLException("could not serialize access", "40001");
                }
                return 7;
              });
      assertThat(n).isEqualTo(7);
      assertThat(attempts).hasValue(3);
      assertThat(rows(url)).as("only the last attempt committed").isEqualTo(1);
    }
  }

  @Test
  void aConflictThatPersistsFailsAfterFiveRetries() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    try (GroupCommitWriter w = writer(ordered(dir), 16, Maintenance.NONE)) {
      assertThatThrownBy(
              () ->
                  w.write(
                      tx -> {
                        attempts.incrementAndGet();
                        throw new SQLException("deadlock detected", "40P01");
                      }))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("deadlock detected");
      assertThat(attempts).hasValue(6);
    }
  }

  @Test
  void anOrdinaryFailureIsNotRetried() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    try (GroupCommitWriter w = writer(ordered(dir), 16, Maintenance.NONE)) {
      assertThatThrownBy(
              () ->
                  w.write(
                      tx -> {
                        attempts.incrementAndGet();
                        throw new SQLException("constraint failed", "23505");
                      }))
          .isInstanceOf(StoreException.class);
      assertThat(attempts).hasValue(1);
    }
  }

  @Test
  void aWriteThatMeetsABrokenConnectionRunsAgainOnANewOne() throws Exception {
    String url = ordered(dir);
    List<Connection> opened = new ArrayList<>();
    ConnectionFactory recording =
        () -> {
          Connection c = DriverManager.getConnection(url);
          synchronized (opened) {
            opened.add(c);
          }
          return c;
        };
    try (GroupCommitWriter w =
        new GroupCommitWriter(
            WriterOptions.builder("t", recording)
                .batching(CommitBatching.upTo(16))
                .maintenance(Maintenance.NONE)
                .build())) {
      opened.get(0).close();
      assertThat(w.write(INSERT)).isEqualTo(1);
      assertThat(opened).hasSize(2);
      assertThat(rows(url)).isEqualTo(1);
    }
  }

  @Test
  void closeCommitsWhatIsQueuedThenFailsLaterWrites() throws Exception {
    String url = ordered(dir);
    GroupCommitWriter w = writer(url, 8, Maintenance.NONE);
    List<CompletableFuture<Integer>> queued = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      queued.add(w.writeAsync(INSERT));
    }
    w.close();
    for (CompletableFuture<Integer> f : queued) {
      assertThat(f).isCompletedWithValue(1);
    }
    assertThat(rows(url)).isEqualTo(100);
    assertThatThrownBy(() -> w.write(INSERT))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aConnectionThatCannotBeOpenedFailsTheConstructorAndClosesTheOthers() throws Exception {
    String url = ordered(dir);
    List<Connection> opened = new ArrayList<>();
    ConnectionFactory secondFails =
        () -> {
          if (!opened.isEmpty()) {
            throw new SQLException("no more connections");
          }
          Connection c = DriverManager.getConnection(url);
          opened.add(c);
          return c;
        };
    assertThatThrownBy(
            () ->
                new GroupCommitWriter(
                    WriterOptions.builder("t", secondFails)
                        .lanes(2)
                        .batching(CommitBatching.upTo(16))
                        .maintenance(Maintenance.NONE)
                        .build()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("no more connections");
    assertThat(opened).hasSize(1);
    assertThat(opened.get(0).isClosed()).isTrue();
  }

  /** The writer's options: the defaults, and what is refused when they are built. */
  @Test
  void optionsHaveDefaultsAndAreCheckedWhenBuilt() {
    ConnectionFactory never =
        () -> {
          throw new SQLException("not opened");
        };
    Supplier<WriterOptions.Builder> base =
        () ->
            WriterOptions.builder("t", never)
                .batching(CommitBatching.upTo(16))
                .maintenance(Maintenance.NONE);
    WriterOptions o = base.get().build();
    assertThat(o.lanes()).isEqualTo(1);
    assertThat(o.lockUsersSql()).isNull();
    assertThat(o.outcomes()).isNull();
    assertThat(o.resolveTimeout()).isZero();
    assertThat(o.waitLimit()).isEqualTo(WriterOptions.DEFAULT_WAIT_LIMIT);
    assertThat(o.counters()).isNull();
    assertThat(o.conversations()).isNull();

    assertThatThrownBy(
            () -> WriterOptions.builder("t", never).maintenance(Maintenance.NONE).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("batching");
    assertThatThrownBy(
            () -> WriterOptions.builder("t", never).batching(CommitBatching.upTo(16)).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("maintenance");
    assertThatThrownBy(() -> base.get().lanes(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> base.get().waitLimit(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> base.get().outcomes(null, Duration.ofMillis(-1)).build())
        .isInstanceOf(IllegalArgumentException.class);
    Clock clock = Clock.systemUTC();
    assertThatThrownBy(() -> base.get().onlyWriter(new SequenceCounters(clock), null).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                base.get()
                    .lanes(2)
                    .onlyWriter(new SequenceCounters(clock), new ConversationIndex(clock))
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            base.get()
                .onlyWriter(new SequenceCounters(clock), new ConversationIndex(clock))
                .build()
                .lanes())
        .isEqualTo(1);
  }

  /**
   * Review finding M6: no caller waits for the writer without bound. A commit that hangs (here a
   * write that blocks inside its transaction) fails its own write and those queued behind it once
   * they have waited longer than the limit (error 11); the writer goes on once it is free again.
   */
  @Test
  void writesThatWaitPastTheLimitFail() throws Exception {
    String url = ordered(dir);
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Work<Integer> hangs =
        tx -> {
          stuck.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return INSERT.run(tx);
        };
    try (GroupCommitWriter w =
        new GroupCommitWriter(
            WriterOptions.builder("t", () -> DriverManager.getConnection(url))
                .batching(CommitBatching.upTo(16))
                .maintenance(Maintenance.NONE)
                .waitLimit(Duration.ofMillis(300))
                .build())) {
      CompletableFuture<Integer> inFlight = w.writeAsync(hangs);
      assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Integer> queued = w.writeAsync(INSERT);
      assertThatThrownBy(() -> w.write(INSERT))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("within");
      assertThat(queued).failsWithin(Duration.ofSeconds(10));
      assertThat(inFlight).failsWithin(Duration.ofSeconds(10));
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> rows(url) == 1);
      // The queued writes were taken out before they ran: only the hung one committed after all.
      assertThat(w.write(INSERT)).isEqualTo(1);
      assertThat(rows(url)).isEqualTo(2);
    }
  }

  /**
   * Commits that wait for company ({@link CommitBatching}): while the writer is busy, a queued
   * message waits until it has waited the delay, so that the writes queued meanwhile share its
   * commit.
   */
  @Test
  void whileBusyAQueuedWriteWaitsForCompanyUpToTheDelay() throws Exception {
    AtomicInteger batches = new AtomicInteger();
    try (GroupCommitWriter w =
        delayed(ordered(dir), Duration.ofMillis(500), c -> batches.incrementAndGet())) {
      w.writeAsync(INSERT).get(5, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> batches.get() == 1);
      // The writer has just committed: it is busy, so the next write waits for company.
      long start = System.nanoTime();
      CompletableFuture<Integer> a = w.writeAsync(INSERT);
      Thread.sleep(100);
      CompletableFuture<Integer> b = w.writeAsync(INSERT);
      CompletableFuture<Integer> c = w.writeAsync(INSERT);
      CompletableFuture.allOf(a, b, c).get(5, TimeUnit.SECONDS);
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(waitedMs).isBetween(450L, 3_000L);
      assertThat(a).isCompletedWithValue(1);
      Thread.sleep(200);
      assertThat(batches.get()).as("the three writes in one commit").isEqualTo(2);
      assertThat(countRows(w)).isEqualTo(4);
    }
  }

  @Test
  void aCallerWaitingOnItsOwnThreadJoinsTheBatchThatWaitsForCompany() throws Exception {
    AtomicInteger batches = new AtomicInteger();
    try (GroupCommitWriter w =
        delayed(ordered(dir), Duration.ofMillis(500), c -> batches.incrementAndGet())) {
      w.writeAsync(INSERT).get(5, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> batches.get() == 1);
      CompletableFuture<Integer> queued = w.writeAsync(INSERT);
      // The writer thread holds the only connection while it waits: this caller queues behind.
      Thread.sleep(100);
      long start = System.nanoTime();
      assertThat(w.write(INSERT)).isEqualTo(1);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 3_000L);
      assertThat(queued).isCompletedWithValue(1);
      Thread.sleep(200);
      assertThat(batches.get()).as("both in one commit").isEqualTo(2);
    }
  }

  @Test
  void aLoneWriteOnAnIdleWriterDoesNotWait() throws Exception {
    try (GroupCommitWriter w = delayed(ordered(dir), Duration.ofSeconds(1), Maintenance.NONE)) {
      w.writeAsync(INSERT).get(5, TimeUnit.SECONDS);
      Thread.sleep(1_200);
      long start = System.nanoTime();
      w.writeAsync(INSERT).get(5, TimeUnit.SECONDS);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(700L);
    }
  }

  @Test
  void enoughCompanyEndsTheWait() throws Exception {
    try (GroupCommitWriter w = delayed(ordered(dir), Duration.ofSeconds(1), Maintenance.NONE)) {
      w.writeAsync(INSERT).get(5, TimeUnit.SECONDS);
      long start = System.nanoTime();
      List<CompletableFuture<Integer>> company = new ArrayList<>();
      for (int i = 0; i < CommitBatching.COMPANY; i++) {
        company.add(w.writeAsync(INSERT));
      }
      CompletableFuture.allOf(company.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(700L);
    }
  }

  @Test
  void aDelayOutsideZeroToOneSecondIsRejected() {
    assertThatThrownBy(() -> new CommitBatching(16, Duration.ofMillis(1_001)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CommitBatching(16, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static GroupCommitWriter delayed(String url, Duration delay, Maintenance maintenance) {
    return new GroupCommitWriter(
        WriterOptions.builder("t", () -> DriverManager.getConnection(url))
            .batching(new CommitBatching(64, delay))
            .maintenance(maintenance)
            .build());
  }

  private static int countRows(GroupCommitWriter w) {
    return w.write(
        tx -> {
          try (var rs = tx.prepare("SELECT COUNT(*) FROM t").executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        });
  }

  /** A test write of kind {@code kind}: inserts a row, returns {@code value}. */
  private record Write(Recording kind, int value) implements BatchableWork<Integer> {
    @Override
    public Integer run(Tx tx) throws SQLException {
      kind.log.add(kind.name + " alone " + value);
      INSERT.run(tx);
      return value;
    }

    @Override
    public BatchableWork.Kind<Integer> together() {
      return kind;
    }
  }

  /** A kind of test write that records how its writes ran: "alone N" or "together COUNT". */
  private record Recording(String name, List<String> log, boolean failTogether)
      implements BatchableWork.Kind<Integer> {
    Write write(int value) {
      return new Write(this, value);
    }

    @Override
    public List<Integer> runTogether(Tx tx, List<BatchableWork<Integer>> works)
        throws SQLException {
      List<Integer> out = new ArrayList<>();
      for (BatchableWork<Integer> w : works) {
        INSERT.run(tx);
        out.add(((Write) w).value());
      }
      log.add(name + " together " + works.size());
      if (failTogether) {
        throw new SQLException("cannot run these together");
      }
      return out;
    }
  }

  /**
   * Writes queued next to each other whose kinds are equal run together through their kind, in
   * queue order, at most {@link WritesTogether#MAX_TOGETHER} at a time; a write of another kind in
   * between ends a run; a write alone runs alone.
   */
  @Test
  void adjacentWritesOfOneKindRunTogether() throws Exception {
    List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    Recording a = new Recording("a", log, false);
    Recording b = new Recording("b", log, false);
    try (GroupCommitWriter w = writer(ordered(dir), 64, Maintenance.NONE)) {
      CountDownLatch release = BusyWriter.hold(w::writeAsync);
      List<CompletableFuture<Integer>> queued = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        queued.add(w.writeAsync(a.write(i)));
      }
      queued.add(w.writeAsync(b.write(3)));
      queued.add(w.writeAsync(a.write(4)));
      for (int i = 0; i < WritesTogether.MAX_TOGETHER + 1; i++) {
        queued.add(w.writeAsync(b.write(5 + i)));
      }
      release.countDown();
      CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
      assertThat(log)
          .containsExactly(
              "a together 3",
              "b alone 3",
              "a alone 4",
              "b together " + WritesTogether.MAX_TOGETHER,
              "b alone " + (5 + WritesTogether.MAX_TOGETHER));
      // Each write's own result, in order: the kind's for those run together.
      assertThat(queued.subList(0, 3)).extracting(CompletableFuture::join).containsExactly(0, 1, 2);
      assertThat(queued.get(3).join()).isEqualTo(3);
      assertThat(countRows(w)).isEqualTo(queued.size());
    }
  }

  /**
   * Writes that fail together are rolled back with their batch and run again one transaction each,
   * alone: each then succeeds or fails on its own.
   */
  @Test
  void writesThatFailTogetherRunAgainAlone() throws Exception {
    List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    Recording a = new Recording("a", log, true);
    try (GroupCommitWriter w = writer(ordered(dir), 64, Maintenance.NONE)) {
      CountDownLatch release = BusyWriter.hold(w::writeAsync);
      List<CompletableFuture<Integer>> queued = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        queued.add(w.writeAsync(a.write(i)));
      }
      release.countDown();
      assertThat(queued).extracting(f -> f.get(5, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
      assertThat(log).containsExactly("a together 3", "a alone 1", "a alone 2", "a alone 3");
      assertThat(countRows(w)).as("nothing of the failed run was committed").isEqualTo(3);
    }
  }

  @Test
  void aBatchLimitBelowOneIsRejected() {
    assertThatThrownBy(() -> CommitBatching.upTo(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
