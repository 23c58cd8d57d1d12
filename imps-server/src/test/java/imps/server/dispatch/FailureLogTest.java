package imps.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.LogCapture;
import imps.server.store.StoreException;
import imps.testsupport.MutableClock;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * While the database or Redis is down every request fails alike: one ERROR line with a stack trace
 * per kind of failure per interval, then a count of those not logged (issue 13, M6/M7).
 */
class FailureLogTest {
  private final MutableClock clock = new MutableClock();
  private final FailureLog failures =
      new FailureLog(LoggerFactory.getLogger(FailureLogTest.class), clock, Duration.ofSeconds(10));

  private static StoreException down() {
    return new StoreException(
        "cannot write", new SQLTransientConnectionException("connection is not available"));
  }

  @Test
  void oneLinePerKindPerIntervalWithACount() {
    try (LogCapture log = LogCapture.of(FailureLogTest.class)) {
      for (int i = 0; i < 100; i++) {
        failures.failed("C_SEND_MSG of alice", down());
      }
      // Another kind of failure gets its own line.
      failures.failed("C_LOGIN of bob", new StoreException("did not take the write", null));
      assertThat(log.errors())
          .containsExactly(
              "storage failed for C_SEND_MSG of alice cannot write",
              "storage failed for C_LOGIN of bob did not take the write");

      clock.advance(Duration.ofSeconds(11));
      failures.failed("C_SEND_MSG of carol", down());
      assertThat(log.errors())
          .last()
          .isEqualTo(
              "storage failed for C_SEND_MSG of carol (99 more like it in the last 11 s, not"
                  + " logged) cannot write");
      // Nothing new of a kind within the interval: no line, and the count starts again.
      failures.failed("C_SEND_MSG of dave", down());
      clock.advance(Duration.ofSeconds(30));
      failures.failed("C_SEND_MSG of erin", down());
      assertThat(log.errors())
          .hasSize(4)
          .last()
          .isEqualTo(
              "storage failed for C_SEND_MSG of erin (1 more like it in the last 30 s, not logged)"
                  + " cannot write");
    }
  }
}
