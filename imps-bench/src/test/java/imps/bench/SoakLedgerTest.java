package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SoakLedgerTest {

  @Test
  void everyAcknowledgedMessageDeliveredOnceIsNoLossAndExitsZero() {
    SoakLedger ledger = new SoakLedger();
    ledger.sent();
    ledger.sent();
    ledger.acknowledged("s#0");
    ledger.acknowledged("s#1");
    ledger.delivered("s#0");
    ledger.delivered("s#1");
    assertThat(ledger.lost()).isZero();
    assertThat(ledger.duplicated()).isZero();
    assertThat(ledger.report(new PrintStream(new ByteArrayOutputStream()), 3, 1)).isZero();
  }

  @Test
  void anAcknowledgedMessageNeverDeliveredIsLostAndExitsOne() {
    SoakLedger ledger = new SoakLedger();
    ledger.sent();
    ledger.acknowledged("s#0");
    assertThat(ledger.lost()).isEqualTo(1);
    assertThat(ledger.report(new PrintStream(new ByteArrayOutputStream()), 1, 1)).isEqualTo(1);
  }

  @Test
  void extraCopiesCountAsDuplicatesAndUnacknowledgedDeliveriesAreNotLosses() {
    SoakLedger ledger = new SoakLedger();
    for (int i = 0; i < 3; i++) {
      ledger.sent();
    }
    ledger.acknowledged("s#0");
    ledger.delivered("s#0");
    ledger.delivered("s#0");
    ledger.delivered("s#0");
    ledger.delivered("s#1"); // its reply was cut off by the kill
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status = ledger.report(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2, 1);
    assertThat(status).isZero();
    assertThat(ledger.duplicated()).isEqualTo(2);
    assertThat(ledger.progress()).isEqualTo("3 sent, 1 acknowledged, 2 delivered");
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("crash soak: 2 kill -9 cycles, 1 pairs")
        .contains("  lost (acknowledged, never)         0")
        .contains("  duplicated (extra copies)          2")
        .contains("  delivered, not acknowledged        1  (reply cut off by the kill)");
  }
}
