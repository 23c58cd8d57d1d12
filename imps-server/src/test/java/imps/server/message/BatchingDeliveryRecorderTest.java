package imps.server.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import imps.server.session.Push;
import imps.server.store.FriendStore;
import imps.server.store.MessageStore;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingDeliveryRecorderTest {
  private final List<List<Long>> messageBatches = Collections.synchronizedList(new ArrayList<>());
  private final List<List<Long>> outcomeBatches = Collections.synchronizedList(new ArrayList<>());

  @SuppressWarnings("unchecked")
  private <T> T recording(Class<T> type, String method, List<List<Long>> into) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, m, args) -> {
              if (m.getName().equals(method)) {
                List<Long> ids = (List<Long>) args[0];
                if (!ids.isEmpty()) {
                  into.add(List.copyOf(ids));
                }
                return null;
              }
              throw new UnsupportedOperationException(m.getName());
            });
  }

  private BatchingDeliveryRecorder recorder() {
    return new BatchingDeliveryRecorder(
        recording(MessageStore.class, "markDelivered", messageBatches),
        recording(FriendStore.class, "markOutcomesDelivered", outcomeBatches));
  }

  @Test
  void marksAreRecordedInBatchesOfAtMost256() {
    BatchingDeliveryRecorder r = recorder();
    for (long id = 1; id <= 1000; id++) {
      r.record(new Push.DeliveryMark(Push.DeliveryMark.Kind.MESSAGE, id));
    }
    r.record(new Push.DeliveryMark(Push.DeliveryMark.Kind.OUTCOME, 7));
    r.awaitFlushed();

    List<Long> all = messageBatches.stream().flatMap(List::stream).toList();
    assertThat(all).hasSize(1000).doesNotHaveDuplicates();
    assertThat(messageBatches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(256));
    // Queued together, so they share a few commits instead of one each.
    assertThat(messageBatches).hasSizeLessThanOrEqualTo(20);
    assertThat(outcomeBatches).containsExactly(List.of(7L));
    r.close();
  }

  @Test
  void aLoneMarkIsRecordedAfterTheLingerWithoutAFlush() {
    BatchingDeliveryRecorder r = recorder();
    r.record(new Push.DeliveryMark(Push.DeliveryMark.Kind.MESSAGE, 42));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(messageBatches).containsExactly(List.of(42L)));
    r.close();
  }

  @Test
  void closeRecordsWhatIsQueued() {
    BatchingDeliveryRecorder r = recorder();
    r.record(new Push.DeliveryMark(Push.DeliveryMark.Kind.MESSAGE, 1));
    r.record(new Push.DeliveryMark(Push.DeliveryMark.Kind.MESSAGE, 2));
    r.close();
    assertThat(messageBatches.stream().flatMap(List::stream)).containsExactly(1L, 2L);
  }
}
