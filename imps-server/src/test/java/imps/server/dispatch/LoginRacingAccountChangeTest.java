package imps.server.dispatch;

import static imps.server.ServiceFixture.PASSWORD;
import static imps.server.ServiceFixture.connection;
import static imps.server.ServiceFixture.take;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.Hello;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.ResumeRequest;
import imps.server.ServiceFixture;
import imps.server.account.SessionTokens;
import imps.server.session.Session;
import imps.server.store.AccountStore;
import imps.server.store.DelegatingStore;
import imps.server.store.HookedTokens;
import imps.server.store.NewUser;
import imps.server.store.SessionTokenStore;
import imps.server.store.Store;
import imps.server.store.UserRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A login whose credentials were checked just before an operator's ban, a password change or a
 * deletion committed: the change's kick of the user's sessions ran before the login took over its
 * session, so the login itself must notice the change and end (PROTOCOL.md 8.5; OPERATIONS.md: a
 * banned or deleted user fails to log in). The racing login is answered as a login a moment later
 * would be, S_ERROR_RSP(6), and its connection closed; it never gets S_LOGIN_RSP.
 */
class LoginRacingAccountChangeTest {
  @TempDir Path dir;

  /** Runs once, in the store's {@code findByKey}, after the account was read for the check. */
  private final AtomicReference<Runnable> afterRead = new AtomicReference<>();

  /** Runs once, in the store's token look-up, after the token was found valid. */
  private final AtomicReference<Runnable> afterTokenCheck = new AtomicReference<>();

  private ServiceFixture services;
  private SessionTokens tokens;

  @BeforeEach
  void setUp() {
    services = new ServiceFixture(dir, real -> new HookedStore(real, afterRead, afterTokenCheck));
    tokens =
        new SessionTokens(services.store().tokens(), services.clock(), Duration.ofDays(30), 10);
  }

  @AfterEach
  void tearDown() {
    services.close();
  }

  /** What {@code users ban} does (UserCommands): mark the hash, forget, revoke, kick. */
  private void ban(UserRecord u) {
    UserRecord now = services.store().accounts().findById(u.id()).orElseThrow();
    services.store().accounts().setPasswordHash(u.id(), "!" + now.passwordHash());
    services.accounts().forgetVerifiedPassword(u.id());
    tokens.revokeAll(u.id());
    // The kick finds no session: the racing login has not taken over yet.
    services.router().closeSession(u.id());
  }

  @Test
  void aLegacyLoginThatRacedABanIsRefusedAndNotLoggedIn() {
    UserRecord carol = services.user("carol");
    afterRead.set(() -> ban(carol));

    Session racing = services.session();
    services.handle(racing, new LoginRequest("carol", PASSWORD));

    assertThat(afterRead.get()).as("the ban ran inside the login").isNull();
    assertThat(take(racing))
        .as("only the frame a login after the ban gets")
        .containsExactly(ErrorResponse.of(ErrorCode.BAD_CREDENTIALS, CommandType.C_LOGIN_REQ));
    assertThat(racing.isActive()).isFalse();
    assertThat(connection(racing).isOpen()).isFalse();
    assertThat(services.router().hasSession(carol.id())).isFalse();
  }

  /** The older session the racing login replaced is told (error 7) as for any newer login. */
  @Test
  void aLoginThatRacedABanReplacingALiveSessionLeavesNoSession() {
    UserRecord dave = services.user("dave");
    Session older = services.online(dave);
    afterRead.set(() -> ban(dave));

    Session racing = optedIn();
    services.handle(racing, new LoginRequest("dave", PASSWORD));

    assertThat(take(racing))
        .containsExactly(ErrorResponse.of(ErrorCode.BAD_CREDENTIALS, CommandType.C_LOGIN_REQ));
    assertThat(racing.isActive()).isFalse();
    assertThat(older.isActive()).isFalse();
    assertThat(services.router().hasSession(dave.id())).isFalse();
  }

