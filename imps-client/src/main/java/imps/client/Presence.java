package imps.client;

import imps.protocol.Status;

/** A presence status as carried on the wire (2 online, 1 invisible, 0 offline). */
public enum Presence {
  OFFLINE(Status.OFFLINE),
  INVISIBLE(Status.INVISIBLE),
  ONLINE(Status.ONLINE);

  private final int wire;

  Presence(int wire) {
    this.wire = wire;
  }

  /** The status byte. */
  public int wire() {
    return wire;
  }

  /** The presence for a status byte; unknown values read as {@link #OFFLINE}. */
  public static Presence of(int status) {
    return switch (status) {
      case Status.ONLINE -> ONLINE;
      case Status.INVISIBLE -> INVISIBLE;
      default -> OFFLINE;
    };
  }

  /** Lower-case name for display ("online", "invisible", "offline"). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
