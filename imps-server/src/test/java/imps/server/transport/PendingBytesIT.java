package imps.server.transport;

import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.LocationFix;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.server.config.ServerConfig.Key;
import imps.server.store.DelegatingStore;
import imps.server.store.Fix;
import imps.server.store.LocationStore;
import imps.server.store.Store;
import imps.server.store.TrackSlice;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code max-pending-bytes} (issue 11, review findings C1 and L1): requests queued on one
 * connection are budgeted in bytes; past the budget the server stops reading from the connection
 * (and stops decoding what it has read) until the queue is down to half. A client pipelines 18 MB
 * of clips behind a request the store holds up (a heartbeat whose fix is being recorded): the
 * server takes no more than the budget plus what the sockets buffer, another user is answered at
 * once, and once the head request ends every pipelined clip is read, answered in order and
 * delivered.
 */
class PendingBytesIT {
  private static final int BUDGET = 256 * 1024;
  private static final int CLIP = 60 * 1024;
  private static final int CLIPS = 300; // 18 MB
  // Friend lists a user may ask for per hour here: fewer than max-pending-requests (256).
  private static final int FRIEND_LISTS = 100;

  /** Closed while a location fix may be recorded; replaced per test. */
  private static volatile CountDownLatch recording = new CountDownLatch(0);

