package imps.client.cli;

import imps.client.MessageReceipt;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The state of the chat's own messages, one line per change: each message gets a number when it
 * goes out ({@code #3 to bob: sent}), and is then reported {@code stored} (the server has it),
 * {@code delivered} (bob's client has it) and {@code read} (bob has seen it), from the send's
 * acknowledgement and from the receipts. A legacy connection has no receipts: its messages end at
 * stored. Thread-safe: sends come from the input thread, acknowledgements and receipts from the
 * client's event thread.
 */
final class OutgoingMessages {
  /** The states after sent, in order; a message is reported once per state it reaches. */
  private enum State {
    SENT,
    STORED,
    DELIVERED,
    READ
  }

  private static final class Tracked {
    final int number;
    final String to;
    long id;
    State state = State.SENT;

    Tracked(int number, String to) {
      this.number = number;
      this.to = to;
    }
  }

  private final Consumer<String> out;
  private final Map<Integer, Tracked> open = new LinkedHashMap<>(); // by number, in send order
  // The highest message id each peer's receipts covered, per status, for receipts that come
  // before the send's own acknowledgement.
  private final Map<String, Long> deliveredUpTo = new HashMap<>();
  private final Map<String, Long> readUpTo = new HashMap<>();
  private int last;

  OutgoingMessages(Consumer<String> out) {
    this.out = out;
  }

  /** A message to {@code to} went out; returns its number. */
  synchronized int sent(String to) {
    Tracked t = new Tracked(++last, to);
    open.put(t.number, t);
    print(t);
    return t.number;
  }

  /** The server stored message {@code number}; {@code id} is its client id (0: no receipts). */
  synchronized void stored(int number, long id) {
    Tracked t = open.get(number);
    if (t == null) {
      return;
    }
    t.id = id;
    advance(t, State.STORED);
    if (id == 0) {
      open.remove(number);
      return;
    }
    String key = key(t.to);
    long read = readUpTo.getOrDefault(key, 0L);
    if (id <= deliveredUpTo.getOrDefault(key, 0L) || id <= read) {
      advance(t, State.DELIVERED);
    }
    if (id <= read) {
      advance(t, State.READ);
      open.remove(number);
    }
  }

  /** Message {@code number} was not sent or not stored. */
  synchronized void failed(int number) {
    open.remove(number);
  }

  /** A receipt: every covered message reaches its status. */
  synchronized void receipt(MessageReceipt r) {
    String key = key(r.peer());
    State to = r.status() == MessageReceipt.Status.READ ? State.READ : State.DELIVERED;
    (to == State.READ ? readUpTo : deliveredUpTo).merge(key, r.upToMessageId(), Math::max);
    for (Iterator<Tracked> it = open.values().iterator(); it.hasNext(); ) {
      Tracked t = it.next();
      if (t.id > 0 && r.covers(t.to, t.id)) {
        if (to == State.READ && t.state.compareTo(State.DELIVERED) < 0) {
          advance(t, State.DELIVERED); // a read receipt means delivered too
        }
        advance(t, to);
        if (t.state == State.READ) {
          it.remove();
        }
      }
    }
  }

  private void advance(Tracked t, State s) {
    if (s.compareTo(t.state) > 0) {
      t.state = s;
      print(t);
    }
  }

  private void print(Tracked t) {
    out.accept("#" + t.number + " to " + t.to + ": " + t.state.name().toLowerCase(Locale.ROOT));
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
