package imps.server.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, written for the tests: it fails
 * on anything a Prometheus server would refuse or that the format leaves undefined (a sample
 * without a TYPE before it, a family split in two, a bad name, label or value, a duplicate series,
 * a histogram whose buckets are not cumulative or do not end in +Inf with the count).
 */
final class PrometheusText {
  /** One sample. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  final List<Sample> samples = new ArrayList<>();
  final Map<String, String> types = new LinkedHashMap<>();

  private PrometheusText() {}

  static PrometheusText parse(String text) {
    PrometheusText p = new PrometheusText();
    if (!text.endsWith("\n")) {
      throw new AssertionError("the text must end with a line feed");
    }
    Set<String> closedFamilies = new HashSet<>();
    Set<String> series = new HashSet<>();
    Set<String> helped = new HashSet<>();
    String current = null;
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      String where = "line " + lineNo + ": " + line;
      if (line.startsWith("#")) {
        String[] parts = line.split(" ", 4);
        if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
          String family = parts[2];
          check(NAME.matcher(family).matches(), where, "bad metric name");
          if (parts[1].equals("TYPE")) {
            check(parts.length == 4 && TYPES.contains(parts[3]), where, "bad type");
            check(!p.types.containsKey(family), where, "second TYPE for " + family);
            p.types.put(family, parts[3]);
          } else {
            check(helped.add(family), where, "second HELP for " + family);
          }
          if (!family.equals(current)) {
            check(!closedFamilies.contains(family), where, "family split: " + family);
            if (current != null) {
              closedFamilies.add(current);
            }
            current = family;
          }
        }
        continue;
      }
      Sample s = sample(line, where);
      String family = p.familyOf(s.name());
      check(family != null, where, "sample without a TYPE before it");
      if (!family.equals(current)) {
        check(!closedFamilies.contains(family), where, "family split: " + family);
        if (current != null) {
          closedFamilies.add(current);
        }
        current = family;
      }
      check(series.add(s.name() + s.labels()), where, "duplicate series");
      p.samples.add(s);
    }
    p.checkHistograms();
    return p;
  }

  private String familyOf(String sample) {
    if (types.containsKey(sample)) {
      return sample;
    }
    for (String suffix : List.of("_bucket", "_sum", "_count", "_created", "_total")) {
      if (sample.endsWith(suffix)) {
        String base = sample.substring(0, sample.length() - suffix.length());
        String t = types.get(base);
        if (t != null && (t.equals("histogram") || t.equals("summary") || t.equals("counter"))) {
          return base;
        }
      }
    }
    return null;
  }

  private static Sample sample(String line, String where) {
    Matcher m = NAME.matcher(line);
    check(m.lookingAt(), where, "bad sample name");
    String name = m.group();
    int i = m.end();
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        Matcher l = LABEL.matcher(line).region(i, line.length());
        check(l.lookingAt(), where, "bad label name");
        String label = l.group();
        i = l.end();
        check(line.startsWith("=\"", i), where, "label without =\"");
        i += 2;
        StringBuilder v = new StringBuilder();
        while (line.charAt(i) != '"') {
          char c = line.charAt(i++);
          if (c == '\\') {
            char e = line.charAt(i++);
            check(e == '\\' || e == '"' || e == 'n', where, "bad escape");
            v.append(e == 'n' ? '\n' : e);
          } else {
            v.append(c);
          }
        }
        i++;
        check(labels.put(label, v.toString()) == null, where, "label twice: " + label);
        if (line.charAt(i) == ',') {
          i++;
        } else {
          check(line.charAt(i) == '}', where, "expected , or }");
        }
      }
      i++;
    }
    check(i < line.length() && line.charAt(i) == ' ', where, "no space before the value");
    String[] rest = line.substring(i + 1).split(" ");
    check(rest.length == 1 || rest.length == 2, where, "value [timestamp] expected");
    double value = value(rest[0], where);
    if (rest.length == 2) {
      check(rest[1].matches("-?\\d+"), where, "bad timestamp");
    }
    return new Sample(name, labels, value);
  }

  private static double value(String text, String where) {
    switch (text) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        check(text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?"), where, "bad value");
        return Double.parseDouble(text);
    }
  }

  private void checkHistograms() {
    for (Map.Entry<String, String> t : types.entrySet()) {
      if (!t.getValue().equals("histogram")) {
        continue;
      }
      String h = t.getKey();
      Map<Map<String, String>, List<double[]>> buckets = new HashMap<>();
      Map<Map<String, String>, Double> counts = new HashMap<>();
      for (Sample s : samples) {
        Map<String, String> series = new LinkedHashMap<>(s.labels());
        if (s.name().equals(h + "_bucket")) {
          String le = series.remove("le");
          check(le != null, h, "bucket without le");
          buckets
              .computeIfAbsent(series, k -> new ArrayList<>())
              .add(new double[] {value(le, h), s.value()});
        } else if (s.name().equals(h + "_count")) {
          counts.put(series, s.value());
        }
      }
      check(!buckets.isEmpty(), h, "histogram without buckets");
      for (Map.Entry<Map<String, String>, List<double[]>> b : buckets.entrySet()) {
        List<double[]> list = b.getValue();
        for (int i = 1; i < list.size(); i++) {
          check(list.get(i)[0] > list.get(i - 1)[0], h, "bucket bounds not increasing");
          check(list.get(i)[1] >= list.get(i - 1)[1], h, "buckets not cumulative");
        }
        double[] last = list.get(list.size() - 1);
        check(last[0] == Double.POSITIVE_INFINITY, h, "last bucket is not +Inf");
        check(
            counts.containsKey(b.getKey()) && counts.get(b.getKey()) == last[1],
            h,
            "_count differs from the +Inf bucket");
      }
    }
  }

  private static void check(boolean ok, String where, String what) {
    if (!ok) {
      throw new AssertionError(what + " (" + where + ")");
    }
  }

  /** The value of the one sample with this name and these labels (among others). */
  double value(String name, Map<String, String> labels) {
    List<Sample> found =
        samples.stream()
            .filter(
                s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
            .toList();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples of " + name + labels);
    }
    return found.get(0).value();
  }
}
