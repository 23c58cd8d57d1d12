package imps.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.server.store.AddRequestResult;
import imps.server.store.NewUser;
import imps.server.store.PostgresTestDatabase;
import imps.server.store.UserRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What only PostgreSQL has to get right: several servers (stores) writing one database at once, and
 * a writer connection that the database drops.
 */
class PostgresMultiWriterIT {
  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();

  private static PostgresStore open() {
    return db.openStore(Clock.systemUTC());
  }

  @Test
  void crossedRequestsOnTwoServersAlwaysEndAsFriends() throws Exception {
    try (PostgresStore s1 = open();
        PostgresStore s2 = open()) {
      int pairs = 40;
      List<long[]> ids = new ArrayList<>();
      for (int i = 0; i < pairs; i++) {
        long a = mk(s1, "cross_a" + i).id();
        long b = mk(s1, "cross_b" + i).id();
        ids.add(new long[] {a, b});
      }
      CyclicBarrier start = new CyclicBarrier(2);
      CompletableFuture<List<AddRequestResult>> f1 =
          CompletableFuture.supplyAsync(() -> run(start, s1, ids, false));
      CompletableFuture<List<AddRequestResult>> f2 =
          CompletableFuture.supplyAsync(() -> run(start, s2, ids, true));
      List<AddRequestResult> r1 = f1.get();
      List<AddRequestResult> r2 = f2.get();
      for (int i = 0; i < pairs; i++) {
        long a = ids.get(i)[0];
        long b = ids.get(i)[1];
        // Exactly one side stored a request and the other saw it and made them friends.
        assertThat(List.of(r1.get(i), r2.get(i)))
            .as("pair %d", i)
            .satisfiesExactlyInAnyOrder(
                r ->
                    assertThat(r)
                        .isInstanceOfSatisfying(
                            AddRequestResult.Pending.class, p -> assertThat(p.created()).isTrue()),
                r -> assertThat(r).isInstanceOf(AddRequestResult.Mutual.class));
        assertThat(s1.friends().areFriends(a, b)).isTrue();
        assertThat(s2.friends().pendingFor(a)).isEmpty();
        assertThat(s2.friends().pendingFor(b)).isEmpty();
      }
    }
  }

  private static List<AddRequestResult> run(
      CyclicBarrier start, PostgresStore s, List<long[]> ids, boolean reverse) {
    try {
      start.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    List<AddRequestResult> out = new ArrayList<>();
    for (long[] p : ids) {
      out.add(
          reverse
              ? s.friends().addRequest(p[1], p[0], 500)
              : s.friends().addRequest(p[0], p[1], 500));
    }
    return out;
  }

  @Test
  void writesGoOnAfterTheDatabaseDropsTheWriterConnection() throws Exception {
    try (PostgresStore s = open()) {
      UserRecord u = mk(s, "survivor");
      try (Connection c = DriverManager.getConnection(db.url(), PostgresTestDatabase.USER, "");
          Statement st = c.createStatement()) {
        st.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE application_name = 'imps-writer' AND datname = current_database()");
      }
      s.accounts().setStatusPreference(u.id(), Presence.INVISIBLE);
      assertThat(s.accounts().findById(u.id()).orElseThrow().statusPreference())
          .isEqualTo(Presence.INVISIBLE);
    }
  }

  private static UserRecord mk(PostgresStore s, String name) {
    return s.accounts()
        .create(new NewUser(name, name, "h", Gender.UNSPECIFIED, "x@y.z"))
        .orElseThrow();
  }
}
