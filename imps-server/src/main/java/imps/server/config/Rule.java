package imps.server.config;

import java.time.Duration;
import java.util.List;

/**
 * What a setting accepts beyond its type (a range, a set of values). Separate from parsing so that
 * a value from text and a typed value given to {@link ServerConfig.Builder#with} pass the same
 * check.
 */
@FunctionalInterface
interface Rule<T> {

  /**
   * @param key the setting's key, to name in the message
   * @param shown the value as its source wrote it (text form for a typed value)
   * @return {@code null} if the value is accepted, otherwise the whole error message
   */
  String refusal(String key, T value, String shown);

  static <T> Rule<T> any() {
    return (key, value, shown) -> null;
  }

  static Rule<Integer> between(int min, int max) {
    return (key, value, shown) ->
        value >= min && value <= max
            ? null
            : ConfigException.invalidValue(key, shown, "expected " + min + ".." + max);
  }

  static Rule<Duration> positive() {
    return (key, value, shown) ->
        value.isZero() || value.isNegative() ? key + " must be positive, got " + shown : null;
  }

  static Rule<Duration> notNegative() {
    return (key, value, shown) ->
        value.isNegative() ? key + " must not be negative, got " + shown : null;
  }

  static Rule<Duration> atMost(Duration max) {
    return (key, value, shown) ->
        value.isNegative() || value.compareTo(max) > 0
            ? ConfigException.invalidValue(key, shown, "expected 0.." + max.toMillis() + "ms")
            : null;
  }

  static Rule<String> oneOf(List<String> allowed) {
    return (key, value, shown) ->
        allowed.contains(value)
            ? null
            : ConfigException.invalidValue(
                key, shown, "expected one of " + String.join(", ", allowed));
  }
}
