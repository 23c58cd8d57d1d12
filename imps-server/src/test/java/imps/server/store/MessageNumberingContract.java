package imps.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * How storing a message numbers it, whichever way the backend stores it (SQLite in three
 * statements, PostgreSQL in one): a message refused over the quota or not stored because its client
 * id was taken takes no sequence number, so a recipient's messages stay numbered without gaps, also
 * when many are stored at once; one subclass per backend.
 */
public abstract class MessageNumberingContract extends StoreContractBase {
  private static final String AT = "2024-05-06 07:08:09";

  private Appended send(
      UserRecord from, long to, String text, long clientId, MessageStore.Quota q) {
    return store
        .messages()
        .appendAsync(
            new NewMessage(from.id(), from.name(), to, text, null, AT, clientId, 1_000, false), q)
        .join();
  }

  private List<Long> undeliveredSeqs(long recipient) {
    return store.messages().undelivered(recipient, 0, 10_000, Long.MAX_VALUE).stream()
        .map(StoredMessage::seq)
        .toList();
  }

  @Test
  void aMessageRefusedAtTheQuotaTakesNoNumberAndTheNextOneAfterADeliveryDoes() {
    UserRecord a = user("na");
    UserRecord b = user("nb");
    MessageStore.Quota two = new MessageStore.Quota(2, 1 << 20);
    StoredMessage first = send(a, b.id(), "1", 0, two).message();
    StoredMessage second = send(a, b.id(), "2", 0, two).message();
    assertThat(send(a, b.id(), "3", 0, two).overQuota()).isTrue();
    assertThat(send(a, b.id(), "3", 9, two).overQuota()).as("with a client id").isTrue();
    assertThat(store.accounts().lastSeq(b.id())).isEqualTo(second.seq());
    store.messages().markDelivered(List.of(first.id()));
    Appended third = send(a, b.id(), "3", 9, two);
    assertThat(third.overQuota()).isFalse();
    assertThat(third.message().seq()).isEqualTo(second.seq() + 1);
    assertThat(third.message().clientId()).isEqualTo(9);
  }

  @Test
  void theByteQuotaRefusesExactlyPastItsLimitAndAnUnboundedOneNever() {
    UserRecord a = user("ba");
    UserRecord b = user("bb");
    MessageStore.Quota tenBytes = new MessageStore.Quota(100, 10);
    assertThat(send(a, b.id(), "12345", 0, tenBytes).overQuota()).isFalse();
    assertThat(send(a, b.id(), "123456", 0, tenBytes).overQuota()).isTrue();
    assertThat(send(a, b.id(), "12345", 0, tenBytes).overQuota()).as("exactly").isFalse();
    assertThat(send(a, b.id(), "1", 0, tenBytes).overQuota()).isTrue();
    // No limit on bytes at all: the comparison must not overflow.
    MessageStore.Quota items = new MessageStore.Quota(3, Long.MAX_VALUE);
    assertThat(send(a, b.id(), "x".repeat(1000), 0, items).overQuota()).isFalse();
    assertThat(send(a, b.id(), "y", 0, items).overQuota()).isTrue();
    assertThat(undeliveredSeqs(b.id())).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aResendGivesItsNumberBackWithOrWithoutAQuota() {
    UserRecord a = user("ra");
    UserRecord b = user("rb");
    MessageStore.Quota wide = new MessageStore.Quota(100, 1 << 20);
    Appended first = send(a, b.id(), "once", 5, wide);
    Appended again = send(a, b.id(), "once", 5, wide);
    Appended plain = send(a, b.id(), "once", 5, MessageStore.Quota.NONE);
    assertThat(again.duplicate()).isTrue();
    assertThat(plain.duplicate()).isTrue();
    assertThat(again.message()).usingRecursiveComparison().isEqualTo(first.message());
    assertThat(plain.message()).usingRecursiveComparison().isEqualTo(first.message());
    assertThat(store.accounts().lastSeq(b.id())).isEqualTo(first.message().seq());
    Appended next = send(a, b.id(), "next", 6, wide);
    assertThat(next.message().seq()).isEqualTo(first.message().seq() + 1);
  }

  @Test
  void manySendersAndResendsAtOnceLeaveTheRecipientNumberedWithoutGaps() {
    UserRecord to = user("many-to");
    int senders = 6;
    int each = 30;
    List<UserRecord> from = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      from.add(user("many-" + s));
    }
    MessageStore.Quota wide = new MessageStore.Quota(100_000, 1L << 30);
    ConcurrentLinkedQueue<Appended> results = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (UserRecord f : from) {
      all.add(
          CompletableFuture.runAsync(
              () -> {
                for (int i = 1; i <= each; i++) {
                  // Every third message is sent twice, the resend with or without the quota.
                  MessageStore.Quota q = i % 2 == 0 ? wide : MessageStore.Quota.NONE;
                  results.add(send(f, to.id(), f.name() + ":" + i, i, q));
                  if (i % 3 == 0) {
                    results.add(send(f, to.id(), f.name() + ":" + i, i, wide));
                  }
                }
              }));
    }
    all.forEach(CompletableFuture::join);
    long stored = results.stream().filter(r -> !r.duplicate()).count();
    assertThat(stored).isEqualTo((long) senders * each);
    assertThat(results.stream().filter(Appended::duplicate).count()).isEqualTo(senders * each / 3);
    assertThat(undeliveredSeqs(to.id()))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, stored).boxed().toList());
    assertThat(store.accounts().lastSeq(to.id())).isEqualTo(stored);
  }

  @Test
  void aMessageToNoSuchUserIsRefusedAndStoresNothing() {
    UserRecord a = user("lonely");
    assertThatThrownBy(() -> send(a, a.id() + 1000, "x", 0, MessageStore.Quota.NONE))
        .hasRootCauseInstanceOf(java.sql.SQLException.class);
    assertThatThrownBy(() -> send(a, a.id() + 1000, "x", 3, new MessageStore.Quota(5, 100)))
        .hasRootCauseInstanceOf(java.sql.SQLException.class);
    assertThat(store.messages().undelivered(a.id() + 1000, 0, 10, Long.MAX_VALUE)).isEmpty();
  }
}
