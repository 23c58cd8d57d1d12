package imps.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns Netty's leak reports (paranoid in every test JVM) into test failures: call {@link
 * #assertNoLeaks()} after a test class. Leaks are found when leaked buffers are garbage collected
 * and a later allocation polls the detector, so this forces both.
 */
final class LeakCheck {
  private static final List<String> LEAKS = new ArrayList<>();

  static {
    ByteBufUtil.setLeakListener(
        (resourceType, records) -> {
          synchronized (LEAKS) {
            LEAKS.add(resourceType + ": " + records);
          }
        });
  }

  private LeakCheck() {}

  /** Installs the listener; call before the tests allocate. */
  static void install() {
    // The static initializer does the work.
  }

  static void assertNoLeaks() throws InterruptedException {
    for (int round = 0; round < 3; round++) {
      System.gc();
      Thread.sleep(20);
      for (int i = 0; i < 64; i++) {
        ByteBufAllocator.DEFAULT.buffer(16).release();
      }
    }
    synchronized (LEAKS) {
      List<String> found = List.copyOf(LEAKS);
      LEAKS.clear();
      assertThat(found).as("Netty buffer leaks").isEmpty();
    }
  }
}
