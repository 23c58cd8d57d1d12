package imps.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link MessageStore} contract; one subclass per backend. */
public abstract class MessageStoreContract extends StoreContractBase {
  private static final String AT = "2024-05-06 07:08:09";

  private MessageStore messages() {
    return store.messages();
  }

  @Test
  void textAndAudioRoundTripInAcceptanceOrder() {
    UserRecord a = user("sender");
    UserRecord b = user("receiver");
    StoredMessage t = messages().append(a.id(), "sender", b.id(), "hi 😀 ünïcode", null, AT);
    byte[] clip = new byte[60 * 1024];
    for (int i = 0; i < clip.length; i++) {
      clip[i] = (byte) i;
    }
    StoredMessage c = messages().append(a.id(), "sender", b.id(), null, clip, AT);
    assertThat(t.id()).isPositive();
    assertThat(c.id()).isGreaterThan(t.id());
    assertThat(t.isAudio()).isFalse();
    assertThat(c.isAudio()).isTrue();

    List<StoredMessage> got = messages().undelivered(b.id(), 0, 100, Long.MAX_VALUE);
    assertThat(got).hasSize(2);
    StoredMessage g0 = got.get(0);
    assertThat(g0.id()).isEqualTo(t.id());
    assertThat(g0.senderId()).isEqualTo(a.id());
    assertThat(g0.senderName()).isEqualTo("sender");
    assertThat(g0.recipientId()).isEqualTo(b.id());
    assertThat(g0.text()).isEqualTo("hi 😀 ünïcode");
    assertThat(g0.audio()).isNull();
    assertThat(g0.acceptedAt()).isEqualTo(AT);
    StoredMessage g1 = got.get(1);
    assertThat(g1.text()).isNull();
    assertThat(g1.audio()).isEqualTo(clip);
    assertThat(messages().undelivered(a.id(), 0, 100, Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void undeliveredPagesInIdOrderAcrossSenders() {
    UserRecord to = user("to");
    UserRecord x = user("x");
    UserRecord y = user("y");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      UserRecord from = i % 2 == 0 ? x : y;
      ids.add(messages().append(from.id(), from.name(), to.id(), "m" + i, null, AT).id());
    }
    List<Long> seen = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    long after = 0;
    while (true) {
      List<StoredMessage> page = messages().undelivered(to.id(), after, 10, Long.MAX_VALUE);
      for (StoredMessage m : page) {
        seen.add(m.id());
        texts.add(m.text());
        after = m.id();
      }
      if (page.size() < 10) {
        break;
      }
    }
    assertThat(seen).isEqualTo(ids);
    assertThat(texts.get(0)).isEqualTo("m0");
    assertThat(texts.get(24)).isEqualTo("m24");
    assertThat(messages().undelivered(to.id(), ids.get(24), 10, Long.MAX_VALUE)).isEmpty();
    assertThat(messages().undelivered(to.id(), ids.get(9), 3, Long.MAX_VALUE))
        .extracting(StoredMessage::id)
        .containsExactly(ids.get(10), ids.get(11), ids.get(12));
  }

  @Test
  void markDeliveredRemovesFromTheBacklog() {
    UserRecord a = user("a");
    UserRecord b = user("b");
    StoredMessage m1 = messages().append(a.id(), "a", b.id(), "one", null, AT);
    StoredMessage m2 = messages().append(a.id(), "a", b.id(), "two", null, AT);
    StoredMessage m3 = messages().append(a.id(), "a", b.id(), "three", null, AT);
    messages().markDelivered(List.of());
    messages().markDelivered(List.of(m1.id(), m3.id()));
    assertThat(messages().undelivered(b.id(), 0, 10, Long.MAX_VALUE))
        .extracting(StoredMessage::id)
        .containsExactly(m2.id());
    // Marking twice is harmless.
    messages().markDelivered(List.of(m1.id(), m2.id()));
    assertThat(messages().undelivered(b.id(), 0, 10, Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void concurrentAppendsAllSurviveWithDistinctIds() throws Exception {
    UserRecord a = user("a");
    UserRecord b = user("b");
    int threads = 8;
    int each = 25;
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int tn = t;
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  messages().append(a.id(), "a", b.id(), tn + ":" + i, null, AT);
                }
              });
      th.start();
      ts.add(th);
    }
    for (Thread t : ts) {
      t.join();
    }
    List<StoredMessage> all = messages().undelivered(b.id(), 0, 1000, Long.MAX_VALUE);
    assertThat(all).hasSize(threads * each);
    assertThat(all).extracting(StoredMessage::id).doesNotHaveDuplicates().isSorted();
    // Each thread's messages keep their order.
    for (int t = 0; t < threads; t++) {
      String prefix = t + ":";
      List<String> mine =
          all.stream().map(StoredMessage::text).filter(s -> s.startsWith(prefix)).toList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < each; i++) {
        expected.add(prefix + i);
      }
      assertThat(mine).isEqualTo(expected);
    }
  }

  @Test
  void aPageOfClipsIsBoundedInBytesButHoldsAtLeastOne() {
    UserRecord a = user("clipper");
    UserRecord b = user("listener");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(messages().append(a.id(), "clipper", b.id(), null, new byte[1000], AT).id());
    }
    assertThat(messages().undelivered(b.id(), 0, 100, 2500))
        .extracting(StoredMessage::id)
        .containsExactly(ids.get(0), ids.get(1));
    assertThat(messages().undelivered(b.id(), ids.get(1), 100, 2500))
        .extracting(StoredMessage::id)
        .containsExactly(ids.get(2), ids.get(3));
    assertThat(messages().undelivered(b.id(), 0, 100, 10))
        .extracting(StoredMessage::id)
        .containsExactly(ids.get(0));
    assertThat(messages().undelivered(b.id(), 0, 3, Long.MAX_VALUE)).hasSize(3);
  }

  @Test
  void appendAsyncCompletesOnceCommitted() throws Exception {
    UserRecord a = user("async-a");
    UserRecord b = user("async-b");
    StoredMessage m =
        messages()
            .appendAsync(a.id(), "async-a", b.id(), "later", null, AT)
            .get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(m.id()).isPositive();
    assertThat(messages().undelivered(b.id(), 0, 10, Long.MAX_VALUE))
        .extracting(StoredMessage::text)
        .containsExactly("later");
  }
}
