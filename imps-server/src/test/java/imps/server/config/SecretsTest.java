package imps.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Review findings L6 and L10: secrets in URLs never reach a log line or an error message. */
class SecretsTest {

  @Test
  void passwordsInUrlsAreMasked() {
    assertThat(
            Secrets.redactUri("jdbc:postgresql://db:5432/imps?user=imps&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/imps?user=imps&password=****&ssl=true");
    assertThat(Secrets.redactUri("jdbc:postgresql://db/imps?PASSWORD=s3cret"))
        .isEqualTo("jdbc:postgresql://db/imps?PASSWORD=****");
    assertThat(Secrets.redactUri("redis://:s3cret@redis:6379/0"))
        .isEqualTo("redis://:****@redis:6379/0");
    assertThat(Secrets.redactUri("rediss://imps:s3cret@redis:6380"))
        .isEqualTo("rediss://imps:****@redis:6380");
    assertThat(Secrets.redactUri("redis://s3cret@redis")).isEqualTo("redis://****@redis");
    assertThat(Secrets.redactUri("redis://redis:6379?password=s3cret&timeout=2s"))
        .isEqualTo("redis://redis:6379?password=****&timeout=2s");
  }

  @Test
  void urlsWithoutSecretsStayAsTheyAre() {
    for (String url :
        new String[] {
          "jdbc:postgresql://127.0.0.1:5432/imps",
          "jdbc:postgresql://db/imps?ssl=true&sslmode=verify-full",
          "redis://127.0.0.1:6379",
          "",
        }) {
      assertThat(Secrets.redactUri(url)).isEqualTo(url);
    }
  }

  @Test
  void theDescriptionOfAConfigShowsNoSecret() {
    ServerConfig c =
        ServerConfig.builder()
            .set(ServerConfig.Key.POSTGRES_URL, "jdbc:postgresql://db/imps?password=urlsecret")
            .set(ServerConfig.Key.POSTGRES_PASSWORD, "pgsecret")
            .set(ServerConfig.Key.REDIS_URI, "redis://:redissecret@redis:6379")
            .build();
    assertThat(c.toString()).doesNotContain("urlsecret", "pgsecret", "redissecret");
    assertThat(c.describe().get("redis.uri")).isEqualTo("redis://:****@redis:6379");
  }
}
