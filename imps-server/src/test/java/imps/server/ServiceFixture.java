package imps.server;

import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.server.account.AccountService;
import imps.server.account.HashingPool;
import imps.server.account.LoginThrottle;
import imps.server.account.PasswordHasher;
import imps.server.account.RegistrationLimiter;
import imps.server.account.SessionTokens;
import imps.server.cluster.InMemorySessionRouter;
import imps.server.concurrent.Offload;
import imps.server.delivery.BatchingDeliveryRecorder;
import imps.server.dispatch.Backlog;
import imps.server.dispatch.RequestDispatcher;
import imps.server.friend.FriendService;
import imps.server.location.LocationService;
import imps.server.message.MessageService;
import imps.server.message.ReceiptService;
import imps.server.presence.PresenceService;
import imps.server.session.RecordingConnection;
import imps.server.session.Session;
import imps.server.store.AnswerResult;
import imps.server.store.FriendStore;
import imps.server.store.Store;
import imps.server.store.UserRecord;
import imps.server.store.sqlite.SqliteStore;
import imps.server.time.TimeFormats;
import imps.testsupport.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The services of one server wired as {@link ImpsServer} wires them, without a network: a real
 * SQLite store in the given directory, the single-node router, and a {@link MutableClock}. Sessions
 * write to {@link RecordingConnection}s and run their requests on the calling thread, so a test
 * reads what each client was sent right after the call that sent it.
 */
public final class ServiceFixture implements AutoCloseable {
  /** The password of every user {@link #user} registers. */
  public static final String PASSWORD = "secret1";

  public static final int MAX_FRIENDS = 3;
  public static final int MAX_MESSAGE_CHARS = 4096;
  public static final int MAX_AUDIO_BYTES = 60 * 1024;

  /** What {@link TimeFormats} makes of the clock's start, in UTC. */
  public static final String START_TIME = "2026-11-28 12:00:00";

  private final MutableClock clock = new MutableClock();
  private final Store store;
  private final BatchingDeliveryRecorder recorder;
  private final InMemorySessionRouter router = new InMemorySessionRouter();
  private final AccountService accounts;
  private final FriendService friends;
  private final MessageService messages;
  private final PresenceService presence;
  private final Backlog backlog;
  private final ReceiptService receipts;
  private final RequestDispatcher dispatcher;
  private final Offload workers = new Offload("test-worker", 4, 1000);

  /** Opens a new store in {@code dir} (a {@code @TempDir}) and wires the services over it. */
  public ServiceFixture(Path dir) {
    this(dir, UnaryOperator.identity());
  }

  /**
   * Opens a new store in {@code dir} and wires the services over {@code wrap} of it (a {@link
   * imps.server.store.DelegatingStore} that faults or hooks what a test needs).
   */
  public ServiceFixture(Path dir, UnaryOperator<Store> wrap) {
    store = wrap.apply(SqliteStore.open(dir, "NORMAL", 512, clock));
    receipts = new ReceiptService(store.messages(), router);
    recorder =
        new BatchingDeliveryRecorder(
            store.messages()::markDelivered,
            store.friends()::markOutcomesDelivered,
            receipts::acknowledged);
    TimeFormats times = new TimeFormats(ZoneOffset.UTC);
    accounts =
        new AccountService(
            store.accounts(),
            workers,
            new HashingPool(new PasswordHasher(64, 1), new HashingPool.Size(2, 64L << 20), 1000),
            new LoginThrottle(
                new LoginThrottle.Settings(
                    5,
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(10),
                    1000,
                    Duration.ofMinutes(1),
                    1 << 20),
                clock),
            new RegistrationLimiter(1000, Duration.ofMinutes(1), 1_000_000, 1 << 20, clock),
            AccountService.Caches.ofHeap(Duration.ofHours(24)),
            clock);
    friends = new FriendService(store.friends(), accounts, router, MAX_FRIENDS);
    messages =
        new MessageService(
            store.messages(),
            store.friends(),
            accounts,
            router,
            workers,
            times,
            clock,
            MAX_MESSAGE_CHARS,
            MAX_AUDIO_BYTES);
    presence = new PresenceService(store.friends(), router);
    backlog =
        new Backlog(
            store.accounts(), store.friends(), store.messages(), friends, recorder, workers);
    dispatcher =
        new RequestDispatcher(
            accounts,
            friends,
            messages,
            new LocationService(store.locations(), times, clock, Duration.ofDays(30)),
            presence,
            router,
            backlog,
            new SessionTokens(store.tokens(), clock, Duration.ofDays(30), 10),
            receipts,
            workers);
  }

