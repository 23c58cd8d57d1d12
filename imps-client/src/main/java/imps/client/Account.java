package imps.client;

import imps.protocol.Gender;
import java.util.Objects;

/**
 * The account a login opened, as registered.
 *
 * @param userName the name as registered (login accepts any case)
 * @param gender as given at registration
 * @param email as given at registration; empty when none was
 */
public record Account(String userName, Gender gender, String email) {
  public Account {
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(gender, "gender");
    Objects.requireNonNull(email, "email");
  }
}
