package imps.server.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (Bouncy Castle), stored in the PHC string format {@code
 * $argon2id$v=19$m=19456,t=2,p=1$salt$hash}, so that the cost can be raised later and old hashes
 * still verify. Thread-safe, and slow on purpose: each call takes {@code m} KiB of heap and tens of
 * milliseconds of CPU, so callers run it on the {@link HashingPool}, which bounds how many run at
 * once by memory.
 */
public final class PasswordHasher {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final int memoryKib;
  private final int iterations;
  private final SecureRandom random = new SecureRandom();

  public PasswordHasher(int memoryKib, int iterations) {
    this.memoryKib = memoryKib;
    this.iterations = iterations;
  }

  /** The memory cost of new hashes, in KiB. */
  public int memoryKib() {
    return memoryKib;
  }

  /** The time cost (passes over the memory) of new hashes. */
  public int iterations() {
    return iterations;
  }

  /**
   * The memory cost, in KiB, that verifying {@code encoded} takes (an older hash may have been made
   * at another cost); {@code fallback} when it cannot be read.
   */
  static int memoryKibOf(String encoded, int fallback) {
    String[] parts = encoded.split("\\$");
    if (parts.length != 6) {
      return fallback;
    }
    for (String kv : parts[3].split(",")) {
      if (kv.startsWith("m=")) {
        try {
          return Integer.parseInt(kv.substring(2));
        } catch (NumberFormatException e) {
          return fallback;
        }
      }
    }
    return fallback;
  }

  /** A new salted hash of {@code password}. */
  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] h = argon2(password, salt, memoryKib, iterations, 1, HASH_BYTES);
    return "$argon2id$v=19$m="
        + memoryKib
        + ",t="
        + iterations
        + ",p=1$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(h);
  }

  /** Whether {@code password} matches {@code encoded}; false for an unreadable hash. */
  public boolean verify(String password, String encoded) {
    String[] parts = encoded.split("\\$");
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    // Anything before the first '$' (such as the '!' of an account an operator banned) fails.
    if (parts.length != 6 || !parts[0].isEmpty() || !parts[1].equals("argon2id")) {
      return false;
    }
    int m = 0;
    int t = 0;
    int p = 0;
    for (String kv : parts[3].split(",")) {
      String[] pair = kv.split("=");
      if (pair.length != 2) {
        return false;
      }
      int v = Integer.parseInt(pair[1]);
      switch (pair[0]) {
        case "m" -> m = v;
        case "t" -> t = v;
        case "p" -> p = v;
        default -> {
          return false;
        }
      }
    }
    byte[] salt = B64D.decode(parts[4]);
    byte[] expected = B64D.decode(parts[5]);
    byte[] actual = argon2(password, salt, m, t, p, expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  private byte[] argon2(String password, byte[] salt, int m, int t, int p, int length) {
    Argon2Parameters params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(m)
            .withIterations(t)
            .withParallelism(p)
            .withSalt(salt)
            .build();
    byte[] out = new byte[length];
    // init allocates the whole m-KiB memory block at once; the HashingPool's memory permits cover
    // the call.
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params);
    gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
