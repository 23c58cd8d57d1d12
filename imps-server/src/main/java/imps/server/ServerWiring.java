package imps.server;

import imps.server.account.AccountService;
import imps.server.account.HashingPool;
import imps.server.account.LoginThrottle;
import imps.server.account.PasswordHasher;
import imps.server.account.RegistrationLimiter;
import imps.server.concurrent.Offload;
import imps.server.config.ConfigException;
import imps.server.config.ServerConfig;
import imps.server.dispatch.CommandLimits;
import imps.server.limit.StateBytes;
import imps.server.limit.TokenBucket;
import imps.server.store.Store;
import java.io.IOException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

/**
 * How settings become the objects {@link ImpsServer} wires together: the account service with its
 * hashing pool and limits, the per-user command limits, the node's name, and the check that the
 * password cost fits the heap. Stateless; every method reads only its arguments.
 */
final class ServerWiring {
  private ServerWiring() {}

  static String nodeName(ServerConfig config) {
    String id = config.get(ServerConfig.Key.NODE_ID);
    if (!id.isEmpty()) {
      return id;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "local";
    }
  }

  static CommandLimits commandLimits(ServerConfig config, Clock clock) {
    return new CommandLimits(commandRates(config), StateBytes.perMap(), clock);
  }

  /** The rates of {@link CommandLimits}, from the {@code limit.*} settings. */
  static Map<CommandLimits.Kind, TokenBucket.Rate> commandRates(ServerConfig config) {
    Map<CommandLimits.Kind, TokenBucket.Rate> rates = new EnumMap<>(CommandLimits.Kind.class);
    rates.put(CommandLimits.Kind.MESSAGES, config.get(ServerConfig.Key.LIMIT_MESSAGES));
    rates.put(CommandLimits.Kind.CLIPS, config.get(ServerConfig.Key.LIMIT_CLIPS));
    rates.put(CommandLimits.Kind.STATUS, config.get(ServerConfig.Key.LIMIT_STATUS));
    rates.put(
        CommandLimits.Kind.FRIEND_REQUESTS, config.get(ServerConfig.Key.LIMIT_FRIEND_REQUESTS));
    rates.put(CommandLimits.Kind.FRIEND_LISTS, config.get(ServerConfig.Key.LIMIT_FRIEND_LISTS));
    rates.put(CommandLimits.Kind.FIXES, config.get(ServerConfig.Key.LIMIT_FIXES));
    rates.put(CommandLimits.Kind.UNKNOWN_NAMES, config.get(ServerConfig.Key.LIMIT_UNKNOWN_NAMES));
    rates.put(CommandLimits.Kind.LOGINS, config.get(ServerConfig.Key.LIMIT_LOGINS));
    return rates;
  }

  /** Refuses a password cost that cannot fit the heap, before anything has started. */
  static void checkPasswordCost(ServerConfig config) {
    Runtime rt = Runtime.getRuntime();
    try {
      HashingPool.Size.of(
          rt.maxMemory(),
          config.get(ServerConfig.Key.PASSWORD_HEAP_PERCENT),
          config.get(ServerConfig.Key.PASSWORD_MEMORY_KIB),
          rt.availableProcessors());
    } catch (ConfigException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  /** Accounts: password hashing on its own pool, the login and registration limits, the caches. */
  static AccountService accounts(ServerConfig config, Clock clock, Store store, Offload workers) {
    PasswordHasher hasher =
        new PasswordHasher(
            config.get(ServerConfig.Key.PASSWORD_MEMORY_KIB),
            config.get(ServerConfig.Key.PASSWORD_ITERATIONS));
    HashingPool hashing =
        HashingPool.forThisJvm(
            hasher,
            config.get(ServerConfig.Key.PASSWORD_HEAP_PERCENT),
            config.get(ServerConfig.Key.PASSWORD_QUEUE));
    LoginThrottle throttle =
        new LoginThrottle(
            new LoginThrottle.Settings(
                config.get(ServerConfig.Key.LOGIN_FAILURES_PER_USER),
                config.get(ServerConfig.Key.LOGIN_DELAY),
                config.get(ServerConfig.Key.LOGIN_DELAY_MAX),
                config.get(ServerConfig.Key.LOGIN_FAILURES_PER_ADDRESS),
                config.get(ServerConfig.Key.LOGIN_FAILURE_WINDOW),
                StateBytes.perMap()),
            clock);
    RegistrationLimiter registrations =
        new RegistrationLimiter(
            config.get(ServerConfig.Key.REGISTRATIONS_PER_ADDRESS),
            config.get(ServerConfig.Key.REGISTRATION_WINDOW),
            config.get(ServerConfig.Key.REGISTRATIONS_PER_MINUTE),
            StateBytes.perMap(),
            clock);
    return new AccountService(
        store.accounts(),
        workers,
        hashing,
        throttle,
        registrations,
        AccountService.Caches.ofHeap(config.get(ServerConfig.Key.PASSWORD_CACHE_TTL)),
        clock);
  }
}
