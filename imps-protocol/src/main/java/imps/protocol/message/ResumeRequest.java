package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_RESUME} (36): logs in with the session token of an earlier login instead of the
 * password, and says which stored items the client already has. Answered like {@code C_LOGIN_REQ}.
 *
 * @param lastSeq the highest sequence number the client has (0 for none)
 */
public record ResumeRequest(String userName, String token, long lastSeq) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_RESUME;
  }

  /** Never shows the token: requests end up in logs. */
  @Override
  public String toString() {
    return "ResumeRequest[userName=" + userName + ", token=<redacted>, lastSeq=" + lastSeq + "]";
  }
}