  @RegisterExtension
  static final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
              b ->
                  b.set(Key.MAX_PENDING_BYTES, String.valueOf(BUDGET))
                      .set(Key.LIMIT_FRIEND_LISTS, FRIEND_LISTS + "/1h"))
          .withStore(HeldLocations::new);

  /** The real store, whose location fixes wait for {@link #recording} before they are recorded. */
  private static final class HeldLocations extends DelegatingStore {
    HeldLocations(Store real) {
      super(real);
    }

    @Override
    public LocationStore locations() {
      LocationStore l = real.locations();
      return new LocationStore() {
        @Override
        public void record(long userId, List<Fix> fixes, boolean share, Instant recordedAt) {
          try {
            recording.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          l.record(userId, fixes, share, recordedAt);
        }

        @Override
        public List<Fix> history(long userId) {
          return l.history(userId);
        }

        @Override
        public TrackSlice track(
            long userId,
            long fromMillis,
            long toMillis,
            Instant recordedSince,
            boolean withHidden,
            int maxPoints) {
          return l.track(userId, fromMillis, toMillis, recordedSince, withHidden, maxPoints);
        }

        @Override
        public int purgeRecordedBefore(Instant cutoff) {
          return l.purgeRecordedBefore(cutoff);
        }
      };
    }
  }

  @Test
  void pipeliningPastTheBudgetPausesReadingAndEveryRequestIsAnsweredAfter() throws Exception {
    LoggedInFriends f = server.friends("pba", "pbb");
    f.cb().close(); // the clips wait for its next login (stored, out of the way of output limits)
    String other = uniqueName("pbc");
    FrameClient bystander = server.newUser(other);
    CountDownLatch hold = new CountDownLatch(1);
    recording = hold;

    FrameClient a = f.ca();
    a.socket().setSendBufferSize(8192);
    a.send(new HeartbeatRequest(f.a(), List.of(new LocationFix("0", "0,0"))));
    AtomicLong written = new AtomicLong();
    OutputStream out = a.socket().getOutputStream();
    Thread writer =
        new Thread(
            () -> {
              byte[] clip = new byte[CLIP];
              try {
                for (int i = 0; i < CLIPS; i++) {
                  ByteBuffer.wrap(clip).putInt(0, i);
                  byte[] frame =
                      FrameClient.encode(new AudioRequest(f.b(), ClipBytes.copyOf(clip), ""));
                  out.write(frame);
                  written.addAndGet(frame.length);
                }
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            "pipelining-client");
    writer.setDaemon(true);
    writer.start();

    // The writes stall: the server stopped reading at the budget.
    long last = -1;
    for (int i = 0; i < 40 && written.get() != last; i++) {
      last = written.get();
      Thread.sleep(250);
    }
    long taken = written.get();
    assertThat(writer.isAlive()).as("the client is still writing (blocked)").isTrue();
    assertThat(taken)
        .as("bytes the client could write while the head request was held")
        .isLessThan(BUDGET + 4L * 1024 * 1024)
        .isLessThan((long) CLIPS * CLIP / 3);

    // Another user is answered at once meanwhile.
    long t0 = System.nanoTime();
    bystander.send(new HeartbeatRequest(other, List.of()));
    bystander.expect(HeartbeatResponse.class);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));

    // Once the head request ends, every pipelined clip is read, answered in order and delivered.
    hold.countDown();
    a.awaitMatching(HeartbeatResponse.class, r -> true);
    for (int i = 0; i < CLIPS; i++) {
      a.awaitMatching(
          ErrorResponse.class,
          r -> r.equals(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_AUDIO_REQ)));
    }
    writer.join(10_000);
    assertThat(writer.isAlive()).isFalse();
    try (FrameClient b = server.login(f.b())) {
      for (int i = 0; i < CLIPS; i++) {
        AudioPush p = b.awaitMatching(AudioPush.class, x -> true);
        assertThat(p.data().asReadOnlyBuffer().getInt(0)).isEqualTo(i);
      }
    }
    System.out.println("PendingBytesIT: the client wrote " + taken + " bytes before it stalled");
  }

  /**
   * The review's in-process C1 test: behind a heartbeat the store holds up, 256 C_HEARTBEAT_REQ
   * frames of 16,381 empty fixes each (16 MB on the wire, about 320 MB once decoded when the queue
   * was bounded by count) grow the server's heap by less than 16 MB; each gets error 10 in turn
   * once the head request ends (decision 43), and the connection stays usable.
   */
  @Test
  void theReviewsHeartbeatFramesBehindAHeldRequestHoldLittleHeap() throws Exception {
    LoggedInFriends f = server.friends("pha", "phb");
    CountDownLatch hold = new CountDownLatch(1);
    recording = hold;
    FrameClient a = f.ca();
    long before = usedHeapAfterGc();
    a.send(new HeartbeatRequest(f.a(), List.of(new LocationFix("0", "0,0"))));
    byte[] big = bigHeartbeat();
    OutputStream out = a.socket().getOutputStream();
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 256; i++) {
                  out.write(big);
                }
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            "heartbeat-flood");
    writer.setDaemon(true);
    writer.start();
    Thread.sleep(2000);
    long grown = usedHeapAfterGc() - before;
    assertThat(grown).as("heap grown while the frames wait").isLessThan(16L << 20);

    hold.countDown();
    a.awaitMatching(HeartbeatResponse.class, r -> true);
    for (int i = 0; i < 256; i++) {
      a.expectError(10, CommandType.C_HEARTBEAT_REQ);
    }
    writer.join(10_000);
    a.send(new HeartbeatRequest(f.a(), List.of()));
    a.expect(HeartbeatResponse.class);
  }

  /**
   * Review finding L1: 8,000 friend-list requests in one write, then a close. Reading stops at the
   * budget and the requests still waiting when the connection closes are dropped, never run: the
   * user's friend-list allowance (100 an hour here, fewer than max-pending-requests) is untouched.
   */
  @Test
  void requestsStillWaitingWhenTheConnectionClosesAreNotRun() throws Exception {
    LoggedInFriends f = server.friends("pla", "plb");
    CountDownLatch hold = new CountDownLatch(1);
    recording = hold;
    FrameClient a = f.ca();
    a.send(new HeartbeatRequest(f.a(), List.of(new LocationFix("0", "0,0"))));
    byte[] one = FrameClient.encode(new FriendListRequest(f.a()));
    java.io.ByteArrayOutputStream many = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 8000; i++) {
      many.writeBytes(one);
    }
    a.sendRaw(many.toByteArray());
    Thread.sleep(500);
    a.close();
    Thread.sleep(500);
    hold.countDown();
    try (FrameClient again = server.login(f.a())) {
      again.send(new FriendListRequest(f.a()));
      Object reply;
      do {
        reply = again.next();
      } while (!(reply instanceof FriendListResponse)
          && !(reply instanceof ErrorResponse e
              && e.cmd() == CommandType.C_FRIENDLIST_REFURBISH_REQ.value()));
      assertThat(reply).as("the reply to a friend list").isInstanceOf(FriendListResponse.class);
    }
  }

  /** The review's C1 frame: C_HEARTBEAT_REQ of 16,381 fixes of two empty strings each. */
  private static byte[] bigHeartbeat() {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    int[] head = {0x4F, 0x4B, 0xFF, 0xFC, 0x03, 0x00, 0x01, 0x61, 0x00, 0x00, 0x3F, 0xFD};
    for (int x : head) {
      b.write(x);
    }
    b.writeBytes(new byte[16_381 * 4]);
    return b.toByteArray();
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
