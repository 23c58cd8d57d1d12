package imps.protocol;

/**
 * The commands and their CMDTYPE numbers, as the original protocol sheet numbered them.
 *
 * <p>Names follow the sheet: {@code C_} commands are sent by clients, {@code S_} commands by the
 * server. Numbers from {@link #FIRST_EXTENSION} on are reserved for extensions. Each constant owns
 * its wire value; ints appear only in the codec ({@link #value()}, {@link #valueOf(int)}).
 */
public enum CommandType {
  C_LOGIN_REQ(1),
  S_LOGIN_RSP(2),
  C_HEARTBEAT_REQ(3),
  S_HEARTBEAT_RSP(4),
  C_FRIENDLIST_REFURBISH_REQ(5),
  S_FRIENDLIST_REFURBISH_RSP(6),
  C_ADDFRIEND_REQ(7),
  C_ADDFRIEND_RSP(8),
  S_ADDFRIEND_REQ(9),
  S_ADDFRIEND_RSP(10),
  C_SEND_MSG(11),
  S_SEND_MSG(12),
  C_STATUS_NOTIFY(13),
  S_STATUS_NOTIFY(14),
  C_REGISTER(15),
  S_REGISTER(16),
  S_ERROR_RSP(17),
  C_AUDIO_REQ(18),
  S_AUDIO_RSP(19),

  // Extensions (docs/PROTOCOL.md, section 8): a client opts in per connection with C_HELLO.
  C_HELLO(32),
  S_HELLO(33),
  S_STORED(34),
  C_ACK(35),
  C_RESUME(36),
  S_RECEIPT(37),
  C_READ(38),
  // Friends and account (docs/PROTOCOL.md, section 8.5).
  C_UNFRIEND(39),
  S_FRIEND_REMOVED(40),
  C_BLOCK(41),
  C_BLOCKLIST_REQ(42),
  S_BLOCKLIST_RSP(43),
  C_PASSWD(44),
  C_DELETE_ACCOUNT(45),
  // History, live locations and tracks (section 8.6).
  C_HISTORY(47),
  S_HISTORY(48),
  C_LIVE_LOCATIONS(49),
  S_LOCATION(50),
  C_TRACK(51),
  S_TRACK(52),
  // Operator notices (section 8.7).
  S_NOTICE(53),
  // Unread counts (section 8.8).
  C_UNREAD_REQ(54),
  S_UNREAD_RSP(55);

  /** Command numbers from this one on are reserved for extensions. */
  public static final int FIRST_EXTENSION = 32;

  private static final CommandType[] BY_VALUE = new CommandType[256];

  static {
    for (CommandType t : values()) {
      if (BY_VALUE[t.value] != null) {
        throw new AssertionError("value already in use: " + t.value);
      }
      BY_VALUE[t.value] = t;
    }
  }

  private final int value;

  CommandType(int value) {
    this.value = value;
  }

  /** The CMDTYPE byte. */
  public int value() {
    return value;
  }

  /** Whether this command is an extension (CMDTYPE 32 or above), never sent to legacy clients. */
  public boolean isExtension() {
    return value >= FIRST_EXTENSION;
  }

  /** Whether clients send this command (a {@code C_} command). */
  public boolean isClientToServer() {
    return name().startsWith("C_");
  }

  /** The command of a CMDTYPE byte, or {@code null} when no command has that number. */
  public static CommandType valueOf(int value) {
    return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
  }

  /** The sheet's name of a CMDTYPE byte, or {@code "CMD_<n>"} for an unknown number (for logs). */
  public static String nameOf(int value) {
    CommandType t = valueOf(value);
    return t != null ? t.name() : "CMD_" + value;
  }
}
