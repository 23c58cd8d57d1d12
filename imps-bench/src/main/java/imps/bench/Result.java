package imps.bench;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run measured: settings, environment, flat named metrics (units in the names: {@code
 * _ms}, {@code _per_s}, {@code _mib}, {@code _pct}), optional per-trial rows and notes. {@link
 * ResultWriter} writes it as JSON and prints it as a table.
 */
public final class Result {
  private final Map<String, Object> root = new LinkedHashMap<>();
  private final Map<String, Object> settings = new LinkedHashMap<>();
  private final Map<String, Object> environment = new LinkedHashMap<>();
  private final Map<String, Number> metrics = new LinkedHashMap<>();
  private final List<Map<String, Object>> trials = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public Result(String scenario) {
    root.put("scenario", scenario);
    root.put("started_at", OffsetDateTime.now().withNano(0).toString());
    root.put("settings", settings);
    root.put("environment", environment);
    root.put("metrics", metrics);
    root.put("trials", trials);
    root.put("notes", notes);
  }

  public String scenario() {
    return (String) root.get("scenario");
  }

  public Result setting(String name, Object value) {
    settings.put(name, value);
    return this;
  }

  public Map<String, Object> settings() {
    return Collections.unmodifiableMap(settings);
  }

  public Result env(String name, Object value) {
    environment.put(name, value);
    return this;
  }

  public Result metric(String name, Number value) {
    metrics.put(name, value);
    return this;
  }

  /** A metric value, or NaN when absent. */
  public double get(String name) {
    Number n = metrics.get(name);
    return n == null ? Double.NaN : n.doubleValue();
  }

  public Map<String, Number> metrics() {
    return metrics;
  }

  public void trial(Map<String, Object> row) {
    trials.add(row);
  }

  public List<Map<String, Object>> trials() {
    return trials;
  }

  public void note(String text) {
    notes.add(text);
  }

  public List<String> notes() {
    return notes;
  }

  /** The whole result in the order of the JSON file: scenario, started_at, then the sections. */
  Map<String, Object> tree() {
    return Collections.unmodifiableMap(root);
  }
}
