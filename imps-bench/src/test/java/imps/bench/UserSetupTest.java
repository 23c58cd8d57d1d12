package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserSetupTest {
  private FakeServer server;
  private BenchClient client;
  private Progress progress;

  @BeforeEach
  void start() throws Exception {
    server = new FakeServer();
    client = new BenchClient("127.0.0.1", server.port(), 1, 0);
    progress = new Progress(false, new PrintStream(PrintStream.nullOutputStream()));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private UserSetup setup(String prefix, int concurrency) {
    return new UserSetup(prefix, concurrency, Duration.ofSeconds(10), client, progress);
  }

  @Test
  void anExplicitPrefixWinsOverReuse() {
    assertThat(UserSetup.choosePrefix("mine_", true, "bc_")).isEqualTo("mine_");
    assertThat(UserSetup.choosePrefix("mine_", false, "bc_")).isEqualTo("mine_");
  }

  @Test
  void reuseUsesTheScenariosFixedPrefix() {
    assertThat(UserSetup.choosePrefix(null, true, "bc_")).isEqualTo("bc_");
  }

  @Test
  void withoutEitherEveryRunGetsAFreshRunId() {
    String a = UserSetup.choosePrefix(null, false, "bc_");
    String b = UserSetup.choosePrefix(null, false, "bc_");
    assertThat(a).matches("[a-z][a-z0-9]{4}_");
    assertThat(b).matches("[a-z][a-z0-9]{4}_").isNotEqualTo(a);
  }

  @Test
  void refusesAPrefixThatCannotFormANameWithSixDigits() {
    assertThat(UserSetup.choosePrefix("p".repeat(14), false, "bc_")).hasSize(14);
    assertThatThrownBy(() -> UserSetup.choosePrefix("p".repeat(15), false, "bc_"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
    assertThatThrownBy(() -> UserSetup.choosePrefix("a b", false, "bc_"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UserSetup.choosePrefix("é_", false, "bc_"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesArePrefixAndIndex() {
    UserSetup s = setup("bc_", 16);
    assertThat(s.userName(0)).isEqualTo("bc_0");
    assertThat(s.userName(41)).isEqualTo("bc_41");
  }

  @Test
  void setupInflightIsEightPerRegisteringConnectionAndAtLeastEight() {
    assertThat(setup("p_", 16).inflight()).isEqualTo(128);
    assertThat(setup("p_", 0).inflight()).isEqualTo(8);
  }

  @Test
  void aSecondRunWithTheSameNamesReusesTheUsers() throws Exception {
    Result first = new Result("x");
    setup("r_", 3).register(first, "register", 10);
    assertThat(first.metrics())
        .containsEntry("setup_users_registered", 10L)
        .containsEntry("setup_users_existing", 0L)
        .containsKey("setup_register_per_s");
    assertThat(server.users).hasSize(10).contains("r_0", "r_9");

    Result second = new Result("x");
    setup("r_", 3).register(second, "register", 10);
    assertThat(second.metrics())
        .containsEntry("setup_users_registered", 0L)
        .containsEntry("setup_users_existing", 10L)
        .doesNotContainKey("setup_register_per_s");
  }

  @Test
  void registersFewerUsersThanConnections() throws Exception {
    Result r = new Result("x");
    setup("few_", 16).register(r, "register", 2, i -> "few_" + (i == 0 ? "s" : "r"));
    assertThat(server.users).containsExactlyInAnyOrder("few_s", "few_r");
    assertThat(r.metrics()).containsEntry("setup_users_registered", 2L);
  }

  @Test
  void aRegistrationLimitFailsSetupWithAHint() {
    server.refuseRegistrations = true;
    assertThatThrownBy(() -> setup("lim_", 2).register(new Result("x"), "register", 4))
        .isInstanceOf(SetupException.class)
        .hasMessageContaining("S_ERROR_RSP(10")
        .hasMessageContaining("--set register.per-address=1000000");
  }

  @Test
  void logsInAndBefriendsPairsAndAgainWhenAlreadyFriends() throws Exception {
    UserSetup s = setup("f_", 2);
    s.register(new Result("x"), "register", 4);
    List<Conn> conns = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      conns.add(new Conn(i, s.userName(i), (c, push) -> {}));
    }
    assertThat(s.connectAndLogin("login", conns).ok()).isEqualTo(4);
    List<Conn[]> pairs =
        List.of(new Conn[] {conns.get(0), conns.get(1)}, new Conn[] {conns.get(2), conns.get(3)});
    s.befriendAll("befriend", pairs);
    assertThat(server.friendships).contains("f_0>f_1", "f_1>f_0", "f_2>f_3", "f_3>f_2");
    s.befriendAll("befriend", pairs); // reused users are friends already
    assertThat(UserSetup.befriend(conns.get(1), conns.get(0)).get(5, TimeUnit.SECONDS)).isNull();
    conns.forEach(Conn::close);
  }

  @Test
  void aLoginRefusedFailsSetup() {
    UserSetup s = setup("nobody_", 2);
    List<Conn> conns = List.of(new Conn(0, s.userName(0), (c, push) -> {}));
    assertThatThrownBy(() -> s.connectAndLogin("login", conns))
        .isInstanceOf(SetupException.class)
        .hasMessageContaining("logging in 1 users: 1 failed")
        .hasMessageContaining("S_ERROR_RSP(6");
    conns.forEach(Conn::close);
  }
}
