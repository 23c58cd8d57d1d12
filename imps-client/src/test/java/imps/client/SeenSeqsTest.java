package imps.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenSeqsTest {
  final SeenSeqs seen = new SeenSeqs();

  @Test
  void anItemThatComesLateIsNotARepeat() {
    assertThat(seen.add(10)).isTrue();
    assertThat(seen.add(12)).isTrue();
    // 11 was stored before 12 but pushed after it: new, once.
    assertThat(seen.add(11)).isTrue();
    assertThat(seen.add(11)).isFalse();
    assertThat(seen.add(12)).isFalse();
    assertThat(seen.add(10)).isFalse();
    assertThat(seen.add(13)).isTrue();
  }

  @Test
  void slotsAreReusedAcrossTheWindow() {
    long base = 5;
    assertThat(seen.add(base)).isTrue();
    // A number one window above reuses 5's slot: 5 is then too old to tell, and counts as seen.
    assertThat(seen.add(base + SeenSeqs.WINDOW)).isTrue();
    assertThat(seen.add(base)).isFalse();
    // Numbers skipped over are new when they come.
    assertThat(seen.add(base + SeenSeqs.WINDOW - 1)).isTrue();
    // A jump of more than the window forgets everything below it.
    long far = base + 3L * SeenSeqs.WINDOW;
    assertThat(seen.add(far)).isTrue();
    assertThat(seen.add(far - 1)).isTrue();
    assertThat(seen.add(far - SeenSeqs.WINDOW)).isFalse();
  }

  @Test
  void clearAllStartsAgain() {
    seen.add(7);
    seen.clearAll();
    assertThat(seen.add(7)).isTrue();
  }
}
