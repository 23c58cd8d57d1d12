package imps.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what one logger (and its children) logs while open; for tests of warnings. */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final Level level;
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  private LogCapture(String name, boolean debug) {
    logger = (Logger) LoggerFactory.getLogger(name);
    level = logger.getLevel();
    if (debug) {
      logger.setLevel(Level.DEBUG);
    }
    events.start();
    logger.addAppender(events);
  }

  /** Captures everything {@code type}'s logger logs, DEBUG included. */
  public static LogCapture of(Class<?> type) {
    return new LogCapture(type.getName(), true);
  }

  /** Captures what {@code loggerName} and its children log at their configured levels. */
  public static LogCapture atConfiguredLevels(String loggerName) {
    return new LogCapture(loggerName, false);
  }

  /** The formatted messages logged at WARN or above so far. */
  public List<String> warnings() {
    return events.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /** The formatted messages logged at ERROR so far, with their exceptions' messages. */
  public List<String> errors() {
    return events.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
        .map(
            e ->
                e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                        ? ""
                        : " " + e.getThrowableProxy().getMessage()))
        .toList();
  }

  /** Every formatted message so far, with the messages of attached exceptions. */
  public List<String> all() {
    return events.list.stream()
        .map(
            e ->
                e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                        ? ""
                        : " " + e.getThrowableProxy().getMessage()))
        .toList();
  }

  @Override
  public void close() {
    logger.detachAppender(events);
    logger.setLevel(level);
  }
}
