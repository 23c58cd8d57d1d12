package imps.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.server.concurrent.Offload;
import imps.server.error.RequestException;
import imps.server.store.AccountStore;
import imps.server.store.NewUser;
import imps.server.store.UserRecord;
import imps.testsupport.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Login and registration as futures, and the name caches sized in bytes (finding M10). */
class AccountServiceTest {
  private static final long MIB = 1 << 20;

  private final MutableClock clock = new MutableClock();
  private final MemoryAccounts store = new MemoryAccounts();
  private final Offload workers = new Offload("test-worker", 1, 100);
  private final HashingPool hashing =
      new HashingPool(new PasswordHasher(64, 1), new HashingPool.Size(1, 64 * MIB), 100);

  @AfterEach
  void stop() {
    workers.close();
    hashing.close();
  }

  private AccountService service(long namesBytes) {
    return new AccountService(
        store,
        workers,
        hashing,
        new LoginThrottle(
            new LoginThrottle.Settings(
                5,
                Duration.ofSeconds(1),
                Duration.ofMinutes(10),
                1000,
                Duration.ofMinutes(1),
                1 << 20),
            clock),
        new RegistrationLimiter(1, Duration.ofMinutes(10), 1000, 1 << 20, clock),
        new AccountService.Caches(namesBytes, MIB, Duration.ofHours(24)),
        clock);
  }

  @Test
  void noWorkerWaitsWhileAPasswordIsHashed() throws Exception {
    AccountService accounts = service(MIB);
    assertThat(accounts.register("alice", "secret1", Gender.UNSPECIFIED, "", "1.1.1.1").join())
        .isTrue();
    // The only hashing thread is busy ...
    CountDownLatch release = blockHashing();
    CompletableFuture<UserRecord> login = accounts.authenticate("alice", "secret1", "2.2.2.2");
    // ... so the login waits for it, and the only worker stays free for other requests.
    assertThat(workers.supply(() -> "free").get(5, TimeUnit.SECONDS)).isEqualTo("free");
    assertThat(login).isNotDone();
    release.countDown();
    assertThat(login.get(5, TimeUnit.SECONDS).name()).isEqualTo("alice");
  }

  @Test
  void aChangedPasswordReplacesTheOldOneEvenWhenItWasCached() {
    AccountService accounts = service(MIB);
    accounts.register("carol", "secret1", Gender.UNSPECIFIED, "", "1.1.1.1").join();
    accounts.authenticate("carol", "secret1", "2.2.2.2").join();
    assertThat(code(accounts.changePassword("carol", "wrong-one", "secret2", "2.2.2.2")))
        .isEqualTo(ErrorCode.BAD_CREDENTIALS);
    assertThat(code(accounts.changePassword("carol", "secret1", "", "2.2.2.2")))
        .isEqualTo(ErrorCode.MALFORMED);
    accounts.changePassword("carol", "secret1", "secret2", "2.2.2.2").join();
    assertThat(code(accounts.authenticate("carol", "secret1", "2.2.2.2")))
        .isEqualTo(ErrorCode.BAD_CREDENTIALS);
    assertThat(accounts.authenticate("carol", "secret2", "2.2.2.2").join().name())
        .isEqualTo("carol");
  }

  @Test
  void wrongPasswordsAndUnknownUsersFailAlike() {
    AccountService accounts = service(MIB);
    accounts.register("bob", "secret1", Gender.UNSPECIFIED, "", "1.1.1.1").join();
    assertThat(code(accounts.authenticate("bob", "wrong-one", "2.2.2.2")))
        .isEqualTo(ErrorCode.BAD_CREDENTIALS);
    assertThat(code(accounts.authenticate("nobody", "wrong-one", "2.2.2.2")))
        .isEqualTo(ErrorCode.BAD_CREDENTIALS);
    assertThat(code(accounts.authenticate("no one!", "wrong-one", "2.2.2.2")))
        .isEqualTo(ErrorCode.BAD_CREDENTIALS);
  }

  @Test
  void aTakenNameOrABadFieldDoesNotUseUpTheAddressAllowance() {
    AccountService accounts = service(MIB);
    assertThat(accounts.register("carol", "secret1", Gender.UNSPECIFIED, "", "1.1.1.1").join())
        .isTrue();
    assertThat(accounts.register("CAROL", "secret1", Gender.UNSPECIFIED, "", "3.3.3.3").join())
        .isFalse();
    assertThat(code(accounts.register("x y", "secret1", Gender.UNSPECIFIED, "", "3.3.3.3")))
        .isEqualTo(ErrorCode.MALFORMED);
    assertThat(accounts.register("dave", "secret1", Gender.UNSPECIFIED, "", "3.3.3.3").join())
        .isTrue();
    assertThat(code(accounts.register("erin", "secret1", Gender.UNSPECIFIED, "", "3.3.3.3")))
        .isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
  }

