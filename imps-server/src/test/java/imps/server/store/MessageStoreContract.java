package imps.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import imps.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@link MessageStore} contract; one subclass per backend. */
public abstract class MessageStoreContract extends StoreContractBase {
  private static final String AT = "2024-05-06 07:08:09";

  private MessageStore messages() {
    return store.messages();
  }

  /** Stores a message (no client id) and returns it. */
  private StoredMessage append(long from, String fromName, long to, String text, byte[] audio) {
    Appended a =
        messages().append(new NewMessage(from, fromName, to, text, audio, AT, 0, 1_000, false));
    assertThat(a.duplicate()).isFalse();
    return a.message();
  }

  private Appended appendWithQuota(
      long from, long to, String text, byte[] audio, int items, long bytes) {
    return messages()
        .appendAsync(
            new NewMessage(from, "q", to, text, audio, AT, 0, 1_000, false),
            new MessageStore.Quota(items, bytes))
        .join();
  }

  @Test
  void theQuotaCountsUndeliveredMessagesAndTheirBytes() {
    UserRecord a = user("q");
    UserRecord b = user("full");
    assertThat(appendWithQuota(a.id(), b.id(), "one", null, 2, 10_000).overQuota()).isFalse();
    Appended second = appendWithQuota(a.id(), b.id(), "two", null, 2, 10_000);
    assertThat(second.overQuota()).isFalse();
    Appended third = appendWithQuota(a.id(), b.id(), "three", null, 2, 10_000);
    assertThat(third.overQuota()).isTrue();
    assertThat(third.message()).isNull();
    assertThat(messages().undelivered(b.id(), 0, 100, Long.MAX_VALUE)).hasSize(2);
    // Delivered (written, or acknowledged) messages no longer count.
    messages().acknowledge(Map.of(b.id(), second.message().seq()));
    assertThat(appendWithQuota(a.id(), b.id(), "three", null, 2, 10_000).overQuota()).isFalse();
    // Bytes: a clip that would pass them is refused, a smaller one still fits.
    UserRecord c = user("bytes");
    assertThat(appendWithQuota(a.id(), c.id(), null, new byte[600], 100, 1000).overQuota())
        .isFalse();
    assertThat(appendWithQuota(a.id(), c.id(), null, new byte[600], 100, 1000).overQuota())
        .isTrue();
    assertThat(appendWithQuota(a.id(), c.id(), null, new byte[400], 100, 1000).overQuota())
        .isFalse();
  }

  @Test
  void theQuotaRefusesExactlyAtItsLimitWhateverWasDeliveredMeanwhile() {
    // Stores, deliveries by write (legacy) and by acknowledgement interleaved: a message is refused
    // exactly when the recipient already has the quota's count undelivered, never before (a store
    // may keep a bound of what it wrote, WaitingBounds, but must answer as if it counted).
    UserRecord a = user("qx");
    UserRecord b = user("qy");
    int limit = 4;
    int waiting = 0;
    for (int i = 0; i < 40; i++) {
      Appended r = appendWithQuota(a.id(), b.id(), "m" + i, null, limit, 1 << 20);
      assertThat(r.overQuota())
          .as("message %d with %d waiting", i, waiting)
          .isEqualTo(waiting >= limit);
      if (!r.overQuota()) {
        waiting++;
      }
      if (i % 7 == 6) {
        List<StoredMessage> page = messages().undelivered(b.id(), 0, 2, Long.MAX_VALUE);
        messages().markDelivered(page.stream().map(StoredMessage::id).toList());
        waiting -= page.size();
      } else if (i % 11 == 10) {
        List<StoredMessage> all = messages().undelivered(b.id(), 0, 100, Long.MAX_VALUE);
        messages().acknowledge(Map.of(b.id(), all.get(all.size() - 1).seq()));
        waiting = 0;
      }
    }
  }

