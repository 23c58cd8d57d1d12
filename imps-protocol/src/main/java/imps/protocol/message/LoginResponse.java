package imps.protocol.message;

import imps.protocol.CommandType;
import imps.protocol.Gender;
import imps.protocol.Presence;

/**
 * {@code S_LOGIN_RSP} (2): login succeeded; the account as registered.
 *
 * <p>To a client that opted into extensions the server adds trailing fields: the status the user
 * last chose ({@code status}), and, with acknowledged delivery, a session token for {@code
 * C_RESUME} and how long it lasts. A legacy frame ends after Email: they are then {@code null},
 * {@code null} and 0.
 *
 * @param status [ext] online or invisible, or {@code null}
 * @param token [ext] the session token, or {@code null}
 * @param tokenTtlSeconds [ext] the token's lifetime from now, 0 when there is no token
 */
public record LoginResponse(
    String userName,
    Gender gender,
    String email,
    Presence status,
    String token,
    int tokenTtlSeconds)
    implements ImpsMessage {

  /** The reply as the sheet has it (no trailing fields). */
  public LoginResponse(String userName, Gender gender, String email) {
    this(userName, gender, email, null, null, 0);
  }

  /** Never shows the token: replies end up in logs. */
  @Override
  public String toString() {
    return "LoginResponse[userName="
        + userName
        + ", gender="
        + gender
        + ", email="
        + email
        + ", status="
        + status
        + (token == null ? "" : ", token=<redacted>, tokenTtlSeconds=" + tokenTtlSeconds)
        + "]";
  }

  @Override
  public CommandType commandType() {
    return CommandType.S_LOGIN_RSP;
  }
}
