package imps.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * Migration V1_1 on one database: accounts registered under the old name keys (upper then lower
 * case) get the keys {@link NameRules#key} gives now, except one that would collide.
 */
final class NameKeyMigrationCheck {
  /** Registered in this order; each gets the key the code before V1_1 gave it. */
  private static final List<String> NAMES =
      List.of(
          "alice",
          "straße",
          "straẞe", // collides with straße under the new key: keeps its old one
          "weiẞ",
          "\uAB70\uAB71", // Cherokee small letters
          "\u13A3\u13A4x", // Cherokee capital letters
          "\u115Fbob", // a Hangul filler
          "Ꭰ\u1160ẞ");

  private NameKeyMigrationCheck() {}

  /** The key as NameRules made it before ICU case folding. */
  static String oldKey(String name) {
    String n = Normalizer.normalize(name, Normalizer.Form.NFKC);
    n = n.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    return Normalizer.normalize(n, Normalizer.Form.NFKC);
  }

  static void check(String url, String user, String location) throws SQLException {
    Flyway.configure().dataSource(url, user, "").locations(location).target("1").load().migrate();
    try (Connection c = DriverManager.getConnection(url, user, "")) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO users (name, name_key, password_hash, gender, email, created_at)"
                  + " VALUES (?, ?, 'x', 0, '', 0)")) {
        for (String name : NAMES) {
          ps.setString(1, name);
          ps.setString(2, oldKey(name));
          ps.executeUpdate();
        }
      }
      assertThat(keys(c).get("straẞe")).isEqualTo("straße");
    }
    Flyway.configure().dataSource(url, user, "").locations(location).load().migrate();
    try (Connection c = DriverManager.getConnection(url, user, "")) {
      Map<String, String> keys = keys(c);
      for (String name : NAMES) {
        if (name.equals("straẞe")) {
          assertThat(keys.get(name)).as(name).isEqualTo(oldKey(name));
        } else {
          assertThat(keys.get(name)).as(name).isEqualTo(NameRules.key(name));
        }
      }
      assertThat(keys.get("weiẞ")).isEqualTo("weiss");
      assertThat(keys.get("\u115Fbob")).isEqualTo("bob");
    }
  }

  private static Map<String, String> keys(Connection c) throws SQLException {
    Map<String, String> keys = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name, name_key FROM users");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        keys.put(rs.getString(1), rs.getString(2));
      }
    }
    return keys;
  }
}
