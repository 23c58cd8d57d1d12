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
  void countsLateMessagesBySecondOfTheirIntendedSend() {
    long start = System.nanoTime() - 3_000_000_000L; // a 4 s schedule that began 3 s ago
    ChatTrial late = new ChatTrial("t2", new RatePacer(start, 100, 400), conns, 0);
    long oneAndAHalf = start + 1_500_000_000L; // about 1.5 s late now
    late.received(conns[1], new MessagePush("x", "t2|0|" + oneAndAHalf, "2026-11-30 10:00:00"));
    late.received(conns[1], new MessagePush("x", "t2|1|" + oneAndAHalf, "2026-11-30 10:00:00"));
    late.received(conns[0], new MessagePush("x", "t2|0|" + System.nanoTime(), "2026-12-01 06:00"));
    Result r = new Result("x");
    late.report(r);
    assertThat(r.metrics()).containsEntry("e2e_slow_seconds", 1);
    assertThat(r.notes())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith(
            "messages over 50 ms end to end, by second of their intended send: s1 2 (latest 1");
  }

  @Test
  void listsTheFirstThirtyLateSecondsAndCountsTheRest() {
    long start = System.nanoTime() - 100_000_000_000L; // a 100 s schedule that began 100 s ago
    ChatTrial late = new ChatTrial("t3", new RatePacer(start, 100, 10_000), conns, 0);
    for (int i = 0; i < 40; i++) {
      long due = start + i * 1_000_000_000L;
      late.received(conns[1], new MessagePush("x", "t3|" + i + "|" + due, "2026-12-01 06:00"));
    }
    Result r = new Result("x");
    late.report(r);
    assertThat(r.metrics()).containsEntry("e2e_slow_seconds", 40);
    assertThat(r.notes())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("s29 1 (latest ")
        .doesNotContain("s30 ")
        .endsWith(", and 10 more seconds");
  }

  @Test
  void noNoteWhenNothingIsLate() {
    push(1, body("t1", 0, ""));
    Result r = new Result("x");
    trial.report(r);
    assertThat(r.metrics()).containsEntry("e2e_slow_seconds", 0);
    assertThat(r.notes()).isEmpty();
  }

  @Test
  void settledOnceEverythingSentIsAnswered() {
    assertThat(trial.settled()).isTrue(); // nothing sent yet
  }
}
