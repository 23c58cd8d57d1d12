package imps.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.message.ImpsMessage;
import imps.protocol.message.MessagePush;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The login-time delivery buffer: backlog first, then live pushes, without duplicates. */
class SessionTest {
  private static final class RecordingConnection implements Connection {
    final List<ImpsMessage> written = new ArrayList<>();

    @Override
    public void write(ImpsMessage message, Runnable onWritten) {
      written.add(message);
      if (onWritten != null) {
        onWritten.run();
      }
    }

    @Override
    public void flush() {}

    @Override
    public CompletableFuture<Void> close() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public boolean isWritable() {
      return true;
    }

    @Override
    public boolean awaitWritable(java.time.Duration timeout) {
      return true;
    }

    @Override
    public String remoteAddress() {
      return "test";
    }
  }

  private static final class Recorder implements DeliveryRecorder {
    final List<Push.DeliveryMark> marks = new ArrayList<>();

    @Override
    public void record(Push.DeliveryMark mark) {
      marks.add(mark);
    }

    @Override
    public void awaitFlushed() {}
  }

  private static Push message(long id) {
    return new Push(
        new MessagePush("a", "m" + id, "t"),
        new Push.DeliveryMark(Push.DeliveryMark.Kind.MESSAGE, id));
  }

  @Test
  void livePushesWaitForTheBacklogAndDuplicatesAreDropped() {
    RecordingConnection c = new RecordingConnection();
    Recorder r = new Recorder();
    Session s = new Session(c, Runnable::run, r);
    assertThat(s.deliver(message(1))).as("anonymous sessions take no pushes").isFalse();
    s.startSync(7, "bob", "bob", 2);
    assertThat(s.deliver(message(2))).isTrue(); // also in the backlog
    assertThat(s.deliver(message(3))).isTrue(); // live only
    assertThat(c.written).isEmpty();
    s.writeBacklog(message(1));
    s.writeBacklog(message(2));
    assertThat(s.finishSync(Set.of(message(1).mark(), message(2).mark()))).isTrue();
    assertThat(c.written)
        .extracting(m -> ((MessagePush) m).message())
        .containsExactly("m1", "m2", "m3");
    assertThat(r.marks).extracting(Push.DeliveryMark::id).containsExactly(1L, 2L, 3L);
    s.deliver(message(4));
    assertThat(c.written).hasSize(4);
  }

  @Test
  void finishingAnEndedSyncIsRefused() {
    Session s = new Session(new RecordingConnection(), Runnable::run, new Recorder());
    s.startSync(7, "bob", "bob", 2);
    assertThat(s.isActive()).isTrue();
    s.end();
    assertThat(s.isActive()).isFalse();
    assertThat(s.finishSync(Set.of())).isFalse();
  }

  @Test
  void floodDuringSyncClosesInsteadOfBufferingWithoutLimit() {
    RecordingConnection c = new RecordingConnection();
    Session s = new Session(c, Runnable::run, new Recorder());
    s.startSync(7, "bob", "bob", 2);
    for (int i = 0; i < Session.MAX_BUFFERED; i++) {
      assertThat(s.deliver(message(i))).isTrue();
    }
    assertThat(s.deliver(message(Session.MAX_BUFFERED))).isFalse();
    assertThat(s.isActive()).isFalse();
    assertThat(c.written).isEmpty();
  }

  @Test
  void endedSessionRefusesPushes() {
    RecordingConnection c = new RecordingConnection();
    Session s = new Session(c, Runnable::run, new Recorder());
    s.startSync(7, "bob", "bob", 2);
    assertThat(s.finishSync(Set.of())).isTrue();
    assertThat(s.end()).isTrue();
    assertThat(s.deliver(message(1))).isFalse();
    assertThat(s.end()).isFalse();
    assertThat(c.written).isEmpty();
  }
}
