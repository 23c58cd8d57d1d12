package imps.server.store;

import java.nio.file.Path;
import java.util.List;

/** What the admin commands ask of a store beyond the protocol's needs. */
public interface AdminStore {

  /**
   * Counts of what the store holds now: accounts, and the texts and clips kept (delivered ones
   * until {@code history.retention} purges them) with how many of each still wait for their
   * recipient.
   */
  record Counts(
      long users, long messages, long clips, long messagesUndelivered, long clipsUndelivered) {}

  Counts counts();

  /** Accounts whose name key starts with {@code keyPrefix} ("" for all), in key order. */
  List<UserRecord> listUsers(String keyPrefix, int limit);

  /** Replaces a user's password hash; false when there is no such user. */
  boolean setPasswordHash(long userId, String passwordHash);

  /**
   * Writes a consistent copy of the whole store to {@code file} while the server runs (it must not
   * exist yet).
   *
   * @throws UnsupportedOperationException where the database has its own tools (PostgreSQL:
   *     pg_dump, see docs/OPERATIONS.md)
   */
  void backup(Path file);

  /**
   * A client address block an operator banned.
   *
   * @param cidr its canonical CIDR text ({@code 203.0.113.0/24})
   * @param createdAt when it was banned, in epoch milliseconds
   */
  record AddressBan(String cidr, long createdAt) {}

  /** Every banned address block, in text order. */
  List<AddressBan> addressBans();

  /** Bans {@code cidr} (canonical text); false when it was banned already (nothing changes). */
  boolean addAddressBan(String cidr, long createdAt);

  /** Lifts the ban of {@code cidr} (canonical text); false when there was none. */
  boolean removeAddressBan(String cidr);
}