  @Test
  void aLoginThatRacedAPasswordChangeIsRefusedLikeAWrongPassword() {
    UserRecord erin = services.user("erin");
    afterRead.set(
        () -> {
          // What C_PASSWD does (SocialRequests): store the new hash, then revoke every token.
          services.accounts().changePassword("erin", PASSWORD, "n3w-secret", "other").join();
          tokens.revokeAll(erin.id());
        });

    Session racing = optedIn();
    services.handle(racing, new LoginRequest("erin", PASSWORD));

    assertThat(afterRead.get()).as("the change ran inside the login").isNull();
    assertThat(take(racing))
        .containsExactly(ErrorResponse.of(ErrorCode.BAD_CREDENTIALS, CommandType.C_LOGIN_REQ));
    assertThat(racing.isActive()).isFalse();
    assertThat(services.router().hasSession(erin.id())).isFalse();
    // The new password logs in.
    Session fresh = optedIn();
    services.handle(fresh, new LoginRequest("erin", "n3w-secret"));
    assertThat(take(fresh).get(0)).isInstanceOf(LoginResponse.class);
  }

  @Test
  void aLoginThatRacedADeletionIsRefused() {
    UserRecord fay = services.user("fay");
    afterRead.set(
        () -> {
          services.store().accounts().delete(fay.id());
          services.router().closeSession(fay.id());
        });

    Session racing = services.session();
    services.handle(racing, new LoginRequest("fay", PASSWORD));

    assertThat(take(racing))
        .containsExactly(ErrorResponse.of(ErrorCode.BAD_CREDENTIALS, CommandType.C_LOGIN_REQ));
    assertThat(racing.isActive()).isFalse();
  }

  /** The same window for C_RESUME: the token was valid when checked, revoked by the ban after. */
  @Test
  void aResumeThatRacedABanIsRefused() {
    UserRecord gus = services.user("gus");
    Session first = optedIn();
    services.handle(first, new LoginRequest("gus", PASSWORD));
    String token = ((LoginResponse) take(first).get(0)).token();
    afterTokenCheck.set(() -> ban(gus));

    Session racing = optedIn();
    services.handle(racing, new ResumeRequest("gus", token, 0));

    assertThat(afterTokenCheck.get()).as("the ban ran inside the resume").isNull();
    assertThat(take(racing))
        .containsExactly(ErrorResponse.of(ErrorCode.BAD_CREDENTIALS, CommandType.C_RESUME));
    assertThat(racing.isActive()).isFalse();
    assertThat(services.router().hasSession(gus.id())).isFalse();
  }

  private Session optedIn() {
    Session s = services.session();
    services.handle(s, new Hello(1, Set.of(Feature.ACKS)));
    List<ImpsMessage> hello = take(s);
    assertThat(hello).hasSize(1);
    return s;
  }

  /** The real store, with hooks run once after an account read and after a token look-up. */
  private static final class HookedStore extends DelegatingStore {
    private final AccountStore accounts;
    private final SessionTokenStore tokens;

    HookedStore(
        Store real, AtomicReference<Runnable> afterRead, AtomicReference<Runnable> afterToken) {
      super(real);
      AccountStore a = real.accounts();
      this.accounts =
          new AccountStore() {
            @Override
            public Optional<UserRecord> create(NewUser user) {
              return a.create(user);
            }

            @Override
            public Optional<UserRecord> findByKey(String nameKey) {
              Optional<UserRecord> found = a.findByKey(nameKey);
              HookedTokens.runOnce(afterRead);
              return found;
            }

            @Override
            public Optional<UserRecord> findById(long id) {
              return a.findById(id);
            }

            @Override
            public long ackedSeq(long userId) {
              return a.ackedSeq(userId);
            }

            @Override
            public long lastSeq(long userId) {
              return a.lastSeq(userId);
            }

            @Override
            public void setPasswordHash(long userId, String passwordHash) {
              a.setPasswordHash(userId, passwordHash);
            }

            @Override
            public boolean delete(long userId) {
              return a.delete(userId);
            }

            @Override
            public void setStatusPreference(long userId, Presence status) {
              a.setStatusPreference(userId, status);
            }
          };
      this.tokens = new HookedTokens(real.tokens(), null, afterToken);
    }

    @Override
    public AccountStore accounts() {
      return accounts;
    }

    @Override
    public SessionTokenStore tokens() {
      return tokens;
    }
  }
}
