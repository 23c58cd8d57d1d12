package imps.server;

import static imps.server.ImpsServerExtension.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.LocationFix;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyRequest;
import imps.testsupport.FrameClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review's attacks (C1, C2, C5, H3, H5, H6, L1) one after the other against a server process
 * with the launcher's JVM options and the default limits (only the password cost and the
 * registration limits are the test settings): the server stays up, a fresh login is answered within
 * a second, and every acknowledged message arrives.
 */
class AttackIT {
  private static final List<String> LAUNCHER_JVM =
      List.of("-Xmx640m", "-XX:+ExitOnOutOfMemoryError");

  /** The default rate limits (the test settings relax them). */
  private static final List<String> DEFAULT_LIMITS =
      List.of(
          "limit.requests=200/1s",
          "limit.messages=600/10s",
          "limit.clips=30/1m",
          "limit.status=30/1m",
          "limit.friend-requests=50/1h",
          "limit.friend-lists=30/1m",
          "limit.fixes=3600/1h",
          "limit.unknown-names=20/10m",
          "limit.logins=30/1m");

  @TempDir Path data;

  @Test
  void theServerStaysUpAnsweringAndLosesNothingAcknowledged() throws Exception {
    ServerProcess server = ServerProcess.start(data, LAUNCHER_JVM, DEFAULT_LIMITS);
    try {
      int port = server.port();
      ServerFixture.registerOn(port, "attacker", "victim", "bystander", "slow1", "slow2");
      FrameClient attacker = ServerFixture.loginOn(port, "attacker");
      FrameClient victim = ServerFixture.loginOn(port, "victim");
      ServerFixture.befriend(attacker, "attacker", victim, "victim");
      List<FrameClient> slow = new ArrayList<>();
      for (String s : List.of("slow1", "slow2")) {
        FrameClient c = ServerFixture.loginOn(port, s);
        ServerFixture.befriend(attacker, "attacker", c, s);
        slow.add(c);
      }
      victim.close();

      // C1: heartbeats of 16,381 empty fixes, pipelined on two sockets that never read.
      List<Socket> raw = new ArrayList<>();
      byte[] bigHeartbeat = bigHeartbeat();
      for (int i = 0; i < 2; i++) {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port));
        raw.add(s);
        s.getOutputStream().write(FrameClient.encode(new LoginRequest("bystander", PASSWORD)));
        try {
          for (int k = 0; k < 256; k++) {
            s.getOutputStream().write(bigHeartbeat);
          }
        } catch (IOException closed) {
          // closed for too many violations: fine
        }
      }

      // H5: a message flood to the (offline) victim; count the acknowledged ones.
      int acked = 0;
      for (int i = 0; i < 2000; i++) {
        attacker.send(new SendMessage("attacker", "victim", "flood " + i));
      }
      for (int i = 0; i < 2000; i++) {
        ErrorResponse r =
            attacker.awaitMatching(
                ErrorResponse.class, x -> x.cmd() == CommandType.C_SEND_MSG.value());
        if (r.code() == ErrorCode.SUCCESS) {
          acked++;
        } else {
          assertThat(r.code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
        }
      }
      // The connection's request rate and the user's message rate refuse the rest.
      assertThat(acked).as("messages acknowledged").isBetween(200, 1999);

      // H5: status toggling, friend lists and heartbeats full of fixes, as fast as possible.
      List<LocationFix> fixes = new ArrayList<>();
      for (int i = 0; i < 256; i++) {
        fixes.add(new LocationFix("0", "0,0"));
      }
      for (int i = 0; i < 200; i++) {
        attacker.send(
            new StatusNotifyRequest(
                "attacker",
                i % 2 == 0 ? imps.protocol.Presence.INVISIBLE : imps.protocol.Presence.ONLINE));
        attacker.send(new FriendListRequest("attacker"));
        attacker.send(new HeartbeatRequest("attacker", fixes));
      }

      // H6 and C2: clips to two friends who never read (the clip limit stops most of them).
      for (FrameClient s : slow) {
        s.socket().setReceiveBufferSize(4096);
      }
      byte[] clip = new byte[60 * 1024];
      for (int i = 0; i < 200; i++) {
        attacker.send(new AudioRequest(i % 2 == 0 ? "slow1" : "slow2", ClipBytes.copyOf(clip), ""));
      }

      // L1: many connections that never log in, from one address.
      List<Socket> idle = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        try {
          Socket s = new Socket();
          s.bind(new InetSocketAddress("127.0.0.9", 0));
          s.connect(new InetSocketAddress("127.0.0.1", port));
          idle.add(s);
        } catch (IOException refused) {
          break;
        }
      }

      assertThat(server.isAlive()).as("server still running").isTrue();
      // A fresh login is answered within a second.
      try (FrameClient fresh = FrameClient.connect(port)) {
        long t0 = System.nanoTime();
        fresh.send(new LoginRequest("bystander", PASSWORD));
        fresh.expect(LoginResponse.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
      }
      // Everything acknowledged arrives, once each.
      try (FrameClient v = ServerFixture.loginOn(port, "victim")) {
        Set<String> got = new HashSet<>();
        for (int i = 0; i < acked; i++) {
          got.add(v.expect(MessagePush.class).message());
        }
        assertThat(got).hasSize(acked);
      }
      for (Socket s : raw) {
        s.close();
      }
      for (Socket s : idle) {
        s.close();
      }
      attacker.close();
      for (FrameClient s : slow) {
        s.close();
      }
      assertThat(server.isAlive()).isTrue();
    } finally {
      int status = server.exitStatus(Duration.ZERO);
      server.kill9();
      assertThat(status).as("exit status (3 is an OutOfMemoryError)").isEqualTo(-1);
    }
  }

  /** The review's C1 frame: C_HEARTBEAT_REQ of 16,381 fixes of two empty strings each. */
  private static byte[] bigHeartbeat() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int[] head = {0x4F, 0x4B, 0xFF, 0xFC, 0x03, 0x00, 0x01, 0x61, 0x00, 0x00, 0x3F, 0xFD};
    for (int x : head) {
      b.write(x);
    }
    b.writeBytes(new byte[16_381 * 4]);
    return b.toByteArray();
  }
}
