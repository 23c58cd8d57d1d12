package imps.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.server.store.StoreException;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Review finding L10: a store that cannot start names its database, never its password. */
class PostgresStoreSecretsTest {

  @Test
  void anUnreachableDatabaseIsReportedWithoutTheSecrets() {
    assertThatThrownBy(
            () ->
                PostgresStore.open(
                    "jdbc:postgresql://127.0.0.1:1/imps?password=urlsecret&connectTimeout=1",
                    "imps",
                    "pgsecret",
                    1,
                    1,
                    8,
                    Clock.systemUTC()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("127.0.0.1:1/imps")
        .hasMessageNotContaining("urlsecret")
        .hasMessageNotContaining("pgsecret");
  }
}
