package imps.server.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OffloadTest {
  private final Offload pool = new Offload("offload-test", 2, 100);
  private final Offload other = new Offload("offload-other", 1, 100);
  private final ExecutorService plain = Executors.newSingleThreadExecutor();

  @AfterEach
  void close() {
    pool.close();
    other.close();
    plain.shutdownNow();
  }

  @Test
  void supplyOnRunsAtOnceOnTheCallingThreadWhenThatIsOneOfThePoolsOwn() throws Exception {
    Thread[] ran = new Thread[2];
    pool.supply(
            () -> {
              ran[0] = Thread.currentThread();
              return Offload.supplyOn(
                      pool,
                      () -> {
                        ran[1] = Thread.currentThread();
                        return "x";
                      })
                  .isDone();
            })
        .thenAccept(done -> assertThat(done).isTrue())
        .get(5, TimeUnit.SECONDS);
    assertThat(ran[1]).isSameAs(ran[0]);
    assertThat(Offload.isCurrent(pool)).isFalse();
  }

  @Test
  void supplyOnQueuesFromAnyOtherThread() throws Exception {
    String caller = Thread.currentThread().getName();
    assertThat(
            Offload.supplyOn(pool, () -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
        .startsWith("offload-test")
        .isNotEqualTo(caller);
    // From another pool's thread, and from a thread of a plain executor: queued on this pool too.
    CompletableFuture<String> fromOther =
        other.supply(() -> Offload.supplyOn(pool, () -> Thread.currentThread().getName()).join());
    assertThat(fromOther.get(5, TimeUnit.SECONDS)).startsWith("offload-test");
    assertThat(
            CompletableFuture.supplyAsync(
                    () -> Offload.isCurrent(plain) || Offload.isCurrent(pool), plain)
                .get(5, TimeUnit.SECONDS))
        .isFalse();
  }

  @Test
  void aStepThatThrowsFailsTheFutureWhereverItRan() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    CompletableFuture<CompletableFuture<Object>> inline =
        pool.supply(
            () ->
                Offload.supplyOn(
                    pool,
                    () -> {
                      throw boom;
                    }));
    CompletableFuture<Object> f = inline.get(5, TimeUnit.SECONDS);
    assertThat(f).isCompletedExceptionally();
    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasCause(boom);
    CompletableFuture<Object> queued =
        Offload.supplyOn(
            pool,
            () -> {
              throw boom;
            });
    assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCause(boom);
  }
}