  @Test
  void theQuotaCountsTheUtf8BytesOfTextsAndTheBytesOfClips() {
    UserRecord a = user("u8");
    UserRecord b = user("lilei");
    // 李雷: 2 characters, 6 bytes; 😀: 1 code point, 2 UTF-16 units, 4 bytes. Ten bytes in all.
    assertThat(appendWithQuota(a.id(), b.id(), "李雷", null, 100, 10).overQuota()).isFalse();
    assertThat(appendWithQuota(a.id(), b.id(), "\uD83D\uDE00", null, 100, 10).overQuota())
        .as("exactly at the quota")
        .isFalse();
    assertThat(appendWithQuota(a.id(), b.id(), "a", null, 100, 10).overQuota())
        .as("one byte past it")
        .isTrue();
    // Clips count their bytes, alongside the texts' UTF-8.
    UserRecord c = user("mixed");
    assertThat(appendWithQuota(a.id(), c.id(), null, new byte[7], 100, 16).overQuota()).isFalse();
    assertThat(appendWithQuota(a.id(), c.id(), "é李", null, 100, 16).overQuota()).isFalse();
    assertThat(appendWithQuota(a.id(), c.id(), "\uD83D\uDE00", null, 100, 16).overQuota())
        .as("7 + 5 + 4 = 16 bytes")
        .isFalse();
    assertThat(appendWithQuota(a.id(), c.id(), null, new byte[1], 100, 16).overQuota()).isTrue();
    assertThat(messages().undelivered(c.id(), 0, 100, Long.MAX_VALUE)).hasSize(3);
  }

  @Test
  void theQuotaCountsTextInUtf8Bytes() {
    UserRecord a = user("utf8");
    UserRecord b = user("cjk");
    // 你好 is 2 characters and 6 bytes; 😀 is 2 chars (a surrogate pair) and 4 bytes.
    assertThat(appendWithQuota(a.id(), b.id(), "你好", null, 100, 12).overQuota()).isFalse();
    assertThat(appendWithQuota(a.id(), b.id(), "😀", null, 100, 12).overQuota()).isFalse();
    // 10 bytes held: 3 more do not fit in 12, 2 do.
    assertThat(appendWithQuota(a.id(), b.id(), "你", null, 100, 12).overQuota()).isTrue();
    assertThat(appendWithQuota(a.id(), b.id(), "ab", null, 100, 12).overQuota()).isFalse();
    assertThat(appendWithQuota(a.id(), b.id(), "c", null, 100, 12).overQuota()).isTrue();
  }

  @Test
  void purgeDeletesDeliveredMessagesAndEmptiesThoseAResendMayStillName() {
    UserRecord a = user("p");
    UserRecord b = user("r");
    StoredMessage plain = append(a.id(), "p", b.id(), "plain", null);
    StoredMessage withId =
        messages()
            .append(new NewMessage(a.id(), "p", b.id(), null, new byte[100], AT, 7, 1_000, false))
            .message();
    StoredMessage waiting = append(a.id(), "p", b.id(), "waiting", null);
    messages().markDelivered(List.of(plain.id(), withId.id()));
    // Not yet old enough: nothing goes.
    assertThat(messages().purgeDelivered(Instant.ofEpochMilli(500), Instant.ofEpochMilli(0)))
        .isZero();
    assertThat(messages().purgeDelivered(Instant.ofEpochMilli(2_000), Instant.ofEpochMilli(0)))
        .isEqualTo(2);
    // The undelivered one is untouched.
    assertThat(messages().undelivered(b.id(), 0, 100, Long.MAX_VALUE))
        .extracting(StoredMessage::id)
        .containsExactly(waiting.id());
    // A resend of the one with a client id is still recognised, though its body is gone.
    Appended again =
        messages()
            .append(new NewMessage(a.id(), "p", b.id(), null, new byte[100], AT, 7, 1_000, false));
    assertThat(again.duplicate()).isTrue();
    assertThat(again.message().audio()).isNull();
    // Past the second cutoff its row goes too.
    assertThat(messages().purgeDelivered(Instant.ofEpochMilli(2_000), Instant.ofEpochMilli(2_000)))
        .isEqualTo(1);
    assertThat(
            messages()
                .append(
                    new NewMessage(a.id(), "p", b.id(), null, new byte[100], AT, 7, 1_000, false))
                .duplicate())
        .isFalse();
  }

