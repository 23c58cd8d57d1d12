"""What storing one message costs SQLite, by schema: docs/BENCHMARKS.md, "2026-11-30: the throughput
regression". Runs the statements the server runs for a legacy text message (quota check, sequence
number, insert; then the delivery mark) on a copy of an IMPS database, in transactions of BATCH
messages with synchronous=FULL, and prints messages per second and CPU per message.

usage: python3 sqlite_index_cost.py IMPS_DB SCHEMA [N] [BATCH]
  IMPS_DB  an imps.db with users named bc_* (made by ./imps bench chat); it is copied, not changed
  SCHEMA   v6: the statements before V9 (quota reads the bodies); v9: after (quota from the index)
"""
import random, shutil, sqlite3, sys, time

src, schema = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 200
shutil.copy(src, "/tmp/imps-index-cost.db")
c = sqlite3.connect("/tmp/imps-index-cost.db", isolation_level=None)
for p in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
    c.execute("PRAGMA " + p)
users = [r[0] for r in c.execute("SELECT id FROM users WHERE name LIKE 'bc_%' ORDER BY id")][:1000]
quota = {
    "v6": "SELECT COUNT(*), COALESCE(SUM(COALESCE(LENGTH(body_text), 0)"
    " + COALESCE(LENGTH(body_audio), 0)), 0) FROM messages",
    "v9": "SELECT COUNT(*), COALESCE(SUM(body_bytes), 0) FROM messages",
}[schema] + (" WHERE recipient_id = ? AND delivered = 0"
             " AND seq > (SELECT acked_seq FROM users WHERE id = ?)")
size_col = ", body_bytes" if schema == "v9" else ""
size_val = ", ?" if schema == "v9" else ""
insert = ("INSERT INTO messages (sender_id, recipient_id, body_text, body_audio, accepted_at,"
          " delivered, seq, client_id, created_at, receipts" + size_col + ")"
          " VALUES (?, ?, ?, NULL, ?, 0, ?, NULL, ?, 0" + size_val + ") RETURNING id")
random.seed(1)
t0, cpu0 = time.perf_counter(), time.process_time()
for b in range(n // batch):
    c.execute("BEGIN IMMEDIATE")
    ids = []
    for i in range(batch):
        k = random.randrange(len(users) // 2) * 2
        s, r = users[k], users[k + 1]
        c.execute(quota, (r, r)).fetchall()
        seq = c.execute("UPDATE users SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq",
                        (r,)).fetchone()[0]
        text = "hello there, message %d" % i
        args = [s, r, text, "20261130105000", seq, int(time.time() * 1000)]
        if schema == "v9":
            args.append(len(text.encode()))
        ids.append(c.execute(insert, args).fetchone()[0])
    c.execute("COMMIT")
    c.execute("BEGIN IMMEDIATE")
    c.executemany("UPDATE messages SET delivered = 1 WHERE id = ?", [(i,) for i in ids])
    c.execute("COMMIT")
t, cpu = time.perf_counter() - t0, time.process_time() - cpu0
print("%s: %.0f msgs/s, %.1f us CPU per message (%d messages, %d per commit)"
      % (schema, n / t, cpu / n * 1e6, n, batch))
