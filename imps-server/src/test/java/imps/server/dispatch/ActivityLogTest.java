package imps.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ActivityLogTest {

  @Test
  void anIdleIntervalLogsNothing() {
    assertThat(new ActivityLog().summarize()).isNull();
  }

  @Test
  void theSummaryCountsWhatHappenedSinceTheLastOne() {
    ActivityLog a = new ActivityLog();
    a.connected("10.0.0.1:5000");
    a.connected("10.0.0.2:5000");
    a.connected("10.0.0.3:5000");
    a.loggedIn("alice", "10.0.0.1:5000", false, "[]");
    a.loggedIn("bob", "10.0.0.2:5000", true, "[ACKS]");
    a.loggedOut("alice");
    a.disconnected("10.0.0.1:5000", "alice");
    assertThat(a.summarize())
        .isEqualTo("activity: 2 connections open (+3 -1); 1 logins, 1 resumed, 1 logged out");
    // The open count stays; the rest starts again.
    a.disconnected("10.0.0.3:5000", null);
    assertThat(a.summarize())
        .isEqualTo("activity: 1 connections open (+0 -1); 0 logins, 0 resumed, 0 logged out");
    assertThat(a.summarize()).isNull();
  }
}
