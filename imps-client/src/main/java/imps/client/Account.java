package imps.client;

import imps.protocol.Gender;
import imps.protocol.Presence;
import java.util.Objects;

/**
 * The account a login opened, as registered.
 *
 * @param userName the name as registered (login accepts any case)
 * @param gender as given at registration
 * @param email as given at registration; empty when none was
 * @param status what the user logged in as: online, or invisible when that was the user's last
 *     choice (from any client); {@code null} when the server did not say (a legacy login)
 */
public record Account(String userName, Gender gender, String email, Presence status) {
  public Account {
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(gender, "gender");
    Objects.requireNonNull(email, "email");
  }

  /** An account from a login that did not say the status (a legacy login). */
  public Account(String userName, Gender gender, String email) {
    this(userName, gender, email, null);
  }
}