  public MutableClock clock() {
    return clock;
  }

  public Store store() {
    return store;
  }

  public InMemorySessionRouter router() {
    return router;
  }

  public AccountService accounts() {
    return accounts;
  }

  public FriendService friends() {
    return friends;
  }

  public MessageService messages() {
    return messages;
  }

  public PresenceService presence() {
    return presence;
  }

  public Backlog backlog() {
    return backlog;
  }

  public RequestDispatcher dispatcher() {
    return dispatcher;
  }

  /** Blocks until every delivery written so far is recorded in the store. */
  public void awaitDeliveriesRecorded() {
    recorder.awaitFlushed();
  }

  /** Registers {@code name} with {@link #PASSWORD}; returns the account. */
  public UserRecord user(String name) {
    if (!accounts
        .register(name, PASSWORD, Gender.UNSPECIFIED, name + "@example.org", "test")
        .join()) {
      throw new AssertionError(name + " is taken");
    }
    return account(name);
  }

  /** The account as stored now (status preference and shared location included). */
  public UserRecord account(String name) {
    return accounts.find(name).orElseThrow();
  }

  /**
   * Makes {@code a} and {@code b} friends in the store, as if {@code b} had accepted a request of
   * {@code a}'s, with the outcome already delivered: nobody is told anything.
   */
  public void befriend(UserRecord a, UserRecord b) {
    FriendStore f = store.friends();
    f.addRequest(a.id(), b.id(), MAX_FRIENDS);
    AnswerResult.Answered answered =
        (AnswerResult.Answered) f.answer(a.id(), b.id(), true, MAX_FRIENDS);
    f.markOutcomesDelivered(List.of(answered.outcomeForRequester().id()));
  }

  /** A connection that has not logged in. */
  public Session session() {
    return new Session(
        new RecordingConnection(), recorder, dispatcher::resync, dispatcher.messageCounts());
  }

  /**
   * A live session of {@code user}, its current one, in the status the user last chose: as a login
   * makes it, but without the backlog and without telling friends.
   */
  public Session online(UserRecord user) {
    Session s = session();
    Presence status =
        user.statusPreference() == Presence.INVISIBLE ? Presence.INVISIBLE : Presence.ONLINE;
    s.startSync(user.id(), user.name(), user.nameKey(), status);
    s.setFriendsSee(router.claim(s));
    s.finishSync(Set.of());
    return s;
  }

  /**
   * Logs {@code name} in through the dispatcher (backlog and presence included) on a new session;
   * returns it with S_LOGIN_RSP and the backlog still to be taken from its connection.
   */
  public Session login(String name) {
    Session s = session();
    handle(s, new LoginRequest(name, PASSWORD));
    List<ImpsMessage> written = connection(s).written();
    if (written.isEmpty() || !(written.get(0) instanceof LoginResponse)) {
      throw new AssertionError("login of " + name + " answered " + written);
    }
    return s;
  }

  /**
   * Handles one request on {@code s} as the session's request queue would: waits until it has
   * completed and writes its reply, if it has one.
   */
  public void handle(Session s, ImpsMessage request) {
    ImpsMessage reply = join(dispatcher.handle(s, request).toCompletableFuture());
    if (reply != null) {
      s.connection().send(reply);
    }
  }

  /**
   * Waits for {@code f} (at most 10 s); a failure is thrown as it is, without the wrapper of the
   * asynchronous stage, so tests see the RequestException a call ended with.
   */
  public static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new AssertionError(c);
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("not completed", e);
    }
  }

  /** The blocking pool the services here run their store work on. */
  public Offload workers() {
    return workers;
  }

  /** The recording connection of a session made here. */
  public static RecordingConnection connection(Session s) {
    return (RecordingConnection) s.connection();
  }

  /** The frames {@code s} was sent since the last call. */
  public static List<ImpsMessage> take(Session s) {
    return connection(s).take();
  }

  @Override
  public void close() {
    workers.shutdown(5);
    accounts.close();
    recorder.close();
    router.close();
    store.close();
  }
}
