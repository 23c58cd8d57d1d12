package imps.server.store;

import java.util.concurrent.CompletableFuture;

/** A store that passes everything to a real one; tests override what they fault. */
public class DelegatingStore implements Store {
  protected final Store real;

  public DelegatingStore(Store real) {
    this.real = real;
  }

  @Override
  public AccountStore accounts() {
    return real.accounts();
  }

  @Override
  public FriendStore friends() {
    return real.friends();
  }

  @Override
  public MessageStore messages() {
    return real.messages();
  }

  @Override
  public LocationStore locations() {
    return real.locations();
  }

  @Override
  public SessionTokenStore tokens() {
    return real.tokens();
  }

  @Override
  public boolean isReachable() {
    return real.isReachable();
  }

  @Override
  public CompletableFuture<Void> probeWrite() {
    return real.probeWrite();
  }

  @Override
  public String describe() {
    return real.describe();
  }

  @Override
  public void close() {
    real.close();
  }
}
