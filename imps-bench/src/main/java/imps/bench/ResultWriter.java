package imps.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * The end of a run: the JSON result file (--out, or bench-results/SCENARIO-yyyyMMdd-HHmmss.json),
 * the table on stdout (unless --quiet), and the comparison with an earlier file (--compare).
 */
final class ResultWriter {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path out;
  private final Path compare;
  private final boolean quiet;
  private final PrintStream stdout;
  private final Clock clock;

  /**
   * @param out the result file, or null for the default name
   * @param compare an earlier result file to compare with, or null
   * @param quiet whether to leave out the table
   * @param clock names the default file
   */
  ResultWriter(Path out, Path compare, boolean quiet, PrintStream stdout, Clock clock) {
    this.out = out;
    this.compare = compare;
    this.quiet = quiet;
    this.stdout = stdout;
    this.clock = clock;
  }

  /** Writes the file, prints the table and the comparison; returns the file. */
  Path finish(Result r) throws IOException {
    Path file = file(r.scenario());
    writeJson(r, file);
    if (!quiet) {
      printTable(r, stdout);
      stdout.println("result: " + file.toAbsolutePath());
    }
    if (compare != null) {
      if (!Files.isReadable(compare)) {
        stdout.println("compare: cannot read " + compare);
      } else {
        stdout.println("compared with " + compare + ":");
        stdout.print(JsonCompare.table(JsonCompare.compare(compare, r)));
      }
    }
    return file;
  }

  /** The result file of a run of {@code scenario}. */
  Path file(String scenario) {
    if (out != null) {
      return out;
    }
    String ts = LocalDateTime.now(clock).format(FILE_TIME);
    return Path.of("bench-results", scenario + "-" + ts + ".json");
  }

  /** Writes {@code r} as indented JSON, creating the directory. */
  static void writeJson(Result r, Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    JSON.writeValue(file.toFile(), r.tree());
  }

  /** Prints the readable end-of-run table. */
  static void printTable(Result r, PrintStream out) {
    out.println();
    out.println("== " + r.scenario() + " " + r.settings());
    if (!r.trials().isEmpty()) {
      out.println("trials:");
      for (Map<String, Object> t : r.trials()) {
        StringBuilder sb = new StringBuilder("  ");
        t.forEach((k, v) -> sb.append(k).append('=').append(format(v)).append("  "));
        out.println(sb.toString().stripTrailing());
      }
    }
    Map<String, Number> metrics = r.metrics();
    int width = metrics.keySet().stream().mapToInt(String::length).max().orElse(10);
    for (Map.Entry<String, Number> e : metrics.entrySet()) {
      out.printf(Locale.ROOT, "  %-" + width + "s  %14s%n", e.getKey(), format(e.getValue()));
    }
    for (String n : r.notes()) {
      out.println("note: " + n);
    }
  }

  /** A value as the table shows it: "-" for NaN, thousands separators, 1 or 3 decimals. */
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
