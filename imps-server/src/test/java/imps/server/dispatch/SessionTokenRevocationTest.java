package imps.server.dispatch;

import static imps.server.ServiceFixture.PASSWORD;
import static imps.server.ServiceFixture.take;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.DeleteAccount;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.Hello;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.ResumeRequest;
import imps.protocol.message.StatusNotifyRequest;
import imps.server.ServiceFixture;
import imps.server.account.SessionTokens;
import imps.server.session.Session;
import imps.server.store.DelegatingStore;
import imps.server.store.HookedTokens;
import imps.server.store.SessionTokenStore;
import imps.server.store.Store;
import imps.server.store.UserRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session tokens against the changes that must revoke them (docs/PROTOCOL.md 8.3, 8.5): no token
 * resumes after its user's password changed, whatever the order in which a concurrent login and the
 * change reached the store.
 */
class SessionTokenRevocationTest {
  @TempDir Path dir;

  /** Runs once, in the store's {@code issue}, just before the token is stored. */
  private final AtomicReference<Runnable> beforeIssue = new AtomicReference<>();

  private ServiceFixture services;

  @BeforeEach
  void setUp() {
    services = new ServiceFixture(dir, real -> new HookedStore(real, beforeIssue));
  }

  @AfterEach
  void tearDown() {
    services.close();
  }

  /**
   * A login checks the password, then a password change commits and revokes every token of the
   * user, then the login stores its new token. That token was issued for the old password: it must
   * not resume, as it would not had the login finished a moment earlier.
   */
  @Test
  void aTokenIssuedByALoginThatRacedAPasswordChangeDoesNotResume() {
    UserRecord carol = services.user("carol");
    SessionTokens tokens =
        new SessionTokens(services.store().tokens(), services.clock(), Duration.ofDays(30), 10);
    beforeIssue.set(
        () -> {
          // What C_PASSWD does (SocialRequests): store the new hash, then revoke every token.
          services.accounts().changePassword("carol", PASSWORD, "n3w-secret", "other").join();
          tokens.revokeAll(carol.id());
        });

    Session racing = optedIn();
    services.handle(racing, new LoginRequest("carol", PASSWORD));
    LoginResponse login = loginResponse(take(racing));
    assertThat(login.token()).isNotBlank();
    assertThat(beforeIssue.get()).as("the change ran inside the login").isNull();

    Session resuming = optedIn();
    services.handle(resuming, new ResumeRequest("carol", login.token(), 0));
    assertThat(take(resuming))
        .as("resume with a token issued before the change committed")
        .containsExactly(ErrorResponse.of(ErrorCode.BAD_CREDENTIALS, CommandType.C_RESUME));
  }

  /** A valid token of one user does not resume another existing user, nor spoil its own. */
  @Test
  void aTokenOfOneUserDoesNotResumeAnotherExistingUser() {
    services.user("dave");
    services.user("erin");
    String daves = loginWithToken("dave", Set.of(Feature.ACKS));

    Session asErin = optedIn();
    services.handle(asErin, new ResumeRequest("erin", daves, 0));
    assertThat(take(asErin))
        .containsExactly(ErrorResponse.of(ErrorCode.BAD_CREDENTIALS, CommandType.C_RESUME));

    Session asDave = optedIn();
    services.handle(asDave, new ResumeRequest("DAVE", daves, 0));
    assertThat(loginResponse(take(asDave)).userName()).isEqualTo("dave");
  }

  /** Expiry follows the injected clock: the last millisecond resumes, the expiry itself not. */
  @Test
  void aTokenResumesUntilItsExpiryOnTheServersClockAndNotAtIt() {
    services.user("fay");
    String token = loginWithToken("fay", Set.of(Feature.ACKS));

    services.clock().advance(Duration.ofDays(30).minusMillis(1));
    Session before = optedIn();
    services.handle(before, new ResumeRequest("fay", token, 0));
    assertThat(loginResponse(take(before)).token()).isEqualTo(token);

    services.clock().advance(Duration.ofMillis(1));
    Session at = optedIn();
    services.handle(at, new ResumeRequest("fay", token, 0));
    assertThat(take(at))
        .containsExactly(ErrorResponse.of(ErrorCode.BAD_CREDENTIALS, CommandType.C_RESUME));
  }

  /**
   * An account deleted and its name registered again: the old account's token resumes neither
   * (PROTOCOL.md 8.5: nothing of the old account passes to the new one).
   */
  @Test
  void aDeletedAccountsTokenDoesNotResumeTheNewAccountOfItsName() {
    services.user("gus");
    Session old = optedIn(Set.of(Feature.ACKS, Feature.SOCIAL));
    services.handle(old, new LoginRequest("gus", PASSWORD));
    String token = loginResponse(take(old)).token();
    services.handle(old, new DeleteAccount(PASSWORD));
    assertThat(take(old))
        .contains(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_DELETE_ACCOUNT));
    UserRecord again = services.user("gus");

    Session resuming = optedIn();
    services.handle(resuming, new ResumeRequest("gus", token, 0));
    assertThat(take(resuming))
        .containsExactly(ErrorResponse.of(ErrorCode.BAD_CREDENTIALS, CommandType.C_RESUME));
    // The new account's own login is unaffected.
    assertThat(loginWithToken("gus", Set.of(Feature.ACKS))).isNotBlank();
    assertThat(services.account("gus").id()).isEqualTo(again.id());
  }

  /** Signing out for good revokes that session's token only, not the user's other devices'. */
  @Test
  void signingOutRevokesOnlyThatSessionsToken() {
    services.user("hal");
    String phone = loginWithToken("hal", Set.of(Feature.ACKS));
    Session laptop = optedIn();
    services.handle(laptop, new LoginRequest("hal", PASSWORD));
    String laptops = loginResponse(take(laptop)).token();
    services.handle(laptop, new StatusNotifyRequest("hal", Presence.OFFLINE));

    Session withLaptops = optedIn();
    services.handle(withLaptops, new ResumeRequest("hal", laptops, 0));
    assertThat(take(withLaptops))
        .containsExactly(ErrorResponse.of(ErrorCode.BAD_CREDENTIALS, CommandType.C_RESUME));
    Session withPhones = optedIn();
    services.handle(withPhones, new ResumeRequest("hal", phone, 0));
    assertThat(loginResponse(take(withPhones)).token()).isEqualTo(phone);
  }

  /** Logs {@code name} in on a new session opted into {@code features}; returns its token. */
  private String loginWithToken(String name, Set<Feature> features) {
    Session s = optedIn(features);
    services.handle(s, new LoginRequest(name, PASSWORD));
    String token = loginResponse(take(s)).token();
    assertThat(token).isNotBlank();
    return token;
  }

  private Session optedIn(Set<Feature> features) {
    Session s = services.session();
    services.handle(s, new Hello(1, features));
    take(s);
    return s;
  }

  private Session optedIn() {
    return optedIn(Set.of(Feature.ACKS));
  }

  private static LoginResponse loginResponse(List<ImpsMessage> written) {
    assertThat(written).isNotEmpty();
    assertThat(written.get(0)).isInstanceOf(LoginResponse.class);
    return (LoginResponse) written.get(0);
  }

  /** The real store, with a hook run once before a token is issued. */
  private static final class HookedStore extends DelegatingStore {
    private final SessionTokenStore tokens;

    HookedStore(Store real, AtomicReference<Runnable> beforeIssue) {
      super(real);
      this.tokens = new HookedTokens(real.tokens(), beforeIssue, null);
    }

    @Override
    public SessionTokenStore tokens() {
      return tokens;
    }
  }
}
