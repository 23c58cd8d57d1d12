package imps.server.store.sqlite;

import imps.server.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory and the database files are private to the server's user (review finding L4):
 * they hold password hashes, every message, the clips and 30 days of positions. A new directory is
 * made 0700, the database 0600 whatever the umask; SQLite gives its {@code -wal} and {@code -shm}
 * files the database file's mode. An existing database (or side file) open to others is narrowed to
 * 0600; an existing directory open to others is left alone (the operator may share it on purpose)
 * but warned about. On file systems without POSIX permissions nothing is changed.
 */
final class DataFiles {
  private static final Logger log = LoggerFactory.getLogger(DataFiles.class);
  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final String[] SIDE_FILES = {"-wal", "-shm", "-journal"};

  private DataFiles() {}

  /** Creates {@code dir} and the empty {@code database} in it if missing, owner-only. */
  static void makePrivate(Path dir, Path database) {
    try {
      if (Files.notExists(dir)) {
        createDirectories(dir);
      } else if (posix(dir) && openToOthers(Files.getPosixFilePermissions(dir))) {
        log.warn(
            "data directory {} is accessible to other users ({}); chmod 700 it",
            dir.toAbsolutePath(),
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
      }
      if (Files.notExists(database)) {
        if (posix(dir)) {
          Files.createFile(database, PosixFilePermissions.asFileAttribute(FILE));
        }
      } else {
        narrow(database);
      }
      for (String side : SIDE_FILES) {
        Path p = database.resolveSibling(database.getFileName() + side);
        if (Files.exists(p)) {
          narrow(p);
        }
      }
    } catch (IOException e) {
      throw new StoreException("cannot create data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void createDirectories(Path dir) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && Files.notExists(parent)) {
      Files.createDirectories(parent);
    }
    if (posix(dir)) {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
      Files.setPosixFilePermissions(dir, DIRECTORY); // whatever the umask
    } else {
      Files.createDirectory(dir);
    }
  }

  private static void narrow(Path file) throws IOException {
    if (!posix(file)) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    if (openToOthers(perms)) {
      Files.setPosixFilePermissions(file, FILE);
      log.info("{} was accessible to other users; made it 0600", file.toAbsolutePath());
    }
  }

  private static boolean openToOthers(Set<PosixFilePermission> perms) {
    for (PosixFilePermission p : perms) {
      if (!p.name().startsWith("OWNER_")) {
        return true;
      }
    }
    return false;
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
