package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

  @Test
  void inOrderStreamHasNoLossDuplicatesOrReordering() {
    SequenceTracker t = new SequenceTracker();
    for (int i = 0; i < 100; i++) {
      t.record(i);
    }
    assertThat(t.received()).isEqualTo(100);
    assertThat(t.lost(100)).isZero();
    assertThat(t.duplicated()).isZero();
    assertThat(t.reordered()).isZero();
  }

  @Test
  void countsGapsAsLostAgainstWhatWasSent() {
    SequenceTracker t = new SequenceTracker();
    t.record(0);
    t.record(2);
    t.record(5);
    assertThat(t.lost(6)).isEqualTo(3); // 1, 3, 4
    assertThat(t.lost(3)).isEqualTo(1); // only 1 within 0..2
    assertThat(t.lost(0)).isZero();
    assertThat(t.reordered()).isZero();
  }

  @Test
  void countsDuplicatesOnceEachAndNotAsReceived() {
    SequenceTracker t = new SequenceTracker();
    t.record(0);
    t.record(1);
    t.record(1);
    t.record(0);
    assertThat(t.received()).isEqualTo(2);
    assertThat(t.duplicated()).isEqualTo(2);
    assertThat(t.reordered()).isZero();
  }

  @Test
  void countsLateArrivalsAsReordered() {
    SequenceTracker t = new SequenceTracker();
    t.record(0);
    t.record(2);
    t.record(1); // arrives after a higher one
    t.record(3);
    assertThat(t.reordered()).isEqualTo(1);
    assertThat(t.lost(4)).isZero();
    assertThat(t.has(1)).isTrue();
    assertThat(t.has(4)).isFalse();
  }

  @Test
  void ignoresImpossibleNumbers() {
    SequenceTracker t = new SequenceTracker();
    t.record(-1);
    t.record(Long.MAX_VALUE);
    assertThat(t.outOfRange()).isEqualTo(2);
    assertThat(t.received()).isZero();
  }
}