  @Test
  void aVerifiedPasswordSkipsTheHashUntilItIsForgotten() throws Exception {
    AccountService accounts = service(MIB);
    accounts.register("fay", "secret1", Gender.UNSPECIFIED, "", "1.1.1.1").join();
    long id = accounts.authenticate("fay", "secret1", "1.1.1.1").join().id();
    CountDownLatch release = blockHashing();
    // Remembered: no hash needed, so the busy hashing thread does not matter.
    assertThat(accounts.authenticate("fay", "secret1", "1.1.1.1").get(5, TimeUnit.SECONDS).id())
        .isEqualTo(id);
    accounts.forgetVerifiedPassword(id);
    CompletableFuture<UserRecord> slow = accounts.authenticate("fay", "secret1", "1.1.1.1");
    assertThat(workers.supply(() -> "free").get(5, TimeUnit.SECONDS)).isEqualTo("free");
    assertThat(slow).isNotDone();
    release.countDown();
    assertThat(slow.get(5, TimeUnit.SECONDS).id()).isEqualTo(id);
  }

  /** Occupies the only hashing thread until the latch is counted down. */
  private CountDownLatch blockHashing() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(1);
    hashing.submit(
        64,
        () -> {
          busy.countDown();
          try {
            return release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
    assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
    return release;
  }

  @Test
  void theNameCachesStayWithinTheirBytes() {
    for (int i = 0; i < 5_000; i++) {
      String name = "user" + i;
      store.create(new NewUser(name, NameRules.key(name), "x", Gender.UNSPECIFIED, ""));
    }
    long budget = 64 * 1024;
    AccountService accounts = service(budget);
    for (int i = 0; i < 5_000; i++) {
      assertThat(accounts.lookup("user" + i)).isPresent();
    }
    long perName = AccountService.nameEntryBytes("user4999", new UserRef(1, "user4999"));
    assertThat(accounts.cachedNames()).isLessThanOrEqualTo(budget / perName).isPositive();
    // Whatever fell out is read again.
    assertThat(accounts.lookup("user0")).isPresent();
    assertThat(accounts.lookup("nobody")).isEmpty();
  }

  private static ErrorCode code(CompletableFuture<?> f) {
    Throwable e = f.handle((v, t) -> t).join();
    assertThat(e).as("failed").isNotNull();
    Throwable cause = Offload.cause(e);
    assertThat(cause).isInstanceOf(RequestException.class);
    return ((RequestException) cause).code();
  }

  /** Accounts in a map; counts reads by key. */
  private static final class MemoryAccounts implements AccountStore {
    private final Map<String, UserRecord> byKey = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public synchronized Optional<UserRecord> create(NewUser u) {
      if (byKey.containsKey(u.nameKey())) {
        return Optional.empty();
      }
      UserRecord r =
          new UserRecord(
              ids.incrementAndGet(),
              u.name(),
              u.nameKey(),
              u.passwordHash(),
              u.gender(),
              u.email(),
              Presence.ONLINE,
              "",
              "");
      byKey.put(u.nameKey(), r);
      return Optional.of(r);
    }

    @Override
    public Optional<UserRecord> findByKey(String nameKey) {
      reads.incrementAndGet();
      return Optional.ofNullable(byKey.get(nameKey));
    }

    @Override
    public Optional<UserRecord> findById(long id) {
      return byKey.values().stream().filter(r -> r.id() == id).findFirst();
    }

    @Override
    public void setStatusPreference(long userId, Presence status) {}

    @Override
    public synchronized boolean delete(long userId) {
      return byKey.values().removeIf(r -> r.id() == userId);
    }

    @Override
    public synchronized void setPasswordHash(long userId, String passwordHash) {
      byKey.replaceAll(
          (k, r) ->
              r.id() != userId
                  ? r
                  : new UserRecord(
                      r.id(),
                      r.name(),
                      r.nameKey(),
                      passwordHash,
                      r.gender(),
                      r.email(),
                      r.statusPreference(),
                      r.sharedTime(),
                      r.sharedLocation()));
    }

    @Override
    public long ackedSeq(long userId) {
      return 0;
    }

    @Override
    public long lastSeq(long userId) {
      return 0;
    }
  }

  @Test
  void registrationNeedsARegistrableName() {
    AccountService accounts = service(MIB);
    assertThatThrownBy(
            () ->
                accounts
                    .register("\u0430lice", "secret1", Gender.UNSPECIFIED, "", "1.1.1.1")
                    .join())
        .cause()
        .isInstanceOf(RequestException.class);
  }
}
