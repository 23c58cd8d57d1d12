package imps.protocol;

/** Presence status values, the same in every command that carries one. */
public final class Status {
  public static final int OFFLINE = 0;
  public static final int INVISIBLE = 1;
  public static final int ONLINE = 2;

  private Status() {}

  /** Returns whether {@code status} is one of the three defined values. */
  public static boolean isValid(int status) {
    return status >= OFFLINE && status <= ONLINE;
  }
}
