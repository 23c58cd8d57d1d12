package imps.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.server.store.StoreException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The breaker of a database over the network (review finding M6). */
class ReachabilityTest {
  private static final StoreException LOST =
      new StoreException(
          "write failed",
          new SQLException("An I/O error occurred", "08006", new SocketTimeoutException()));

  @Test
  void onlyLostConnectionsAndTimeoutsCount() {
    assertThat(Reachability.isUnreachable(LOST)).isTrue();
    assertThat(
            Reachability.isUnreachable(new StoreException("x", new SQLException("dup", "23505"))))
        .isFalse();
    assertThat(Reachability.isUnreachable(new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void afterAnUnreachableDatabaseRequestsFailAtOnceUntilAProbeSucceeds() {
    Reachability r = new Reachability("db", 0); // a probe may go at once
    assertThat(r.admit()).isFalse();
    r.observe(false, new StoreException("constraint", new SQLException("dup", "23505")));
    assertThat(r.isDown()).isFalse();

    r.observe(false, LOST);
    assertThat(r.isDown()).isTrue();
    // One probe at a time; the others fail at once meanwhile.
    assertThat(r.admit()).isTrue();
    assertThatThrownBy(r::admit)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("unreachable");
    r.observe(true, LOST);
    assertThat(r.isDown()).isTrue();
    assertThat(r.admit()).isTrue();
    r.observe(true, null);
    assertThat(r.isDown()).isFalse();
    assertThat(r.admit()).isFalse();
  }

  @Test
  void noProbeBeforeTheRetryTime() {
    Reachability r = new Reachability("db", 3_600_000_000_000L);
    r.observe(false, LOST);
    assertThatThrownBy(r::admit).isInstanceOf(StoreException.class);
  }
}
