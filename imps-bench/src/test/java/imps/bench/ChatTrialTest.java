package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.message.MessagePush;
import org.junit.jupiter.api.Test;

/** The receiving side of a chat trial, fed directly (no connections, nothing sent). */
class ChatTrialTest {
  private final Conn[] conns = {
    new Conn(0, "a", (c, p) -> {}),
    new Conn(1, "b", (c, p) -> {}),
    new Conn(2, "c", (c, p) -> {}),
    new Conn(3, "d", (c, p) -> {})
  };
  private final ChatTrial trial =
      new ChatTrial("t1", new RatePacer(System.nanoTime(), 100, 4), conns, 0);

  private void push(int to, String body) {
    trial.received(conns[to], new MessagePush("x", body, "2026-11-30 10:00:00"));
  }

  private static String body(String tag, long seq, String rest) {
    return tag + "|" + seq + "|" + System.nanoTime() + rest;
  }

  @Test
  void countsEachStreamsMessagesOnceAndInOrder() {
    push(1, body("t1", 0, ""));
    push(1, body("t1", 1, "xxxx")); // padding after the time
    push(1, body("t1", 1, "")); // duplicate
    push(0, body("t1", 1, "")); // another stream, out of order
    push(0, body("t1", 0, ""));
    Result r = new Result("x");
    trial.report(r);
    assertThat(trial.receivedSoFar()).isEqualTo(4);
    assertThat(r.metrics())
        .containsEntry("received", 4L)
        .containsEntry("duplicated", 1L)
        .containsEntry("reordered", 1L)
        .containsEntry("stale_from_earlier_runs", 0L)
        .containsEntry("bad_bodies", 0L)
        .containsEntry("scheduled", 4L);
    assertThat(r.get("e2e_p50_ms")).isNotNaN();
  }

  @Test
  void setsAsideEarlierTrialsAndUnreadableBodies() {
    push(1, body("t0", 0, "")); // an earlier trial
    push(1, body("t10", 0, "")); // a tag that only starts like this one
    push(1, "no bars");
    push(1, "t1|x|y");
    Result r = new Result("x");
    trial.report(r);
    assertThat(r.metrics())
        .containsEntry("received", 0L)
        .containsEntry("stale_from_earlier_runs", 2L)
        .containsEntry("bad_bodies", 2L);
    assertThat(trial.errors()).isEqualTo(2);
    assertThat(r.get("e2e_p50_ms")).isNaN();
  }

  @Test
  void settledOnceEverythingSentIsAnswered() {
    assertThat(trial.settled()).isTrue(); // nothing sent yet
  }
}
