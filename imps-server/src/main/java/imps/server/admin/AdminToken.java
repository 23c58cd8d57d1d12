package imps.server.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer token of the admin API: {@code admin.token} when configured, else the file {@code
 * admin.token} in the data directory, made on first start with 32 random bytes and mode 0600 (the
 * directory 0700), so that only the server's user, and {@code ./imps admin} run as that user on the
 * same machine, can read it.
 */
public final class AdminToken {
  /** The token file's name in the data directory. */
  public static final String FILE = "admin.token";

  private final byte[] token;

  private AdminToken(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** The configured token, or the one in the data directory (made if missing). */
  public static AdminToken resolve(String configured, Path dataDir) throws IOException {
    if (!configured.isEmpty()) {
      return new AdminToken(configured);
    }
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      if (!Files.isDirectory(dataDir)) {
        try {
          Files.createDirectories(
              dataDir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
          Files.createDirectories(dataDir);
        }
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      try {
        try {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
          Files.createFile(file);
        }
        Files.writeString(file, fresh + "\n");
      } catch (FileAlreadyExistsException raced) {
        // another process made it first: use theirs
      }
    }
    return new AdminToken(read(file));
  }

  /** The token in a token file (what {@code ./imps admin} reads). */
  public static String read(Path file) throws IOException {
    return Files.readString(file).trim();
  }

  /** Whether {@code Authorization} carries this token ({@code Bearer ...}), in constant time. */
  public boolean accepts(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  @Override
  public String toString() {
    return "AdminToken[redacted]";
  }
}
