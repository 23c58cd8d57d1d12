package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonCompareTest {

  @TempDir Path dir;

  @Test
  void comparesMetricsPresentInBothAndJudgesTheDirection() throws Exception {
    Result old = new Result("chat");
    old.metric("delivered_per_s", 1000.0)
        .metric("e2e_p99_ms", 10.0)
        .metric("lost", 0)
        .metric("sent", 100)
        .metric("gone_metric", 1);
    Path f = dir.resolve("old.json");
    ResultWriter.writeJson(old, f);

    Result now = new Result("chat");
    now.metric("delivered_per_s", 1500.0)
        .metric("e2e_p99_ms", 12.0)
        .metric("lost", 0)
        .metric("sent", 150)
        .metric("new_metric", 3);
    List<JsonCompare.Row> rows = JsonCompare.compare(f, now);

    assertThat(rows)
        .extracting(JsonCompare.Row::name)
        .containsExactly("delivered_per_s", "e2e_p99_ms", "lost", "sent");
    JsonCompare.Row rate = rows.get(0);
    assertThat(rate.before()).isEqualTo(1000.0);
    assertThat(rate.after()).isEqualTo(1500.0);
    assertThat(rate.changePct()).isEqualTo(50.0);
    assertThat(rate.better()).isEqualTo(1);
    JsonCompare.Row p99 = rows.get(1);
    assertThat(p99.changePct()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(p99.better()).isEqualTo(-1); // latency went up: worse
    assertThat(rows.get(2).better()).isZero(); // unchanged
    assertThat(rows.get(3).better()).isZero(); // no direction
    assertThat(JsonCompare.missing(ResultWriter.JSON.readTree(f.toFile()), now.metrics()))
        .containsExactly("gone_metric");
    String table = JsonCompare.table(rows);
    assertThat(table)
        .contains("delivered_per_s")
        .contains("+50.0%")
        .contains("better")
        .contains("worse");
  }

  @Test
  void unexpectedAndMissingItemsAreWorseWhenMoreButExpectedCountsHaveNoDirection() {
    assertThat(JsonCompare.direction("unexpected")).isEqualTo(-1);
    assertThat(JsonCompare.direction("last_fix_missing")).isEqualTo(-1);
    assertThat(JsonCompare.direction("pushes_expected")).isZero();
    assertThat(JsonCompare.direction("pushes_per_s")).isEqualTo(1);
  }

  @Test
  void zeroBeforeIsNotADivisionByZero() throws Exception {
    Result old = new Result("x");
    old.metric("lost", 0);
    Path f = dir.resolve("o.json");
    ResultWriter.writeJson(old, f);
    Result now = new Result("x");
    now.metric("lost", 3);
    JsonCompare.Row r = JsonCompare.compare(f, now).get(0);
    assertThat(r.changePct()).isNaN();
    assertThat(r.better()).isEqualTo(-1);
    assertThat(JsonCompare.table(List.of(r))).contains("new");
  }

  @Test
  void resultFileIsJsonWithTheSections() throws Exception {
    Result r = new Result("presence");
    r.setting("users", 10).metric("notifications", 5L);
    r.note("hello");
    Path f = dir.resolve("r.json");
    ResultWriter.writeJson(r, f);
    String json = Files.readString(f);
    assertThat(ResultWriter.JSON.readTree(json).path("metrics").path("notifications").asLong())
        .isEqualTo(5);
    assertThat(json).contains("\"scenario\" : \"presence\"").contains("hello");
  }
}
