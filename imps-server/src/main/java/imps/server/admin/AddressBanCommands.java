package imps.server.admin;

import imps.server.config.Cidr;
import imps.server.store.AdminStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The admin commands {@code bans list}, {@code bans add} and {@code bans remove}: client address
 * blocks kept in the store, in canonical CIDR text ({@code 2001:DB8::/32} is {@code 2001:db8::/32},
 * a bare address a /32 or /128). A change is applied on this node at once (other nodes poll the
 * store).
 */
final class AddressBanCommands {
  private final AdminStore store;
  private final IntSupplier applyHere;

  /**
   * @param applyHere reads the bans from the store and applies them on this node; how many open
   *     connections it closed
   */
  AddressBanCommands(AdminStore store, IntSupplier applyHere) {
    this.store = store;
    this.applyHere = applyHere;
  }

  private static String cidr(Map<String, String> a) {
    return Cidr.parse(a.get("cidr")).toString();
  }

  List<Map<String, Object>> list() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (AdminStore.AddressBan b : store.addressBans()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cidr", b.cidr());
      m.put("since", Instant.ofEpochMilli(b.createdAt()).toString());
      out.add(m);
    }
    return out;
  }

  Map<String, Object> add(Map<String, String> a) {
    String cidr = cidr(a);
    boolean added = store.addAddressBan(cidr, System.currentTimeMillis());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cidr", cidr);
    m.put("added", added);
    m.put("closed", applyHere.getAsInt());
    return m;
  }

  Map<String, Object> remove(Map<String, String> a) {
    String cidr = cidr(a);
    if (!store.removeAddressBan(cidr)) {
      throw new AdminCommands.NotFoundException(cidr + " is not banned");
    }
    applyHere.getAsInt();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cidr", cidr);
    m.put("removed", true);
    return m;
  }
}
