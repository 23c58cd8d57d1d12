package imps.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The level of the server's own logs (logger {@code imps}) from {@code log.level}, set at start and
 * on every reload. Empty means the level the logging configuration gave it at start ({@code
 * IMPS_LOG_LEVEL} in logback.xml), which is remembered so that a reload can go back to it. Does
 * nothing when the logging backend is not Logback.
 */
final class LogLevel {
  private final Logger imps;
  private final Level atStart;

  LogLevel() {
    org.slf4j.Logger l = LoggerFactory.getLogger("imps");
    this.imps = l instanceof Logger logback ? logback : null;
    this.atStart = imps == null ? null : imps.getLevel();
  }

  /** Sets the level named by {@code setting} ({@code ""}: the level at start). */
  void apply(String setting) {
    if (imps != null) {
      imps.setLevel(setting.isEmpty() ? atStart : Level.toLevel(setting));
    }
  }
}
