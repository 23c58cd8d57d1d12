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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review finding C3, the review's test: a login backlog page used to hold 500 clips with their
 * bodies (about 30 MB) while it was written at the client's pace, so about 20 logins at once of
 * users with full backlogs exhausted the launcher's 640 MiB heap, and after the restart the same
 * logins crashed it again. Pages are now bounded in bytes of bodies (1 MiB). A server process with
 * the launcher's JVM options; 30 users each with 500 clips of 60 KiB waiting log in at the same
 * moment on sockets with a 4 KiB receive window that never read, twice. The server stays up, a
 * fresh login is answered within a second, and every clip arrives at the users' next login.
 */
class BacklogMemoryIT {
  private static final List<String> LAUNCHER_JVM =
      List.of("-Xmx640m", "-XX:+ExitOnOutOfMemoryError");
  private static final int USERS = 30;
  private static final int CLIPS = 500;
  private static final int CLIP = 60 * 1024;
  private static final int BATCH = 100;

  @TempDir Path data;

  @Test
  void manyLoginsWithFullBacklogsAtOnceLeaveTheServerUpAndLoseNothing() throws Exception {
    ServerProcess server = ServerProcess.start(data, LAUNCHER_JVM, List.of());
    try {
      int port = server.port();
      String sender = "c3sender";
      ServerFixture.registerOn(port, sender, "c3fresh");
      List<String> victims = new ArrayList<>();
      try (FrameClient cs = ServerFixture.loginOn(port, sender)) {
        for (int v = 0; v < USERS; v++) {
          String name = "c3victim" + v;
          victims.add(name);
          ServerFixture.registerOn(port, name);
          try (FrameClient cv = ServerFixture.loginOn(port, name)) {
            ServerFixture.befriend(cs, sender, cv, name);
          }
          cs.awaitMatching(
              StatusNotifyPush.class,
              p -> p.userName().equals(name) && p.status() == Presence.OFFLINE);
        }
        // 15,000 clips of 60 KiB (900 MB) wait for the 30 users, who are offline.
        byte[] clip = new byte[CLIP];
        for (String v : victims) {
          for (int i = 0; i < CLIPS; i += BATCH) {
            for (int k = i; k < i + BATCH; k++) {
              ByteBuffer.wrap(clip).putInt(0, k);
              cs.send(new AudioRequest(v, ClipBytes.copyOf(clip), ""));
            }
            for (int k = i; k < i + BATCH; k++) {
              cs.awaitMatching(
                  ErrorResponse.class,
                  r -> r.equals(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_AUDIO_REQ)));
            }
          }
        }
      }

      for (int wave = 0; wave < 2; wave++) {
        List<Socket> stalled = new ArrayList<>();
        for (String v : victims) {
          Socket s = new Socket();
          s.setReceiveBufferSize(4096);
          s.connect(new InetSocketAddress("127.0.0.1", port));
          stalled.add(s);
        }
        byte[][] logins = new byte[USERS][];
        for (int i = 0; i < USERS; i++) {
          logins[i] = FrameClient.encode(new LoginRequest(victims.get(i), PASSWORD));
        }
        for (int i = 0; i < USERS; i++) {
          stalled.get(i).getOutputStream().write(logins[i]);
        }
        // The review expected the process to exit within about 10 s.
        for (int second = 0; second < 10; second++) {
          Thread.sleep(1000);
          assertThat(server.isAlive()).as("wave %d, after %d s", wave, second + 1).isTrue();
        }
        assertFreshLoginWithinASecond(port);
        for (Socket s : stalled) {
          s.close();
        }
      }

      // Nothing written to the stalled sockets counts as delivered: all 500 come, in order.
      Map<String, String> deliveredBefore = new HashMap<>();
      for (String v : victims) {
        deliveredBefore.put(v, ranges(delivered(rows(v))));
      }
      for (String v : victims) {
        try (FrameClient cv = ServerFixture.loginOn(port, v)) {
          List<Integer> received = new ArrayList<>();
          for (int i = 0; i < CLIPS; i++) {
            int k = index(cv.expect(AudioPush.class));
            received.add(k);
            if (k != i) {
              // Lost, out of order or twice? What follows and the stored rows tell (the server's
              // output is saved too).
              List<Integer> next = following(cv);
              received.addAll(next);
              assertThat(k)
                  .as(
                      "%s clip %d, followed by %s%n%s",
                      v, i, next, storedReport(v, i, received, deliveredBefore.get(v)))
                  .isEqualTo(i);
            }
          }
        }
      }
      assertThat(server.isAlive()).isTrue();
    } catch (Throwable t) {
      t.addSuppressed(
          new AssertionError("server output in " + server.saveOutput("BacklogMemoryIT")));
      throw t;
    } finally {
      int status = server.exitStatus(Duration.ZERO);
      server.kill9();
      assertThat(status).as("exit status (3 is an OutOfMemoryError)").isEqualTo(-1);
    }
  }

  /** One stored message of a victim, as the server's database has it. */
  private record Row(long id, long seq, int delivered, long createdAt, long bytes, int clip) {
    @Override
    public String toString() {
      return String.format(
          "clip %3d: seq %d, id %d, delivered %d, created_at %d, %d bytes",
          clip, seq, id, delivered, createdAt, bytes);
    }
  }

  /**
   * {@code victim}'s messages in the server's database, in sequence order, each with the index its
   * clip carries; read on a connection of the test's own (the server keeps writing meanwhile).
   */
  private List<Row> rows(String victim) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("imps.db"));
        PreparedStatement q =
            db.prepareStatement(
                "SELECT m.id, m.seq, m.delivered, m.created_at, m.body_bytes,"
                    + " substr(m.body_audio, 1, 4) FROM messages m"
                    + " JOIN users u ON u.id = m.recipient_id WHERE u.name = ?"
                    + " ORDER BY m.seq, m.id")) {
      q.setString(1, victim);
      List<Row> rows = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          byte[] head = rs.getBytes(6);
          int clip = head != null && head.length == 4 ? ByteBuffer.wrap(head).getInt() : -1;
          rows.add(
              new Row(
                  rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getLong(5), clip));
        }
      }
      return rows;
    }
  }

  /**
   * What the database says of a clip out of place: whether each clip was stored once, in order
   * (sequence numbers follow the clips' indexes), which were marked delivered before the final
   * logins and which are now, and the rows around the one that was due, next to what arrived.
   */
  private String storedReport(
      String victim, int due, List<Integer> received, String deliveredBefore) {
    StringBuilder out = new StringBuilder();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("imps.db"));
        PreparedStatement q =
            db.prepareStatement("SELECT id, last_seq, acked_seq FROM users WHERE name = ?")) {
      q.setString(1, victim);
      try (ResultSet rs = q.executeQuery()) {
        if (rs.next()) {
          out.append(
              String.format(
                  "user %s: id %d, last_seq %d (flushed), acked_seq %d%n",
                  victim, rs.getLong(1), rs.getLong(2), rs.getLong(3)));
        }
      }
      List<Row> rows = rows(victim);
      Map<Integer, Integer> times = new TreeMap<>();
      for (Row r : rows) {
        times.merge(r.clip(), 1, Integer::sum);
      }
      List<Integer> missing = new ArrayList<>();
      for (int i = 0; i < CLIPS; i++) {
        if (!times.containsKey(i)) {
          missing.add(i);
        }
      }
      List<Integer> twice =
          times.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
      List<String> inversions = new ArrayList<>();
      for (int j = 1; j < rows.size(); j++) {
        Row a = rows.get(j - 1);
        Row b = rows.get(j);
        if (b.clip() <= a.clip() || b.seq() == a.seq()) {
          inversions.add(
              String.format(
                  "seq %d clip %d, seq %d clip %d", a.seq(), a.clip(), b.seq(), b.clip()));
        }
      }
      out.append(
          String.format(
              "%d rows; clips not stored %s; stored twice %s; out of order by seq %s%n",
              rows.size(), missing, twice, inversions));
      out.append(String.format("marked delivered before the final logins: %s%n", deliveredBefore));
      out.append(String.format("marked delivered now: %s%n", ranges(delivered(rows))));
      out.append(
          String.format(
              "received from clip %d on: %s%n",
              Math.max(0, due - 3), received.subList(Math.max(0, due - 3), received.size())));
      out.append("rows around it (by seq):\n");
      for (int j = 0; j < rows.size(); j++) {
        Row r = rows.get(j);
        if (Math.abs(j - due) <= 5 || Math.abs(r.clip() - due) <= 5) {
          out.append("  ").append(r).append('\n');
        }
      }
    } catch (SQLException | RuntimeException e) {
      out.append("could not read the database: ").append(e);
    }
    return out.toString();
  }

  /** The clips of {@code rows} marked delivered, in order. */
  private static List<Integer> delivered(List<Row> rows) {
    return rows.stream().filter(r -> r.delivered() != 0).map(Row::clip).sorted().toList();
  }

  /** Sorted numbers as ranges: [0-469, 471]. */
  private static String ranges(List<Integer> sorted) {
    List<String> out = new ArrayList<>();
    for (int j = 0; j < sorted.size(); ) {
      int from = sorted.get(j);
      int to = from;
      while (++j < sorted.size() && sorted.get(j) == to + 1) {
        to++;
      }
      out.add(from == to ? Integer.toString(from) : from + "-" + to);
    }
    return out.toString();
  }

  private static int index(AudioPush p) {
    return p.data().asReadOnlyBuffer().getInt(0);
  }

  /** The indexes of up to 40 more clips, as far as they come. */
  private static List<Integer> following(FrameClient cv) {
    List<Integer> next = new ArrayList<>();
    try {
      for (int j = 0; j < 40; j++) {
        next.add(index(cv.expect(AudioPush.class)));
      }
    } catch (IOException | AssertionError e) {
      // as far as they came
    }
    return next;
  }

  private static void assertFreshLoginWithinASecond(int port) throws IOException {
    try (FrameClient fresh = FrameClient.connect(port)) {
      long t0 = System.nanoTime();
      fresh.send(new LoginRequest("c3fresh", PASSWORD));
      fresh.expect(LoginResponse.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    }
  }
}
