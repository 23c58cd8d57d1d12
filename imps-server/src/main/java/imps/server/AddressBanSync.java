package imps.server;

import imps.server.config.Cidr;
import imps.server.config.CidrList;
import imps.server.store.AdminStore;
import imps.server.store.Store;
import imps.server.transport.ServerTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's banned client addresses equal to the store's ({@code address_bans}, admin
 * {@code bans}): read before the listeners open, again at once after an admin command on this node
 * changed them, and every {@link #POLL} on the housekeeping thread, so that a ban made on another
 * node of a cluster applies here within that time. A poll reads one small table; polling needs
 * nothing of the cluster and cannot miss a change, unlike a message that a node could miss while
 * Redis is away. A store without admin queries has no bans.
 */
final class AddressBanSync {
  private static final Logger log = LoggerFactory.getLogger(AddressBanSync.class);

  /** How often the store is read for bans made on other nodes. */
  static final Duration POLL = Duration.ofSeconds(2);

  private final AdminStore store;
  private volatile boolean failing;

  AddressBanSync(Store store) {
    AdminStore admin;
    try {
      admin = store.admin();
    } catch (UnsupportedOperationException e) {
      admin = null;
    }
    this.store = admin;
  }

  /** The banned blocks as stored now; a row that does not parse (edited by hand) is skipped. */
  CidrList load() {
    if (store == null) {
      return new CidrList(List.of());
    }
    List<Cidr> blocks = new ArrayList<>();
    for (AdminStore.AddressBan b : store.addressBans()) {
      try {
        blocks.add(Cidr.parse(b.cidr()));
      } catch (IllegalArgumentException e) {
        log.warn("address_bans: ignoring '{}': {}", b.cidr(), e.getMessage());
      }
    }
    return new CidrList(blocks);
  }

  /**
   * {@link #load} before the listeners open; a store that fails now leaves no bans until a poll
   * reads them (the store is checked by the health probes).
   */
  CidrList loadAtStart() {
    try {
      return load();
    } catch (RuntimeException e) {
      failing = true;
      log.warn("cannot read the address bans at start; retrying every {}: {}", POLL, e.toString());
      return new CidrList(List.of());
    }
  }

  /** Reads the bans and applies them to {@code transport}; how many connections it closed. */
  synchronized int apply(ServerTransport transport) {
    return transport.banAddresses(load());
  }

  /** {@link #apply} on the poll: a store failure keeps the bans as they were, logged once. */
  void poll(ServerTransport transport) {
    try {
      int closed = apply(transport);
      if (failing) {
        failing = false;
        log.info("address bans read from the store again");
      }
      if (closed > 0) {
        log.info("closed {} connections from newly banned addresses", closed);
      }
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        log.warn("cannot read the address bans; keeping the current ones: {}", e.toString());
      }
    }
  }
}
