package imps.protocol;

/** Gender values of {@code C_REGISTER} and {@code S_LOGIN_RSP}. */
public final class Gender {
  public static final int UNSPECIFIED = 0;
  public static final int MALE = 1;
  public static final int FEMALE = 2;

  private Gender() {}

  /** Returns whether {@code gender} is one of the three defined values. */
  public static boolean isValid(int gender) {
    return gender >= UNSPECIFIED && gender <= FEMALE;
  }
}
