// Where the stored items of the lossless-delivery extension stand (PROTOCOL.md 8.3): the Seq of
// the last one received (C_RESUME names it), the numbers seen (a repeat is dropped: a set of
// recent numbers, not only the highest, since items need not come in order), and the C_ACK due.

/** How long acknowledgements wait to go as one (the last item received names them all). */
const ACK_DELAY_MS = 20;
/** How many recent numbers are remembered. */
const SEEN_MAX = 1000;

export class StoredItems {
  /** @param {(seq: number) => void} sendAck sends C_ACK(seq) on the current connection */
  constructor(sendAck) {
    this.sendAck = sendAck;
    this.lastSeq = 0;
    this.seen = new Set();
    this.ackDue = null;
    this.ackTimer = null;
  }

  /** Takes up what a tab kept ({lastSeq, seen}), or starts afresh with null. */
  restore(kept) {
    this.lastSeq = kept?.lastSeq ?? 0;
    this.seen = new Set(kept?.seen ?? []);
  }

  /** Records item {@code seq} as received; true when it is new (to be handed on). */
  received(seq) {
    this.lastSeq = seq;
    if (this.seen.has(seq)) {
      return false;
    }
    this.seen.add(seq);
    if (this.seen.size > SEEN_MAX) {
      this.seen.delete(this.seen.values().next().value);
    }
    return true;
  }

  /** Acknowledges {@code seq} (and so everything received before it) shortly, once for a burst. */
  ackLater(seq) {
    this.ackDue = seq;
    if (!this.ackTimer) {
      this.ackTimer = setTimeout(() => {
        this.ackTimer = null;
        const due = this.ackDue;
        this.ackDue = null;
        if (due !== null) {
          this.sendAck(due);
        }
      }, ACK_DELAY_MS);
    }
  }

  /** The connection is gone: what was not acknowledged comes again. */
  dropAck() {
    clearTimeout(this.ackTimer);
    this.ackTimer = null;
    this.ackDue = null;
  }
}
