package imps.server.dispatch;

import imps.server.account.AccountService;
import imps.server.account.SessionTokens;
import imps.server.store.UserRecord;

/**
 * Whether what a login checked (the password hash, a resume's token) still holds once the login has
 * taken over its user's session, and the session token a login gets: a ban, a password change or a
 * deletion that commits while a login is under way must not leave it logged in nor holding a token
 * (PROTOCOL.md 8.5). Blocking: every method reads the store, on a worker.
 */
final class LoginCredentials {
  private final AccountService accounts;
  private final SessionTokens tokens;

  LoginCredentials(AccountService accounts, SessionTokens tokens) {
    this.accounts = accounts;
    this.tokens = tokens;
  }

  /**
   * Whether {@code user}'s account still has the password hash the login checked: false once it was
   * banned (the hash gets a leading {@code !}), its password changed (by C_PASSWD or an operator)
   * or it was deleted.
   */
  boolean unchanged(UserRecord user) {
    return accounts
        .findById(user.id())
        .filter(u -> u.passwordHash().equals(user.passwordHash()))
        .isPresent();
  }

  /** Whether {@code token}, which a resume checked, still belongs to its user (not revoked). */
  boolean tokenStillOf(String token, UserRecord user) {
    return tokens.userOf(token).filter(id -> id == user.id()).isPresent();
  }

  /**
   * A new token for a login that proved {@code user}'s password, revoked at once if that password
   * is no longer the stored one: a password change (or a ban, or a deletion) that committed after
   * the check may have revoked the user's tokens before this one was stored, and it must not
   * outlive the change. The client then resumes with nothing and logs in again, as it would had the
   * change come a moment after the login.
   */
  String issueToken(UserRecord user) {
    String token = tokens.issue(user.id());
    if (!unchanged(user)) {
      tokens.revoke(token);
    }
    return token;
  }
}
