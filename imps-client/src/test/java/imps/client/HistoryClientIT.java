package imps.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.message.ClipBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ImpsClient#history}, {@link ImpsClient#liveLocations} and {@link ImpsClient#track} against
 * a real server over TCP.
 */
class HistoryClientIT {
  @RegisterExtension static final ClientsOnServer env = new ClientsOnServer();
  static final String PW = ClientsOnServer.PW;

  ImpsClient client(Recorder rec, boolean legacy) {
    return env.client(rec, legacy);
  }

  @Test
  void pagesTheConversationBackAndForward() throws Exception {
    String a = env.name("hsa");
    String b = env.name("hsb");
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient ca = client(ra, false);
    ImpsClient cb = client(rb, false);
    ClientsOnServer.befriend(ca, ra, cb, rb, a, b);

    ca.sendMessage(b, "one").join();
    cb.sendVoice(a, new byte[] {4, 5}).join();
    ca.sendMessage(b, "three").join();

    ConversationPage newest = ca.history(b, 2).join();
    assertThat(newest.peer()).isEqualTo(b);
    assertThat(newest.more()).isTrue();
    assertThat(newest.items()).extracting(HistoryItem::text).containsExactly("three", null);
    assertThat(newest.items().get(1).clip()).isEqualTo(ClipBytes.copyOf(new byte[] {4, 5}));
    assertThat(newest.items()).extracting(HistoryItem::outgoing).containsExactly(true, false);
    ConversationPage rest = ca.history(b, newest.lastId(), false, 2).join();
    assertThat(rest.more()).isFalse();
    assertThat(rest.items()).extracting(HistoryItem::text).containsExactly("one");

    ConversationPage forward = cb.history(a, rest.lastId(), true, 10).join();
    assertThat(forward.items()).extracting(HistoryItem::outgoing).containsExactly(true, false);
    assertThat(forward.items().get(1).text()).isEqualTo("three");

    ImpsClient legacy = client(new Recorder(), true);
    legacy.login(a, PW).join();
    assertThatThrownBy(() -> legacy.history(b, 10).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ImpsRefusedException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_PERMITTED));
  }

  @Test
  void friendsLivePositionsReachTheListenerAfterAskingForThem() throws Exception {
    String a = env.name("lsa");
    String b = env.name("lsb");
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient ca = client(ra, false);
    ImpsClient cb = client(rb, false);
    ClientsOnServer.befriend(ca, ra, cb, rb, a, b);

    cb.liveLocations(true).join();
    ca.heartbeat(
            List.of(new imps.protocol.message.LocationFix("2026-11-28 12:00:00", "23.13,113.26")))
        .join();
    Recorder.Moved moved = rb.await(Recorder.Moved.class);
    assertThat(moved)
        .isEqualTo(new Recorder.Moved(a, new Position(23.13, 113.26), "2026-11-28 12:00:00"));

    ImpsClient legacy = client(new Recorder(), true);
    legacy.login(a, PW).join();
    assertThatThrownBy(() -> legacy.liveLocations(true).join())
        .cause()
        .isInstanceOfSatisfying(
            ImpsRefusedException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_PERMITTED));
  }

  @Test
  void aFriendsTrackComesThinnedWithoutTheInvisibleTime() throws Exception {
    String a = env.name("tka");
    String b = env.name("tkb");
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient ca = client(ra, false);
    ImpsClient cb = client(rb, false);
    ClientsOnServer.befriend(ca, ra, cb, rb, a, b);

    java.time.Instant t0 = java.time.Instant.parse("2026-11-28T12:00:00Z");
    List<imps.protocol.message.LocationFix> fixes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      fixes.add(
          new imps.protocol.message.LocationFix(t0.plusSeconds(i).toString(), "23.13,113." + i));
    }
    ca.heartbeat(fixes).join();
    ca.setStatus(imps.protocol.Presence.INVISIBLE).join();
    ca.heartbeat(
            List.of(new imps.protocol.message.LocationFix(t0.plusSeconds(20).toString(), "1,1")))
        .join();

    Track seen = cb.track(a, t0, t0.plusSeconds(60), 3).join();
    assertThat(seen.user()).isEqualTo(a);
    assertThat(seen.total()).isEqualTo(10);
    assertThat(seen.thinned()).isTrue();
    assertThat(seen.points())
        .containsExactly(
            new TrackPoint(t0, new Position(23.13, 113.0)),
            new TrackPoint(t0.plusSeconds(5), new Position(23.13, 113.5)),
            new TrackPoint(t0.plusSeconds(9), new Position(23.13, 113.9)));
    Track own = ca.track(a, t0, t0.plusSeconds(60), 0).join();
    assertThat(own.total()).isEqualTo(11);
    assertThat(own.points().get(10))
        .isEqualTo(new TrackPoint(t0.plusSeconds(20), new Position(1, 1)));

    ImpsClient stranger = client(new Recorder(), false);
    String c = env.name("tkc");
    stranger.register(c, PW, Gender.UNSPECIFIED, "").join();
    stranger.login(c, PW).join();
    assertThatThrownBy(() -> stranger.track(a, t0, t0.plusSeconds(60), 0).join())
        .cause()
        .isInstanceOfSatisfying(
            ImpsRefusedException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_FRIENDS));
  }
}
