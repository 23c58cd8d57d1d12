package imps.protocol;

/**
 * A presence status, the same in every command that carries one: what a user chose (online or
 * invisible; offline signs out) or what a friend sees (online or offline; an invisible user looks
 * offline).
 */
public enum Presence {
  OFFLINE(0),
  INVISIBLE(1),
  ONLINE(2);

  private static final Presence[] BY_VALUE = values();

  private final int value;

  Presence(int value) {
    this.value = value;
  }

  /** The status byte. */
  public int value() {
    return value;
  }

  /** The presence of a status byte, or {@code null} when the byte is not a defined status. */
  public static Presence valueOf(int value) {
    return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
  }

  /** What friends see of a user who chose this status: invisible looks offline. */
  public Presence seenByFriends() {
    return this == ONLINE ? ONLINE : OFFLINE;
  }

  /** Lower-case name for display ("online", "invisible", "offline"). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
