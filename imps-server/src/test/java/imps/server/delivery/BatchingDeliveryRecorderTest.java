package imps.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingDeliveryRecorderTest {
  private final List<List<Long>> messageBatches = Collections.synchronizedList(new ArrayList<>());
  private final List<List<Long>> outcomeBatches = Collections.synchronizedList(new ArrayList<>());
  private final List<java.util.Map<Long, Long>> acks =
      Collections.synchronizedList(new ArrayList<>());

  private BatchingDeliveryRecorder recorder() {
    return new BatchingDeliveryRecorder(
        ids -> messageBatches.add(List.copyOf(ids)),
        ids -> outcomeBatches.add(List.copyOf(ids)),
        acks::add);
  }

  @Test
  void marksAreRecordedInBatchesOfAtMost256() {
    BatchingDeliveryRecorder r = recorder();
    for (long id = 1; id <= 1000; id++) {
      r.record(DeliveryMark.message(id));
    }
    r.record(DeliveryMark.outcome(7));
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
    r.record(DeliveryMark.message(42));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(messageBatches).containsExactly(List.of(42L)));
    r.close();
  }

  @Test
  void closeRecordsWhatIsQueued() {
    BatchingDeliveryRecorder r = recorder();
    r.record(DeliveryMark.message(1));
    r.record(DeliveryMark.message(2));
    r.close();
    assertThat(messageBatches.stream().flatMap(List::stream)).containsExactly(1L, 2L);
  }

  @Test
  void acknowledgementsWaitForTheirOwnLingerNotTheMarks() {
    BatchingDeliveryRecorder r =
        new BatchingDeliveryRecorder(
            ids -> messageBatches.add(List.copyOf(ids)),
            ids -> outcomeBatches.add(List.copyOf(ids)),
            acks::add,
            60_000);
    r.recordAck(7, 3);
    r.record(DeliveryMark.message(1));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(messageBatches).containsExactly(List.of(1L)));
    assertThat(acks).isEmpty(); // still waiting for company
    r.recordAck(7, 5);
    r.recordAck(8, 2);
    r.awaitFlushed(); // a login does not wait for the linger
    assertThat(acks).containsExactly(java.util.Map.of(7L, 5L, 8L, 2L));
    r.close();
  }

  @Test
  void aLoneAcknowledgementIsRecordedAfterItsLingerWithoutAFlush() {
    BatchingDeliveryRecorder r = new BatchingDeliveryRecorder(ids -> {}, ids -> {}, acks::add, 50);
    r.recordAck(7, 3);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(acks).containsExactly(java.util.Map.of(7L, 3L)));
    r.close();
  }

  @Test
  void acknowledgementsOfOneUserCoalesceToTheHighest() {
    BatchingDeliveryRecorder r = recorder();
    r.recordAck(7, 3);
    r.recordAck(7, 9);
    r.recordAck(7, 5);
    r.recordAck(8, 1);
    r.awaitFlushed();
    assertThat(acks).containsExactly(java.util.Map.of(7L, 9L, 8L, 1L));
    r.close();
  }

  @Test
  void acknowledgementsAreRecordedInBatchesOfAtMost64Users() {
    BatchingDeliveryRecorder r = recorder();
    for (long user = 1; user <= 1000; user++) {
      r.recordAck(user, user * 10);
    }
    r.awaitFlushed();

    java.util.Map<Long, Long> all = new java.util.HashMap<>();
    for (java.util.Map<Long, Long> batch : acks) {
      assertThat(batch).hasSizeLessThanOrEqualTo(64);
      batch.forEach((user, seq) -> assertThat(all.put(user, seq)).isNull());
    }
    assertThat(all).hasSize(1000).allSatisfy((user, seq) -> assertThat(seq).isEqualTo(user * 10));
    r.close();
  }
}
