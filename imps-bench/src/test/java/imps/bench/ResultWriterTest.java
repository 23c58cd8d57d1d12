package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultWriterTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-30T10:15:30Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream stdout = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static Result sample() {
    Result r = new Result("chat");
    r.setting("host", "127.0.0.1").setting("users", 4);
    r.env("cores", 2);
    r.metric("sent", 100L).metric("delivered_per_s", 1234.5).metric("e2e_p50_ms", 0.5);
    r.metric("e2e_p99_ms", Double.NaN);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("rate", 1000.0);
    row.put("pass", true);
    r.trial(row);
    r.note("hello");
    return r;
  }

  @Test
  void theDefaultFileIsNamedForTheScenarioAndTheTime() {
    ResultWriter w = new ResultWriter(null, null, false, stdout, CLOCK);
    assertThat(w.file("chat")).isEqualTo(Path.of("bench-results", "chat-20261130-101530.json"));
    Path given = dir.resolve("x.json");
    assertThat(new ResultWriter(given, null, false, stdout, CLOCK).file("chat")).isEqualTo(given);
  }

  @Test
  void writesTheJsonSectionsInOrderAndPrintsTheTable() throws Exception {
    Path file = dir.resolve("sub/r.json");
    Path written = new ResultWriter(file, null, false, stdout, CLOCK).finish(sample());

    assertThat(written).isEqualTo(file);
    JsonNode json = ResultWriter.JSON.readTree(file.toFile());
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactly(
            "scenario", "started_at", "settings", "environment", "metrics", "trials", "notes");
    assertThat(json.path("scenario").asText()).isEqualTo("chat");
    assertThat(json.path("settings").path("users").asInt()).isEqualTo(4);
    assertThat(json.path("metrics").path("sent").asLong()).isEqualTo(100);
    assertThat(json.path("trials").get(0).path("pass").asBoolean()).isTrue();
    assertThat(json.path("notes").get(0).asText()).isEqualTo("hello");

    assertThat(printed())
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                "",
                "== chat {host=127.0.0.1, users=4}",
                "trials:",
                "  rate=1,000  pass=true",
                "  sent                        100",
                "  delivered_per_s         1,234.5",
                "  e2e_p50_ms                0.500",
                "  e2e_p99_ms                    -",
                "note: hello",
                "result: " + file.toAbsolutePath(),
                ""));
  }

  @Test
  void quietWritesTheFileButPrintsNothing() throws Exception {
    Path file = dir.resolve("q.json");
    new ResultWriter(file, null, true, stdout, CLOCK).finish(sample());
    assertThat(file).exists();
    assertThat(printed()).isEmpty();
  }

  @Test
  void comparesWithAnEarlierFile() throws Exception {
    Result old = new Result("chat");
    old.metric("sent", 50L).metric("delivered_per_s", 1000.0);
    Path oldFile = dir.resolve("old.json");
    ResultWriter.writeJson(old, oldFile);

    new ResultWriter(dir.resolve("new.json"), oldFile, true, stdout, CLOCK).finish(sample());

    assertThat(printed())
        .startsWith("compared with " + oldFile + ":")
        .contains("metric", "before", "after", "change")
        .containsPattern("delivered_per_s +1,000 +1,234.5 +\\+23.5% +better");
  }

  @Test
  void saysSoWhenTheEarlierFileCannotBeRead() throws Exception {
    Path missing = dir.resolve("missing.json");
    new ResultWriter(dir.resolve("n.json"), missing, true, stdout, CLOCK).finish(sample());
    assertThat(printed()).isEqualTo("compare: cannot read " + missing + System.lineSeparator());
  }

  @Test
  void formatsNumbersForTheTable() {
    assertThat(ResultWriter.format(Double.NaN)).isEqualTo("-");
    assertThat(ResultWriter.format(5000.0)).isEqualTo("5,000");
    assertThat(ResultWriter.format(1234.56)).isEqualTo("1,234.6");
    assertThat(ResultWriter.format(12.3456)).isEqualTo("12.346");
    assertThat(ResultWriter.format(1234567L)).isEqualTo("1,234,567");
    assertThat(ResultWriter.format(7)).isEqualTo("7");
    assertThat(ResultWriter.format(true)).isEqualTo("true");
  }
}
