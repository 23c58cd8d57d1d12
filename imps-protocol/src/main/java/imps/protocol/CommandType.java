package imps.protocol;

/**
 * CMDTYPE numbers, as the original protocol sheet numbered the commands.
 *
 * <p>Names follow the sheet: {@code C_} commands are sent by clients, {@code S_} commands by the
 * server. Numbers from {@link #FIRST_EXTENSION} on are reserved for extensions.
 */
public final class CommandType {
  public static final int C_LOGIN_REQ = 1;
  public static final int S_LOGIN_RSP = 2;
  public static final int C_HEARTBEAT_REQ = 3;
  public static final int S_HEARTBEAT_RSP = 4;
  public static final int C_FRIENDLIST_REFURBISH_REQ = 5;
  public static final int S_FRIENDLIST_REFURBISH_RSP = 6;
  public static final int C_ADDFRIEND_REQ = 7;
  public static final int C_ADDFRIEND_RSP = 8;
  public static final int S_ADDFRIEND_REQ = 9;
  public static final int S_ADDFRIEND_RSP = 10;
  public static final int C_SEND_MSG = 11;
  public static final int S_SEND_MSG = 12;
  public static final int C_STATUS_NOTIFY = 13;
  public static final int S_STATUS_NOTIFY = 14;
  public static final int C_REGISTER = 15;
  public static final int S_REGISTER = 16;
  public static final int S_ERROR_RSP = 17;
  public static final int C_AUDIO_REQ = 18;
  public static final int S_AUDIO_RSP = 19;

  /** The highest command number of the original sheet. */
  public static final int LAST_STANDARD = S_AUDIO_RSP;

  /** Command numbers from this one on are reserved for extensions. */
  public static final int FIRST_EXTENSION = 32;

  private static final String[] NAMES = {
    null,
    "C_LOGIN_REQ",
    "S_LOGIN_RSP",
    "C_HEARTBEAT_REQ",
    "S_HEARTBEAT_RSP",
    "C_FRIENDLIST_REFURBISH_REQ",
    "S_FRIENDLIST_REFURBISH_RSP",
    "C_ADDFRIEND_REQ",
    "C_ADDFRIEND_RSP",
    "S_ADDFRIEND_REQ",
    "S_ADDFRIEND_RSP",
    "C_SEND_MSG",
    "S_SEND_MSG",
    "C_STATUS_NOTIFY",
    "S_STATUS_NOTIFY",
    "C_REGISTER",
    "S_REGISTER",
    "S_ERROR_RSP",
    "C_AUDIO_REQ",
    "S_AUDIO_RSP"
  };

  private CommandType() {}

  /** Returns whether {@code cmd} is a command a client sends to the server. */
  public static boolean isClientToServer(int cmd) {
    return switch (cmd) {
      case C_LOGIN_REQ,
          C_HEARTBEAT_REQ,
          C_FRIENDLIST_REFURBISH_REQ,
          C_ADDFRIEND_REQ,
          C_ADDFRIEND_RSP,
          C_SEND_MSG,
          C_STATUS_NOTIFY,
          C_REGISTER,
          C_AUDIO_REQ ->
          true;
      default -> false;
    };
  }

  /** The sheet's name of a command, or {@code "CMD_<n>"} for an unknown number. */
  public static String name(int cmd) {
    if (cmd > 0 && cmd < NAMES.length) {
      return NAMES[cmd];
    }
    return "CMD_" + cmd;
  }
}
