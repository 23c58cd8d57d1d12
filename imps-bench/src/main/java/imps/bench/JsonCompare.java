package imps.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Compares the metrics of a run with those of an earlier JSON result file. */
public final class JsonCompare {
  /** One metric in both runs. {@code better} is +1, -1 or 0 (no change or no direction). */
  public record Row(String name, double before, double after, double changePct, int better) {}

  private JsonCompare() {}

  public static List<Row> compare(Path oldFile, Result current) throws IOException {
    JsonNode old = ResultWriter.JSON.readTree(oldFile.toFile());
    return compare(old, current.metrics());
  }

  /** Rows for every metric present, as a number, in both. */
  public static List<Row> compare(JsonNode old, Map<String, Number> current) {
    List<Row> rows = new ArrayList<>();
    JsonNode oldMetrics = old.path("metrics");
    for (Map.Entry<String, Number> e : current.entrySet()) {
      JsonNode o = oldMetrics.get(e.getKey());
      if (o == null || !o.isNumber()) {
        continue;
      }
      double before = o.asDouble();
      double after = e.getValue().doubleValue();
      double change = before == 0 ? (after == 0 ? 0 : Double.NaN) : (after - before) / before * 100;
      int dir = direction(e.getKey());
      int better = after == before || dir == 0 ? 0 : (after > before) == (dir > 0) ? 1 : -1;
      rows.add(new Row(e.getKey(), before, after, change, better));
    }
    return rows;
  }

  /** Metrics in the old file that this run does not have. */
  public static List<String> missing(JsonNode old, Map<String, Number> current) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = old.path("metrics").fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!current.containsKey(k)) {
        out.add(k);
      }
    }
    return out;
  }

  /** +1 when higher is better, -1 when lower is better, 0 when it is neither. */
  static int direction(String name) {
    if (name.endsWith("_per_s") || name.equals("held") || name.endsWith("_held")) {
      return 1;
    }
    if (name.endsWith("_ms")
        || name.endsWith("_mib")
        || name.endsWith("_pct")
        || name.contains("lost")
        || name.contains("dup")
        || name.contains("reorder")
        || name.contains("error")
        || name.contains("unexpected")
        || name.contains("missing")) {
      return -1;
    }
    return 0;
  }

  public static String table(List<Row> rows) {
    int width = rows.stream().mapToInt(r -> r.name().length()).max().orElse(10);
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "  %-" + width + "s  %14s  %14s  %9s%n",
            "metric",
            "before",
            "after",
            "change"));
    for (Row r : rows) {
      String change =
          Double.isNaN(r.changePct())
              ? "new"
              : String.format(Locale.ROOT, "%+.1f%%", r.changePct());
      String mark = r.better() > 0 ? "  better" : r.better() < 0 ? "  worse" : "";
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-" + width + "s  %14s  %14s  %9s%s%n",
              r.name(),
              ResultWriter.format(r.before()),
              ResultWriter.format(r.after()),
              change,
              mark));
    }
    return sb.toString();
  }
}
