package imps.server.admin;

import imps.protocol.Presence;
import imps.server.account.AccountService;
import imps.server.account.NameRules;
import imps.server.account.SessionTokens;
import imps.server.cluster.SessionRouter;
import imps.server.dispatch.AccountDeletion;
import imps.server.store.AdminStore;
import imps.server.store.UserRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The admin commands on accounts: {@code users list}, {@code show}, {@code add}, {@code
 * set-password}, {@code ban}, {@code unban} and {@code delete}.
 *
 * <p>A banned account keeps its data; its password hash gets a leading {@code !} (as a locked
 * account in /etc/shadow), which no password matches, its session tokens are revoked and its
 * session closed. Unbanning removes the mark, so the old password works again.
 */
final class UserCommands {
  private static final String BANNED = "!";

  private final AdminStore store;
  private final AccountService accounts;
  private final AccountDeletion deletion;
  private final SessionTokens tokens;
  private final SessionRouter router;
  private final SessionCommands closer;

  /**
   * @param closer closes a user's session on whichever node it is (ban, delete)
   */
  UserCommands(
      AdminStore store,
      AccountService accounts,
      AccountDeletion deletion,
      SessionTokens tokens,
      SessionRouter router,
      SessionCommands closer) {
    this.store = store;
    this.accounts = accounts;
    this.deletion = deletion;
    this.tokens = tokens;
    this.router = router;
    this.closer = closer;
  }

  private static int integer(String name, String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": expected a whole number, got " + text);
    }
  }

  List<Map<String, Object>> list(Map<String, String> a) {
    int limit = a.containsKey("limit") ? integer("limit", a.get("limit")) : 100;
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit must be 1..10000");
    }
    String q = a.getOrDefault("q", "");
    String prefix = q.isEmpty() ? "" : NameRules.key(q);
    List<Map<String, Object>> out = new ArrayList<>();
    for (UserRecord u : store.listUsers(prefix, limit)) {
      out.add(summary(u));
    }
    return out;
  }

  private static Map<String, Object> summary(UserRecord u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", u.id());
    m.put("name", u.name());
    m.put("banned", u.passwordHash().startsWith(BANNED));
    return m;
  }

  /**
   * The account the {@code name} argument names.
   *
   * @throws AdminCommands.NotFoundException when there is none
   */
  static UserRecord user(AccountService accounts, Map<String, String> a) {
    String name = a.get("name");
    return accounts
        .find(name)
        .orElseThrow(() -> new AdminCommands.NotFoundException("no user named " + name));
  }

  private UserRecord user(Map<String, String> a) {
    return user(accounts, a);
  }

  Map<String, Object> show(Map<String, String> a) {
    UserRecord u = user(a);
    Map<String, Object> m = summary(u);
    m.put("email", u.email());
    m.put("gender", u.gender().name().toLowerCase(Locale.ROOT));
    m.put("status", u.statusPreference().name().toLowerCase(Locale.ROOT));
    // On any node, visible or invisible.
    m.put("online", router.hasSession(u.id()));
    m.put("location", u.sharedLocation());
    m.put("locationTime", u.sharedTime());
    return m;
  }

  Map<String, Object> add(Map<String, String> a) {
    Optional<UserRecord> created =
        accounts.create(a.get("name"), a.get("password"), a.getOrDefault("email", "")).join();
    if (created.isEmpty()) {
      throw new IllegalArgumentException("the name " + a.get("name") + " is taken");
    }
    return summary(created.get());
  }

  Map<String, Object> setPassword(Map<String, String> a) {
    UserRecord u = user(a);
    String hash = accounts.hashNewPassword(a.get("password")).join();
    boolean banned = u.passwordHash().startsWith(BANNED);
    store.setPasswordHash(u.id(), banned ? BANNED + hash : hash);
    accounts.forgetVerifiedPassword(u.id());
    tokens.revokeAll(u.id());
    return summary(accounts.findById(u.id()).orElseThrow());
  }

  Map<String, Object> ban(Map<String, String> a, boolean ban) {
    UserRecord u = user(a);
    String hash = u.passwordHash();
    boolean banned = hash.startsWith(BANNED);
    if (ban && !banned) {
      store.setPasswordHash(u.id(), BANNED + hash);
    } else if (!ban && banned) {
      store.setPasswordHash(u.id(), hash.substring(BANNED.length()));
    }
    int kicked = 0;
    if (ban) {
      accounts.forgetVerifiedPassword(u.id());
      tokens.revokeAll(u.id());
      kicked = closer.close(u);
    }
    Map<String, Object> m = summary(accounts.findById(u.id()).orElseThrow());
    m.put("kicked", kicked);
    return m;
  }

  Map<String, Object> delete(Map<String, String> a) {
    UserRecord u = user(a);
    boolean seenOnline = router.visibleStatus(u.id()) == Presence.ONLINE;
    AccountDeletion.Deleted d =
        deletion
            .delete(u, "admin", seenOnline)
            .orElseThrow(
                () -> new AdminCommands.NotFoundException("no user named " + a.get("name")));
    // Deleted first, so that no new login can slip in between; the sessions sign out as usual
    // (with no friends left to tell).
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", u.id());
    m.put("name", u.name());
    m.put("friendsTold", d.friendsTold());
    m.put("kicked", closer.close(u));
    return m;
  }
}
