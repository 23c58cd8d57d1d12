package imps.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.store.MessageStore.Quota;
import org.junit.jupiter.api.Test;

class WaitingBoundsTest {
  private final WaitingBounds bounds = new WaitingBounds();
  private final Quota quota = new Quota(3, 100);

  @Test
  void aRecipientNeverMeasuredIsNotSurelyWithin() {
    assertThat(bounds.surelyWithin(1, 1, quota)).isFalse();
    bounds.stored(1, 10); // no bound to raise: still unknown
    assertThat(bounds.surelyWithin(1, 1, quota)).isFalse();
  }

  @Test
  void everyMessageStoredSinceTheMeasureCountsUntilTheQuotaIsReached() {
    bounds.measured(1, 0, 0);
    assertThat(bounds.surelyWithin(1, 40, quota)).isTrue();
    bounds.stored(1, 40);
    assertThat(bounds.surelyWithin(1, 40, quota)).isTrue();
    bounds.stored(1, 40);
    assertThat(bounds.surelyWithin(1, 40, quota)).as("bytes: 120 > 100").isFalse();
    assertThat(bounds.surelyWithin(1, 20, quota)).as("exactly at the bytes").isTrue();
    bounds.stored(1, 20);
    assertThat(bounds.surelyWithin(1, 0, quota)).as("items: 3 of 3").isFalse();
  }

  @Test
  void aNewMeasureReplacesTheBoundAndRecipientsAreApart() {
    bounds.measured(1, 3, 0);
    bounds.measured(2, 0, 0);
    assertThat(bounds.surelyWithin(1, 1, quota)).isFalse();
    assertThat(bounds.surelyWithin(2, 1, quota)).isTrue();
    bounds.measured(1, 1, 50); // deliveries happened meanwhile
    assertThat(bounds.surelyWithin(1, 50, quota)).isTrue();
    assertThat(bounds.surelyWithin(1, 51, quota)).isFalse();
  }
}
