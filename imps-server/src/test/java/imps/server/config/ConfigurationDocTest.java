package imps.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.config.ServerConfig.Key;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/CONFIGURATION.md lists every setting with its default, in order, and nothing else. */
class ConfigurationDocTest {

  /** One row of the settings table: key, default and meaning, without the backticks. */
  record Row(String key, String defaultText, String meaning) {}

  private static List<Row> rows;

  @BeforeAll
  static void readTable() throws IOException {
    rows = new ArrayList<>();
    for (String line : Files.readAllLines(configurationDoc(), StandardCharsets.UTF_8)) {
      if (line.startsWith("| `")) {
        String[] cells = line.split("\\|", -1);
        assertThat(cells).as(line).hasSizeGreaterThanOrEqualTo(5);
        rows.add(new Row(unquote(cells[1]), unquote(cells[2]), cells[3].trim()));
      }
    }
  }

  @Test
  void everySettingIsDocumentedInOrderAndNoOtherIs() {
    assertThat(rows.stream().map(Row::key))
        .containsExactlyElementsOf(Key.all().stream().map(Key::key).toList());
  }

  @Test
  void everyDocumentedDefaultIsTheCodesDefault() {
    Map<String, String> documented = new LinkedHashMap<>();
    Map<String, String> actual = new LinkedHashMap<>();
    for (Row row : rows) {
      documented.put(row.key(), row.defaultText());
    }
    for (Key<?> k : Key.all()) {
      actual.put(k.key(), k.defaultText());
    }
    assertThat(documented).containsExactlyEntriesOf(actual);
  }

  @Test
  void everySettingHasAMeaning() {
    assertThat(rows).allSatisfy(row -> assertThat(row.meaning()).as(row.key()).isNotBlank());
  }

  private static String unquote(String cell) {
    String s = cell.trim();
    return s.length() >= 2 && s.startsWith("`") && s.endsWith("`")
        ? s.substring(1, s.length() - 1)
        : s;
  }

  /** The doc in the repository this test runs in, found from the working directory upwards. */
  private static Path configurationDoc() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path doc = dir.resolve("docs/CONFIGURATION.md");
      if (Files.isRegularFile(doc)) {
        return doc;
      }
    }
    throw new IllegalStateException(
        "docs/CONFIGURATION.md not found above " + Path.of("").toAbsolutePath());
  }
}
