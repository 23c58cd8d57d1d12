package imps.server.config;

import imps.server.limit.TokenBucket;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * A setting but for its description: its key, type, default, parser and rule, and the parsing and
 * checking every value goes through. {@link #described} adds the description and registers the
 * result as a {@link ServerConfig.Key}.
 */
record KeyDefinition<T>(
    String key,
    Class<T> type,
    T defaultValue,
    Function<String, ? extends T> parser,
    Rule<? super T> rule) {

  /** The key of this setting, registered in {@link ServerConfig.Key#all()} in the order made. */
  ServerConfig.Key<T> described(String description) {
    return ServerConfig.Key.register(this, description);
  }

  static KeyDefinition<String> text(String key, String defaultValue) {
    return new KeyDefinition<>(key, String.class, defaultValue, s -> s, Rule.any());
  }

  static KeyDefinition<Integer> integer(String key, int defaultValue, int min, int max) {
    return new KeyDefinition<>(
        key, Integer.class, defaultValue, Parsers::integer, Rule.between(min, max));
  }

  /** Durations must be positive. */
  static KeyDefinition<Duration> duration(String key, Duration defaultValue) {
    return new KeyDefinition<>(
        key, Duration.class, defaultValue, Parsers::duration, Rule.positive());
  }

  /** A rate written count/period, such as 30/1m; the count is also the burst. */
  static KeyDefinition<TokenBucket.Rate> rate(String key, long count, Duration per) {
    return new KeyDefinition<>(
        key, TokenBucket.Rate.class, TokenBucket.Rate.of(count, per), Parsers::rate, Rule.any());
  }

  static <E extends Enum<E>> KeyDefinition<E> choice(String key, E defaultValue) {
    Class<E> type = defaultValue.getDeclaringClass();
    return new KeyDefinition<>(
        key, type, defaultValue, s -> Parsers.enumValue(type, s), Rule.any());
  }

  /** A value as a config file writes it: the parser reads it back as the same value. */
  String text(T value) {
    if (value instanceof Duration d) {
      return Parsers.durationText(d);
    }
    if (value instanceof TokenBucket.Rate r) {
      return Parsers.rateText(r);
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    }
    return String.valueOf(value);
  }

  /** Parses and checks a value written as text; the error names the key and the text. */
  T parse(String text) {
    T value;
    try {
      value = Objects.requireNonNull(parser.apply(text.trim()));
    } catch (RuntimeException e) {
      throw new ConfigException(ConfigException.invalidValue(key, text, e.getMessage()));
    }
    return check(value, text);
  }

  /** Checks a typed value exactly as {@link #parse} checks a parsed one. */
  T check(T value) {
    if (!type.isInstance(value)) { // only reachable through raw types or null
      throw new ConfigException(
          ConfigException.invalidValue(
              key, String.valueOf(value), "expected " + type.getSimpleName()));
    }
    return check(value, text(value));
  }

  private T check(T value, String shown) {
    String refusal = rule.refusal(key, value, shown);
    if (refusal != null) {
      throw new ConfigException(refusal);
    }
    return value;
  }
}
