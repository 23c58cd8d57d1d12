package imps.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Users in cliques of F+1, so that each has exactly F friends: what the scenarios that fan out to
 * friends start from (presence, live-locations). User {@code i} is in clique {@code i / (F+1)}.
 */
final class Cliques {
  /** The users, a multiple of {@link #size}. */
  final int users;

  /** Users per clique, F+1. */
  final int size;

  private Cliques(int users, int size) {
    this.users = users;
    this.size = size;
  }

  /**
   * {@code users} rounded down to a multiple of F+1 (noted in {@code r} when it was not one).
   *
   * @throws IllegalArgumentException when F is not 1..499 or the users are not F+1..1,000,000
   */
  static Cliques of(int users, int friends, Result r) {
    if (friends < 1 || friends > 499) {
      throw new IllegalArgumentException("--friends must be 1..499");
    }
    int size = friends + 1;
    int u = users / size * size;
    if (u < size || u > 1_000_000) {
      throw new IllegalArgumentException("--users must be at least F+1 and at most 1000000");
    }
    if (u != users) {
      r.note("users rounded down from " + users + " to " + u + " (cliques of " + size + ")");
    }
    return new Cliques(u, size);
  }

  /** Each user's friends, F. */
  int friends() {
    return size - 1;
  }

  /** Whether users {@code a} and {@code b} are in the same clique. */
  boolean together(int a, int b) {
    return a / size == b / size;
  }

  /** Every pair of connections within a clique, once each. */
  List<Conn[]> pairs(Conn[] conns) {
    List<Conn[]> pairs = new ArrayList<>();
    for (int g = 0; g < users; g += size) {
      for (int a = g; a < g + size; a++) {
        for (int b = a + 1; b < g + size; b++) {
          pairs.add(new Conn[] {conns[a], conns[b]});
        }
      }
    }
    return pairs;
  }

  /**
   * Registers the users (phase {@code register}) and makes every clique's members friends (phase
   * {@code befriend}), one clique at a time on its own connections, which are closed when it is
   * done: each connection lives only as long as its clique takes, so none idles into the server's
   * idle timeout however long the whole setup takes. Every user logs in once, so their later logins
   * are cheap (the server remembers verified passwords).
   */
  void befriendByClique(RunContext run, Result r) throws SetupException {
    UserSetup setup = run.users();
    setup.register(r, "register", users);
    int cliques = users / size;
    Bounded b = Bounded.start(cliques, g -> befriendClique(run.client(), setup, g));
    run.progress().phase("befriend (cliques)", b::doneSoFar, b::failedSoFar);
    Bounded.Outcome o = b.await(Math.max(1, setup.inflight() / size), run.options().timeout());
    if (o.failed() > 0 || o.timedOut()) {
      throw new SetupException("making cliques of friends: " + o);
    }
  }

  private CompletableFuture<Void> befriendClique(BenchClient client, UserSetup setup, int g) {
    AnomalyCounter ignore = new AnomalyCounter();
    Conn[] conns = new Conn[size];
    CompletableFuture<?>[] logins = new CompletableFuture<?>[size];
    for (int k = 0; k < size; k++) {
      conns[k] = new Conn(k, setup.userName(g * size + k), ignore);
      logins[k] = client.connect(conns[k]).thenCompose(UserSetup::login);
    }
    CompletableFuture<Void> done =
        CompletableFuture.allOf(logins)
            .thenCompose(
                x -> {
                  List<CompletableFuture<Void>> fs = new ArrayList<>();
                  for (int a = 0; a < size; a++) {
                    for (int b = a + 1; b < size; b++) {
                      fs.add(UserSetup.befriend(conns[a], conns[b]));
                    }
                  }
                  return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new));
                });
    return done.whenComplete(
        (x, e) -> {
          for (Conn c : conns) {
            if (c.channel() != null) {
              c.close();
            }
          }
        });
  }
}
