package imps.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many messages and clips from each friend the user has not read yet ({@link
 * ImpsClient#unread}, docs/PROTOCOL.md 8.8): counted by the server from the user's read marks, so
 * the same on every device.
 *
 * @param asOfSeq the user's last stored item when the server counted: every counted message has a
 *     sequence number up to this one, so one received later with a higher {@link
 *     ReceivedMessage#seq()} is not in the counts, and {@code markRead(friend, asOfSeq)} marks all
 *     of that friend's counted messages read
 * @param byFriend the friends with unread messages, as registered, in name order, each with how
 *     many (at most 1,000: 1,000 means 1,000 or more); a friend with none is not listed. An
 *     unmodifiable copy is kept, in the same order
 */
public record UnreadCounts(long asOfSeq, Map<String, Integer> byFriend) {
  public UnreadCounts {
    byFriend = Collections.unmodifiableMap(new LinkedHashMap<>(byFriend));
  }

  /** The unread count of {@code friend}, named in any case; 0 when not listed. */
  public int count(String friend) {
    Integer n = byFriend.get(friend);
    if (n != null) {
      return n;
    }
    return byFriend.entrySet().stream()
        .filter(e -> Correlator.sameName(e.getKey(), friend))
        .mapToInt(Map.Entry::getValue)
        .findFirst()
        .orElse(0);
  }

  /** The sum of all counts. */
  public int total() {
    return byFriend.values().stream().mapToInt(Integer::intValue).sum();
  }
}
