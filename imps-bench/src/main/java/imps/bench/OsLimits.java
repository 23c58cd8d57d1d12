package imps.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The OS limits that bound how many connections one machine can open (open files, ephemeral ports):
 * warnings before a run, and which limit a failed connect hit and how to raise it.
 */
final class OsLimits {
  /** Read up front: once the descriptors are gone, /proc/self/limits cannot be opened either. */
  private static final long OWN_FD_LIMIT = ProcStats.maxOpenFiles(ProcStats.selfPid());

  private OsLimits() {}

  /**
   * What keeps {@code connections} from fitting: the bench's and the server's open-files limits,
   * and the ephemeral ports over {@code sourceAddresses}; empty when nothing does (or nothing is
   * known).
   *
   * @param serverPid the server's pid, or -1 when unknown
   */
  static List<String> warnings(int connections, long serverPid, int sourceAddresses) {
    List<String> out = new ArrayList<>();
    long self = OWN_FD_LIMIT;
    if (self > 0 && self < connections + 100L) {
      out.add(
          "the bench's open-files limit (ulimit -n = "
              + self
              + ") is below "
              + connections
              + " connections; raise it with `ulimit -n "
              + Math.max(65536, connections * 2L)
              + "` in the shell that runs the bench");
    }
    if (serverPid > 0 && serverPid != ProcStats.selfPid()) {
      long srv = ProcStats.maxOpenFiles(serverPid);
      if (srv > 0 && srv < connections + 100L) {
        out.add(
            "the server's open-files limit (pid "
                + serverPid
                + ", "
                + srv
                + ") is below "
                + connections
                + "; restart it from a shell with a higher `ulimit -n`");
      }
    }
    int[] range = ProcStats.localPortRange();
    if (range != null) {
      long ports = (long) (range[1] - range[0] + 1) * sourceAddresses;
      if (ports < connections) {
        out.add(
            "ephemeral ports: "
                + ports
                + " over "
                + sourceAddresses
                + " source address(es) < "
                + connections
                + "; use --source-addresses or widen net.ipv4.ip_local_port_range");
      }
    }
    return out;
  }

  /** Says which OS limit a connect failure means and how to raise it, or null if none. */
  static String explain(Throwable e) {
    String m = String.valueOf(e.getMessage()) + " " + e;
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      m += " " + c;
    }
    m = m.toLowerCase(Locale.ROOT);
    if (m.contains("too many open files")) {
      return "the bench process ran out of file descriptors (ulimit -n is "
          + OWN_FD_LIMIT
          + "). Raise it in this shell before running, e.g. `ulimit -n 1048576` (the hard limit"
          + " is in /etc/security/limits.conf; the system-wide ceilings are fs.nr_open and"
          + " fs.file-max). The server needs the same.";
    }
    if (m.contains("cannot assign requested address") || m.contains("address already in use")) {
      int[] range = ProcStats.localPortRange();
      return "no free local port (ephemeral range "
          + (range == null ? "unknown" : range[0] + "-" + range[1])
          + " per source address; ports of a previous run stay in TIME_WAIT for 60 s). Use more"
          + " source addresses (--source-addresses N) or widen"
          + " the range: `sysctl -w net.ipv4.ip_local_port_range=\"1024 65535\"`.";
    }
    return null;
  }
}
