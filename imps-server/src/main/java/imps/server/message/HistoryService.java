package imps.server.message;

import imps.protocol.ErrorCode;
import imps.protocol.Limits;
import imps.protocol.codec.HistoryCodecs;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.HistoryPage;
import imps.protocol.message.HistoryRequest;
import imps.server.account.AccountService;
import imps.server.account.UserRef;
import imps.server.error.RequestException;
import imps.server.store.HistorySlice;
import imps.server.store.MessageStore;
import imps.server.store.StoredMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversation history (docs/PROTOCOL.md 8.6, decision 30): pages of the messages between a user
 * and one peer, both directions, by message number; each page fits one frame. Blocks on the store:
 * call it on the blocking pool.
 */
public final class HistoryService {
  private final MessageStore messages;
  private final AccountService accounts;
  private final Clock clock;
  private final Duration retention;

  /**
   * @param retention how far back history reaches ({@code history.retention})
   */
  public HistoryService(
      MessageStore messages, AccountService accounts, Clock clock, Duration retention) {
    this.messages = messages;
    this.accounts = accounts;
    this.clock = clock;
    this.retention = retention;
  }

  /**
   * The page {@code request} asks for, of {@code userId}'s conversation.
   *
   * @throws RequestException NO_SUCH_USER when the peer does not exist
   */
  public HistoryPage page(long userId, HistoryRequest request) {
    UserRef peer =
        accounts
            .lookup(request.peer())
            .orElseThrow(() -> new RequestException(ErrorCode.NO_SUCH_USER, "history"));
    int max =
        request.maxItems() <= 0 || request.maxItems() > HistoryRequest.MAX_ITEMS
            ? HistoryRequest.MAX_ITEMS
            : request.maxItems();
    int budget = Limits.MAX_CONTENT_LENGTH - HistoryCodecs.pageOverhead(peer.name());
    HistorySlice slice =
        messages.history(
            userId,
            peer.id(),
            request.fromId(),
            request.newer(),
            max,
            budget,
            clock.millis() - retention.toMillis());
    // The store's budget is an upper bound of the entries' sizes; the exact one decides here, so
    // the page always fits one frame.
    List<HistoryPage.Entry> entries = new ArrayList<>(slice.messages().size());
    boolean more = slice.more();
    int used = 0;
    for (StoredMessage m : slice.messages()) {
      HistoryPage.Entry e = entry(userId, m);
      used += HistoryCodecs.entryLength(e);
      if (used > budget) {
        more = true;
        break;
      }
      entries.add(e);
    }
    return new HistoryPage(peer.name(), more, entries);
  }

  private static HistoryPage.Entry entry(long userId, StoredMessage m) {
    boolean outgoing = m.senderId() == userId;
    return m.isAudio()
        ? HistoryPage.Entry.clip(m.id(), outgoing, m.acceptedAt(), ClipBytes.copyOf(m.audio()))
        : HistoryPage.Entry.text(m.id(), outgoing, m.acceptedAt(), m.text());
  }
}
