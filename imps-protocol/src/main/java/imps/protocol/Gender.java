package imps.protocol;

/** Gender values of {@code C_REGISTER} and {@code S_LOGIN_RSP}. */
public enum Gender {
  UNSPECIFIED(0),
  MALE(1),
  FEMALE(2);

  private static final Gender[] BY_VALUE = values();

  private final int value;

  Gender(int value) {
    this.value = value;
  }

  /** The gender byte. */
  public int value() {
    return value;
  }

  /** The gender of a byte, or {@code null} when the byte is not a defined gender. */
  public static Gender valueOf(int value) {
    return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
  }
}
