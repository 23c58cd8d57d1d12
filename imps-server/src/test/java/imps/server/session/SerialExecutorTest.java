package imps.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
  @Test
  void runsInSubmissionOrderOneAtATime() throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      SerialExecutor serial = new SerialExecutor(pool);
      List<Integer> seen = new CopyOnWriteArrayList<>();
      AtomicInteger running = new AtomicInteger();
      AtomicInteger maxRunning = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(1000);
      for (int i = 0; i < 1000; i++) {
        int n = i;
        serial.execute(
            () -> {
              maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
              seen.add(n);
              running.decrementAndGet();
              done.countDown();
            });
      }
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(maxRunning.get()).isEqualTo(1);
      for (int i = 0; i < 1000; i++) {
        assertThat(seen.get(i)).isEqualTo(i);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aFailingTaskDoesNotStopTheQueue() throws InterruptedException {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      SerialExecutor serial = new SerialExecutor(pool);
      CountDownLatch ran = new CountDownLatch(1);
      serial.execute(
          () -> {
            throw new IllegalStateException("boom");
          });
      serial.execute(ran::countDown);
      assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdown();
    }
  }
}