  @Test
  void textAndAudioRoundTripInAcceptanceOrder() {
    UserRecord a = user("sender");
    UserRecord b = user("receiver");
    StoredMessage t = append(a.id(), "sender", b.id(), "hi 😀 ünïcode", null);
    byte[] clip = new byte[60 * 1024];
    for (int i = 0; i < clip.length; i++) {
      clip[i] = (byte) i;
    }
    StoredMessage c = append(a.id(), "sender", b.id(), null, clip);
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
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      UserRecord from = i % 2 == 0 ? x : y;
      StoredMessage m = append(from.id(), from.name(), to.id(), "m" + i, null);
      ids.add(m.id());
      seqs.add(m.seq());
    }
    // The recipient's sequence numbers count up by one from 1.
    assertThat(seqs).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 25).boxed().toList());
    List<Long> seen = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    long after = 0;
    while (true) {
      List<StoredMessage> page = messages().undelivered(to.id(), after, 10, Long.MAX_VALUE);
      for (StoredMessage m : page) {
        seen.add(m.id());
        texts.add(m.text());
        after = m.seq();
      }
      if (page.size() < 10) {
        break;
      }
    }
    assertThat(seen).isEqualTo(ids);
    assertThat(texts.get(0)).isEqualTo("m0");
    assertThat(texts.get(24)).isEqualTo("m24");
    assertThat(messages().undelivered(to.id(), seqs.get(24), 10, Long.MAX_VALUE)).isEmpty();
    assertThat(messages().undelivered(to.id(), seqs.get(9), 3, Long.MAX_VALUE))
        .extracting(StoredMessage::id)
        .containsExactly(ids.get(10), ids.get(11), ids.get(12));
  }

  @Test
  void markDeliveredRemovesFromTheBacklog() {
    UserRecord a = user("a");
    UserRecord b = user("b");
    StoredMessage m1 = append(a.id(), "a", b.id(), "one", null);
    StoredMessage m2 = append(a.id(), "a", b.id(), "two", null);
    StoredMessage m3 = append(a.id(), "a", b.id(), "three", null);
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
                  append(a.id(), "a", b.id(), tn + ":" + i, null);
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
      ids.add(append(a.id(), "clipper", b.id(), null, new byte[1000]).id());
    }
    assertThat(messages().undelivered(b.id(), 0, 100, 2500))
        .extracting(StoredMessage::id)
        .containsExactly(ids.get(0), ids.get(1));
    assertThat(messages().undelivered(b.id(), 2, 100, 2500))
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
            .appendAsync(new NewMessage(a.id(), "async-a", b.id(), "later", null, AT, 0, 1, false))
            .get(10, java.util.concurrent.TimeUnit.SECONDS)
            .message();
    assertThat(m.id()).isPositive();
    assertThat(messages().undelivered(b.id(), 0, 10, Long.MAX_VALUE))
        .extracting(StoredMessage::text)
        .containsExactly("later");
  }

  @Test
  void aSecondMessageWithTheSameClientIdIsNotStored() {
    UserRecord a = user("idem-a");
    UserRecord b = user("idem-b");
    Appended first =
        messages().append(new NewMessage(a.id(), "idem-a", b.id(), "once", null, AT, 42, 1, false));
    Appended again =
        messages().append(new NewMessage(a.id(), "idem-a", b.id(), "once", null, AT, 42, 2, false));
    assertThat(first.duplicate()).isFalse();
    assertThat(again.duplicate()).isTrue();
    assertThat(again.message()).usingRecursiveComparison().isEqualTo(first.message());
    // Another sender may use the same id; the same sender a new one.
    assertThat(
            messages()
                .append(new NewMessage(b.id(), "idem-b", a.id(), "x", null, AT, 42, 3, false))
                .duplicate())
        .isFalse();
    assertThat(
            messages()
                .append(new NewMessage(a.id(), "idem-a", b.id(), "twice", null, AT, 43, 4, false))
                .duplicate())
        .isFalse();
    assertThat(messages().undelivered(b.id(), 0, 10, Long.MAX_VALUE))
        .extracting(StoredMessage::text)
        .containsExactly("once", "twice");
    // The resend took no sequence number: the recipient's items stay numbered without gaps.
    assertThat(messages().undelivered(b.id(), 0, 10, Long.MAX_VALUE))
        .extracting(StoredMessage::seq)
        .containsExactly(first.message().seq(), first.message().seq() + 1);
  }

  @Test
  void aResendIsAcknowledgedAgainEvenWhenItsRecipientIsAtTheQuota() {
    UserRecord a = user("idem-q");
    UserRecord b = user("idem-r");
    MessageStore.Quota one = new MessageStore.Quota(1, 1 << 20);
    Appended first =
        messages()
            .appendAsync(new NewMessage(a.id(), "idem-q", b.id(), "x", null, AT, 7, 1, false), one)
            .join();
    Appended again =
        messages()
            .appendAsync(new NewMessage(a.id(), "idem-q", b.id(), "x", null, AT, 7, 2, false), one)
            .join();
    assertThat(again.overQuota()).isFalse();
    assertThat(again.duplicate()).isTrue();
    assertThat(again.message().id()).isEqualTo(first.message().id());
    assertThat(
            messages()
                .appendAsync(
                    new NewMessage(a.id(), "idem-q", b.id(), "y", null, AT, 8, 3, false), one)
                .join()
                .overQuota())
        .isTrue();
  }

  @Test
  void acknowledgedMessagesAreNotUndelivered() {
    UserRecord a = user("ack-a");
    UserRecord b = user("ack-b");
    StoredMessage m1 = append(a.id(), "ack-a", b.id(), "one", null);
    StoredMessage m2 = append(a.id(), "ack-a", b.id(), "two", null);
    assertThat(store.accounts().lastSeq(b.id())).isEqualTo(m2.seq());
    assertThat(store.accounts().lastSeq(a.id())).isZero();
    messages().acknowledge(java.util.Map.of(b.id(), m1.seq()));
    assertThat(store.accounts().ackedSeq(b.id())).isEqualTo(m1.seq());
    assertThat(messages().undelivered(b.id(), 0, 10, Long.MAX_VALUE))
        .extracting(StoredMessage::id)
        .containsExactly(m2.id());
    // An acknowledgement never goes back, nor past what was given out.
    messages().acknowledge(java.util.Map.of(b.id(), 0L));
    assertThat(store.accounts().ackedSeq(b.id())).isEqualTo(m1.seq());
    messages().acknowledge(java.util.Map.of(b.id(), 1_000L));
    assertThat(store.accounts().ackedSeq(b.id())).isEqualTo(m2.seq());
  }

  @Test
  void acknowledgingMessagesThatAskedForReceiptsStoresOneDeliveryReceiptForTheSender() {
    UserRecord a = user("rcpt-a");
    UserRecord b = user("rcpt-b");
    messages().append(new NewMessage(a.id(), "rcpt-a", b.id(), "one", null, AT, 7, 1, true));
    StoredMessage m2 =
        messages()
            .append(new NewMessage(a.id(), "rcpt-a", b.id(), "two", null, AT, 8, 2, true))
            .message();
    // A message without the flag gives no receipt.
    messages().append(new NewMessage(b.id(), "rcpt-b", a.id(), "back", null, AT, 1, 3, false));

    List<StoredReceipt> receipts = messages().acknowledge(Map.of(b.id(), m2.seq()));

    assertThat(receipts)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.userId()).isEqualTo(a.id());
              assertThat(r.peerId()).isEqualTo(b.id());
              assertThat(r.peerName()).isEqualTo("rcpt-b");
              assertThat(r.read()).isFalse();
              assertThat(r.upTo()).isEqualTo(8);
              assertThat(r.seq()).isPositive();
            });
    assertThat(messages().unacknowledgedReceipts(a.id(), 0))
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactlyElementsOf(receipts);
    // Acknowledging again changes nothing; the sender acknowledging the receipt clears it.
    assertThat(messages().acknowledge(Map.of(b.id(), m2.seq()))).isEmpty();
    assertThat(messages().acknowledge(Map.of(a.id(), receipts.get(0).seq()))).isEmpty();
    assertThat(messages().unacknowledgedReceipts(a.id(), 0)).isEmpty();
  }

  /**
   * Several users acknowledging in one write: each sender's receipts are stored in turn, and one
   * that does not move (its messages' highest client id is below what the receipt already says)
   * takes no number, so the sender's items stay numbered without gaps.
   */
  @Test
  void acknowledgementsOfSeveralUsersAtOnceKeepTheSendersItemsNumberedWithoutGaps() {
    UserRecord a = user("multi-a");
    UserRecord b = user("multi-b");
    UserRecord c = user("multi-c");
    StoredMessage toB =
        messages()
            .append(new NewMessage(a.id(), "multi-a", b.id(), "1", null, AT, 5, 1, true))
            .message();
    StoredMessage toC =
        messages()
            .append(new NewMessage(a.id(), "multi-a", c.id(), "2", null, AT, 6, 2, true))
            .message();
    StoredMessage toBLower =
        messages()
            .append(new NewMessage(a.id(), "multi-a", b.id(), "3", null, AT, 2, 3, true))
            .message();
    assertThat(messages().acknowledge(Map.of(b.id(), toB.seq())))
        .singleElement()
        .satisfies(r -> assertThat(r.upTo()).isEqualTo(5));
    long before = store.accounts().lastSeq(a.id());

    Map<Long, Long> both = new java.util.LinkedHashMap<>();
    both.put(b.id(), toBLower.seq());
    both.put(c.id(), toC.seq());
    List<StoredReceipt> receipts = messages().acknowledge(both);

    assertThat(receipts)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.userId()).isEqualTo(a.id());
              assertThat(r.peerId()).isEqualTo(c.id());
              assertThat(r.peerName()).isEqualTo("multi-c");
              assertThat(r.upTo()).isEqualTo(6);
              assertThat(r.seq()).isEqualTo(before + 1);
            });
    assertThat(store.accounts().lastSeq(a.id())).isEqualTo(before + 1);
    assertThat(store.accounts().ackedSeq(b.id())).isEqualTo(toBLower.seq());
    assertThat(store.accounts().ackedSeq(c.id())).isEqualTo(toC.seq());
    assertThat(messages().undelivered(b.id(), 0, 10, Long.MAX_VALUE)).isEmpty();
    assertThat(messages().undelivered(c.id(), 0, 10, Long.MAX_VALUE)).isEmpty();
    assertThat(messages().unacknowledgedReceipts(a.id(), 0))
        .extracting(StoredReceipt::peerId, StoredReceipt::upTo)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(b.id(), 5L),
            org.assertj.core.groups.Tuple.tuple(c.id(), 6L));
  }

  @Test
  void readingAdvancesOneReadReceiptWithANewSequenceNumber() {
    UserRecord a = user("read-a");
    UserRecord b = user("read-b");
    StoredMessage m1 =
        messages()
            .append(new NewMessage(a.id(), "read-a", b.id(), "one", null, AT, 1, 1, true))
            .message();
    StoredMessage m2 =
        messages()
            .append(new NewMessage(a.id(), "read-a", b.id(), "two", null, AT, 2, 2, true))
            .message();

    StoredReceipt first = messages().markRead(b.id(), a.id(), m1.seq()).orElseThrow();
    assertThat(first.read()).isTrue();
    assertThat(first.upTo()).isEqualTo(1);
    assertThat(messages().markRead(b.id(), a.id(), m1.seq())).isEmpty();
    StoredReceipt second = messages().markRead(b.id(), a.id(), m2.seq()).orElseThrow();
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.upTo()).isEqualTo(2);
    // The read receipt that did not advance took no number: the sender's items have no gap.
    assertThat(second.seq()).isEqualTo(first.seq() + 1);
    assertThat(messages().unacknowledgedReceipts(a.id(), first.seq()))
        .extracting(StoredReceipt::upTo)
        .containsExactly(2L);
    // Nobody can mark read what they were not sent.
    assertThat(messages().markRead(a.id(), b.id(), Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void unreadCountsFollowTheReadMarkOfEachFriendAndOnlyFriends() {
    UserRecord a = user("unr-a");
    UserRecord b = user("unr-b");
    UserRecord c = user("unr-c");
    UserRecord d = user("unr-d");
    store.friends().addRequest(a.id(), b.id(), 100);
    store.friends().answer(a.id(), b.id(), true, 100);
    store.friends().addRequest(c.id(), b.id(), 100);
    store.friends().answer(c.id(), b.id(), true, 100);
    assertThat(messages().unread(b.id(), 1000).friends()).isEmpty();
    List<StoredMessage> fromA = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      fromA.add(
          messages()
              .append(new NewMessage(a.id(), "unr-a", b.id(), "a" + i, null, AT, 0, 0, false))
              .message());
    }
    StoredMessage fromC =
        messages()
            .append(new NewMessage(c.id(), "unr-c", b.id(), null, new byte[] {1}, AT, 0, 0, false))
            .message();
    // Not a friend: not counted.
    messages().append(new NewMessage(d.id(), "unr-d", b.id(), "d", null, AT, 0, 0, false));
    // b's own messages are not unread for b.
    messages().append(new NewMessage(b.id(), "unr-b", a.id(), "mine", null, AT, 0, 0, false));

    UnreadTally all = messages().unread(b.id(), 1000);
    assertThat(all.friends())
        .containsExactly(new UnreadTally.Friend("unr-a", 3), new UnreadTally.Friend("unr-c", 1));
    assertThat(all.asOfSeq()).isGreaterThanOrEqualTo(fromC.seq());
    // Capped per friend.
    assertThat(messages().unread(b.id(), 2).friends())
        .containsExactly(new UnreadTally.Friend("unr-a", 2), new UnreadTally.Friend("unr-c", 1));

    // Read marks: also without receipts, never back, per peer.
    messages().markRead(b.id(), a.id(), fromA.get(1).seq());
    assertThat(messages().unread(b.id(), 1000).friends())
        .containsExactly(new UnreadTally.Friend("unr-a", 1), new UnreadTally.Friend("unr-c", 1));
    messages().markRead(b.id(), a.id(), fromA.get(0).seq());
    assertThat(messages().unread(b.id(), 1000).friends())
        .contains(new UnreadTally.Friend("unr-a", 1));
    messages().markRead(b.id(), c.id(), all.asOfSeq());
    messages().markRead(b.id(), a.id(), all.asOfSeq());
    assertThat(messages().unread(b.id(), 1000).friends()).isEmpty();

    // Deleting the reader takes its read marks along.
    assertThat(store.accounts().delete(b.id())).isTrue();
  }

  @Test
  void historyPagesTheConversationBothWaysByIdInEitherDirection() {
    UserRecord a = user("hista");
    UserRecord b = user("histb");
    UserRecord c = user("histc");
    List<Long> conversation = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      conversation.add(append(a.id(), a.name(), b.id(), "ab" + i, null).id());
      append(a.id(), a.name(), c.id(), "ac" + i, null);
      conversation.add(append(b.id(), b.name(), a.id(), "ba" + i, null).id());
      append(c.id(), c.name(), a.id(), "ca" + i, null);
    }
    // A page changes nothing: the messages stay undelivered.
    List<Long> older = new ArrayList<>();
    long from = 0;
    boolean more = true;
    while (more) {
      HistorySlice page = messages().history(a.id(), b.id(), from, false, 5, Long.MAX_VALUE, 0);
      assertThat(page.messages()).hasSizeBetween(1, 5);
      for (StoredMessage m : page.messages()) {
        older.add(m.id());
        assertThat(m.text()).startsWith(m.senderId() == a.id() ? "ab" : "ba");
        from = m.id();
      }
      more = page.more();
    }
    List<Long> newestFirst = new ArrayList<>(conversation);
    java.util.Collections.reverse(newestFirst);
    assertThat(older).isEqualTo(newestFirst);

    List<Long> newer = new ArrayList<>();
    from = 0;
    more = true;
    while (more) {
      HistorySlice page = messages().history(b.id(), a.id(), from, true, 7, Long.MAX_VALUE, 0);
      for (StoredMessage m : page.messages()) {
        newer.add(m.id());
        from = m.id();
      }
      more = page.more();
    }
    assertThat(newer).isEqualTo(conversation);
    assertThat(messages().history(a.id(), b.id(), conversation.get(0), false, 5, Long.MAX_VALUE, 0))
        .isEqualTo(new HistorySlice(List.of(), false));
    assertThat(messages().undelivered(b.id(), 0, 100, Long.MAX_VALUE)).hasSize(13);
  }

  /**
   * A backend may index conversations in batches (SQLite fills its table {@code conversations}
   * about once a second, in whatever write commits then): history pages and unread counts read the
   * messages stored before such a fill and those stored after it alike, in one page, in id order,
   * both ways.
   */
  @Test
  void historyAndUnreadCountsReadMessagesStoredBeforeAndAfterTheIndexCaughtUp() throws Exception {
    MutableClock clock = new MutableClock();
    store.close();
    store = openStore(clock);
    UserRecord a = user("conv-a");
    UserRecord b = user("conv-b");
    UserRecord c = user("conv-c");
    store.friends().addRequest(a.id(), b.id(), 100);
    store.friends().answer(a.id(), b.id(), true, 100);
    List<Long> conversation = new ArrayList<>();
    List<StoredMessage> fromA = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 3; i++) {
        StoredMessage ab = append(a.id(), a.name(), b.id(), "ab" + round + i, null);
        append(a.id(), a.name(), c.id(), "ac" + round + i, null);
        StoredMessage ba = append(b.id(), b.name(), a.id(), "ba" + round + i, null);
        conversation.add(ab.id());
        conversation.add(ba.id());
        fromA.add(ab);
      }
      // The next write commits more than a second later: a fill happens in its commit (SQLite),
      // so the last round's first message is below the mark and the rest above it.
      clock.advance(Duration.ofMillis(1_500));
    }

    List<Long> newestFirst = new ArrayList<>(conversation);
    java.util.Collections.reverse(newestFirst);
    for (int size : new int[] {4, 18, 100}) {
      assertThat(pages(a.id(), b.id(), false, size)).isEqualTo(newestFirst);
      assertThat(pages(b.id(), a.id(), true, size)).isEqualTo(conversation);
    }
    // One page across the mark, from inside the conversation.
    assertThat(
            messages()
                .history(a.id(), b.id(), conversation.get(16), false, 5, Long.MAX_VALUE, 0)
                .messages())
        .extracting(StoredMessage::id)
        .isEqualTo(newestFirst.subList(2, 7));
    assertThat(
            messages()
                .history(a.id(), b.id(), conversation.get(11), true, 5, Long.MAX_VALUE, 0)
                .messages())
        .extracting(StoredMessage::id)
        .isEqualTo(conversation.subList(12, 17));
    assertThat(
            messages()
                .history(a.id(), b.id(), conversation.get(11), true, 5, Long.MAX_VALUE, 0)
                .messages())
        .extracting(StoredMessage::text)
        .containsExactly("ab20", "ba20", "ab21", "ba21", "ab22");

    // Unread counts and read marks, below the mark and above it.
    assertThat(messages().unread(b.id(), 1000).friends())
        .containsExactly(new UnreadTally.Friend("conv-a", 9));
    assertThat(messages().unread(b.id(), 4).friends())
        .containsExactly(new UnreadTally.Friend("conv-a", 4));
    assertThat(messages().unread(a.id(), 1000).friends())
        .containsExactly(new UnreadTally.Friend("conv-b", 9));
    messages().markRead(b.id(), a.id(), fromA.get(4).seq());
    assertThat(messages().unread(b.id(), 1000).friends())
        .containsExactly(new UnreadTally.Friend("conv-a", 4));
    messages().markRead(b.id(), a.id(), fromA.get(7).seq());
    assertThat(messages().unread(b.id(), 1000).friends())
        .containsExactly(new UnreadTally.Friend("conv-a", 1));
    messages().markRead(b.id(), a.id(), fromA.get(8).seq());
    assertThat(messages().unread(b.id(), 1000).friends()).isEmpty();
  }

  /** Every message of the conversation, read page by page of {@code size} as a client would. */
  private List<Long> pages(long userId, long peerId, boolean newer, int size) {
    List<Long> ids = new ArrayList<>();
    long from = 0;
    boolean more = true;
    while (more) {
      HistorySlice page = messages().history(userId, peerId, from, newer, size, Long.MAX_VALUE, 0);
      for (StoredMessage m : page.messages()) {
        ids.add(m.id());
        from = m.id();
      }
      more = page.more();
    }
    return ids;
  }

  @Test
  void historyPagesStopAtTheByteBudgetButHoldAtLeastOneClip() {
    UserRecord a = user("clipa");
    UserRecord b = user("clipb");
    byte[] clip = new byte[60 * 1024];
    clip[7] = 7;
    StoredMessage first = append(a.id(), a.name(), b.id(), null, clip);
    StoredMessage second = append(b.id(), b.name(), a.id(), null, clip);
    HistorySlice page = messages().history(a.id(), b.id(), 0, false, 100, 65_000, 0);
    assertThat(page.more()).isTrue();
    assertThat(page.messages()).extracting(StoredMessage::id).containsExactly(second.id());
    assertThat(page.messages().get(0).audio()).isEqualTo(clip);
    page = messages().history(a.id(), b.id(), second.id(), false, 100, 10, 0);
    assertThat(page.more()).isFalse();
    assertThat(page.messages()).extracting(StoredMessage::id).containsExactly(first.id());
  }

  @Test
  void historyReachesBackOnlyAsFarAsTheRetention() {
    UserRecord a = user("reta");
    UserRecord b = user("retb");
    long old = 1_700_000_000_000L;
    long recent = old + 86_400_000L;
    messages().append(new NewMessage(a.id(), a.name(), b.id(), "old", null, AT, 0, old, false));
    List<Long> kept = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      UserRecord from = i % 2 == 0 ? b : a;
      UserRecord to = i % 2 == 0 ? a : b;
      kept.add(
          messages()
              .append(
                  new NewMessage(
                      from.id(), from.name(), to.id(), "r" + i, null, AT, 0, recent, false))
              .message()
              .id());
    }
    HistorySlice back = messages().history(a.id(), b.id(), 0, false, 10, Long.MAX_VALUE, recent);
    assertThat(back.more()).isFalse();
    assertThat(back.messages()).extracting(StoredMessage::text).containsExactly("r2", "r1", "r0");
    HistorySlice forward = messages().history(b.id(), a.id(), 0, true, 10, Long.MAX_VALUE, recent);
    assertThat(forward.messages()).extracting(StoredMessage::id).isEqualTo(kept);
    assertThat(messages().history(a.id(), b.id(), 0, true, 10, Long.MAX_VALUE, old).messages())
        .extracting(StoredMessage::text)
        .containsExactly("old", "r0", "r1", "r2");
    assertThat(messages().history(a.id(), b.id(), 0, false, 10, Long.MAX_VALUE, recent + 1))
        .isEqualTo(new HistorySlice(List.of(), false));
  }
}
