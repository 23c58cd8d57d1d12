package imps.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one run measured: settings, environment, flat named metrics (units in the names: {@code
 * _ms}, {@code _per_s}, {@code _mib}, {@code _pct}), optional per-trial rows and notes. Written as
 * JSON and printed as a table.
 */
public final class Result {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, Object> root = new LinkedHashMap<>();
  private final Map<String, Object> settings = new LinkedHashMap<>();
  private final Map<String, Object> environment = new LinkedHashMap<>();
  private final Map<String, Number> metrics = new LinkedHashMap<>();
  private final List<Map<String, Object>> trials = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public Result(String scenario) {
    root.put("scenario", scenario);
    root.put("started_at", java.time.OffsetDateTime.now().withNano(0).toString());
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

  public void write(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    JSON.writeValue(file.toFile(), root);
  }

  /** Prints the readable end-of-run table. */
  public void print(PrintStream out) {
    out.println();
    out.println("== " + scenario() + " " + settings);
    if (!trials.isEmpty()) {
      out.println("trials:");
      for (Map<String, Object> t : trials) {
        StringBuilder sb = new StringBuilder("  ");
        t.forEach((k, v) -> sb.append(k).append('=').append(format(v)).append("  "));
        out.println(sb.toString().stripTrailing());
      }
    }
    int width = metrics.keySet().stream().mapToInt(String::length).max().orElse(10);
    for (Map.Entry<String, Number> e : metrics.entrySet()) {
      out.printf(Locale.ROOT, "  %-" + width + "s  %14s%n", e.getKey(), format(e.getValue()));
    }
    for (String n : notes) {
      out.println("note: " + n);
    }
  }

  static String format(Object v) {
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d)) {
        return "-";
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return String.format(Locale.ROOT, "%,d", (long) d);
      }
      return String.format(Locale.ROOT, Math.abs(d) >= 100 ? "%,.1f" : "%.3f", d);
    }
    if (v instanceof Long || v instanceof Integer) {
      return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
    }
    return String.valueOf(v);
  }
}
