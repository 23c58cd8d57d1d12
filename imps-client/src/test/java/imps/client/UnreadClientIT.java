package imps.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Gender;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ImpsClient#unread} and {@link ImpsClient#markRead} against a real server over TCP. */
class UnreadClientIT {
  @RegisterExtension static final ClientsOnServer env = new ClientsOnServer();
  static final String PW = ClientsOnServer.PW;

  ImpsClient client(Recorder rec, boolean legacy) {
    return env.client(rec, legacy);
  }

  @Test
  void countsWhatWasNotMarkedReadUntilMarkReadCoversIt() throws Exception {
    String a = env.name("una");
    String b = env.name("unb");
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient ca = client(ra, false);
    ImpsClient cb = client(rb, false);
    ClientsOnServer.befriend(ca, ra, cb, rb, a, b);
    assertThat(cb.extensions()).contains(Feature.UNREAD, Feature.RECEIPTS);

    ca.sendMessage(b, "one").join();
    ca.sendVoice(b, new byte[] {1, 2}).join();
    ca.sendMessage(b, "three").join();
    ReceivedMessage first = rb.await(ReceivedMessage.class);
    rb.await(ReceivedClip.class);
    ReceivedMessage third = rb.await(ReceivedMessage.class);

    // Delivered is not read: all three count.
    UnreadCounts counts = cb.unread().join();
    assertThat(counts.byFriend()).isEqualTo(Map.of(a, 3));
    assertThat(counts.count(a.toUpperCase())).isEqualTo(3);
    assertThat(counts.count("nobody")).isZero();
    assertThat(counts.total()).isEqualTo(3);
    assertThat(counts.asOfSeq()).isGreaterThanOrEqualTo(third.seq());
    assertThat(ca.unread().join().byFriend()).isEmpty();

    cb.markRead(first).join();
    assertThat(cb.unread().join().byFriend()).isEqualTo(Map.of(a, 2));

    // Up to AsOfSeq: everything counted is read.
    cb.markRead(a, counts.asOfSeq()).join();
    UnreadCounts none = cb.unread().join();
    assertThat(none.byFriend()).isEmpty();
    assertThat(none.total()).isZero();
  }

  @Test
  void aLegacyConnectionIsRefused() throws Exception {
    String a = env.name("unl");
    ImpsClient c = client(new Recorder(), false);
    c.register(a, PW, Gender.UNSPECIFIED, "").join();
    c.close();
    ImpsClient legacy = client(new Recorder(), true);
    legacy.login(a, PW).join();
    assertThatThrownBy(() -> legacy.unread().join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ImpsRefusedException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_PERMITTED));
  }
}
