package imps.server;

import static imps.server.ImpsServerExtension.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Presence;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.StatusNotifyPush;
import imps.testsupport.FrameClient;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review finding C2, the review's test: pushes to a session whose login backlog is still being
 * written used to be held by count (10,000), not bytes, so one session could hold about 615 MB of
 * clips and two exhausted the launcher's heap. Now a session holds stored items up to a byte budget
 * and leaves the rest to the store. A server process with the launcher's JVM options (the
 * undelivered quota raised, so that it is not what stops the attack); two victims with a backlog of
 * 120 clips (more than the sockets take unread) log in on sockets with a 4 KiB receive window that
 * never read, and four friends send each of them 10,000 clips of 60 KiB (1.2 GB together), waiting
 * for each acknowledgement. The server stays up, a fresh login is answered within a second, and
 * every acknowledged clip arrives at the victims' next login.
 */
class HeldPushesMemoryIT {
  private static final List<String> LAUNCHER_JVM =
      List.of("-Xmx640m", "-XX:+ExitOnOutOfMemoryError");
  private static final int CLIP = 60 * 1024;
  private static final int BACKLOG = 120;
  private static final int SENDERS = 4;
  private static final int PER_SENDER_AND_VICTIM = 2500;
  private static final int BATCH = 50;

  @TempDir Path data;

  @Test
  void clipsToSessionsStuckInTheirBacklogLeaveTheServerUpAndLoseNothing() throws Exception {
    ServerProcess server =
        ServerProcess.start(
            data,
            LAUNCHER_JVM,
            List.of("quota.undelivered-bytes=2147483647", "quota.undelivered-items=100000000"));
    ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
    try {
      int port = server.port();
      List<String> victims = List.of("c2victim0", "c2victim1");
      List<String> senders = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        senders.add("c2sender" + i);
      }
      ServerFixture.registerOn(port, "c2fresh");
      for (String v : victims) {
        ServerFixture.registerOn(port, v);
      }
      List<FrameClient> cs = new ArrayList<>();
      for (String s : senders) {
        ServerFixture.registerOn(port, s);
        cs.add(ServerFixture.loginOn(port, s));
      }
      for (String v : victims) {
        try (FrameClient cv = ServerFixture.loginOn(port, v)) {
          for (int i = 0; i < SENDERS; i++) {
            ServerFixture.befriend(cs.get(i), senders.get(i), cv, v);
          }
        }
        for (int i = 0; i < SENDERS; i++) {
          String name = v;
          cs.get(i)
              .awaitMatching(
                  StatusNotifyPush.class,
                  p -> p.userName().equals(name) && p.status() == Presence.OFFLINE);
        }
      }
      // A backlog of 120 clips (7.4 MB) for each victim, more than its connection can take unread
      // (the server's kernel alone takes up to 4 MiB, tcp_wmem), so that it stays in its backlog.
      for (String v : victims) {
        for (int k = 0; k < BACKLOG; k++) {
          sendAcked(cs.get(0), v, clip(0, k));
        }
      }
      List<Socket> stalled = new ArrayList<>();
      for (String v : victims) {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.getOutputStream().write(FrameClient.encode(new LoginRequest(v, PASSWORD)));
        stalled.add(s);
      }
      Thread.sleep(1000);

      // Four senders, 2,500 clips to each victim each, in parallel, while the victims sync.
      AtomicIntegerArray acked = new AtomicIntegerArray(victims.size());
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        int sender = i;
        work.add(
            pool.submit(
                () -> {
                  FrameClient c = cs.get(sender);
                  for (int k = 0; k < PER_SENDER_AND_VICTIM; k += BATCH) {
                    for (int v = 0; v < victims.size(); v++) {
                      for (int b = k; b < k + BATCH; b++) {
                        c.send(
                            new AudioRequest(
                                victims.get(v), ClipBytes.copyOf(clip(sender + 1, b)), ""));
                      }
                      for (int b = k; b < k + BATCH; b++) {
                        ErrorResponse r =
                            c.awaitMatching(
                                ErrorResponse.class,
                                x -> x.cmd() == CommandType.C_AUDIO_REQ.value());
                        assertThat(r.code()).isEqualTo(ErrorCode.SUCCESS);
                        acked.incrementAndGet(v);
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      assertThat(server.isAlive()).as("server still running").isTrue();
      try (FrameClient fresh = FrameClient.connect(port)) {
        long t0 = System.nanoTime();
        fresh.send(new LoginRequest("c2fresh", PASSWORD));
        fresh.expect(LoginResponse.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
      }
      for (Socket s : stalled) {
        s.close();
      }
      for (FrameClient c : cs) {
        c.close();
      }

      // Every acknowledged clip arrives, once each.
      for (int v = 0; v < victims.size(); v++) {
        int expected = BACKLOG + acked.get(v);
        Set<Integer> got = new HashSet<>();
        try (FrameClient cv = ServerFixture.loginOn(port, victims.get(v))) {
          for (int i = 0; i < expected; i++) {
            got.add(
                cv.awaitMatching(AudioPush.class, x -> true).data().asReadOnlyBuffer().getInt(0));
          }
        }
        assertThat(got).as(victims.get(v)).hasSize(expected);
      }
      assertThat(server.isAlive()).isTrue();
    } finally {
      pool.shutdownNow();
      int status = server.exitStatus(Duration.ZERO);
      server.kill9();
      assertThat(status).as("exit status (3 is an OutOfMemoryError)").isEqualTo(-1);
    }
  }

  /** A clip whose first four bytes tell who sent it and which it is. */
  private static byte[] clip(int sender, int index) {
    byte[] clip = new byte[CLIP];
    ByteBuffer.wrap(clip).putInt(0, sender * 100_000 + index);
    return clip;
  }

  private static void sendAcked(FrameClient c, String to, byte[] clip) throws Exception {
    c.send(new AudioRequest(to, ClipBytes.copyOf(clip), ""));
    c.awaitMatching(
        ErrorResponse.class,
        r -> r.equals(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_AUDIO_REQ)));
  }
}
