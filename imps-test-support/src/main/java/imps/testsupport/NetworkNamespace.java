package imps.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Linux network namespace joined to this one by a veth pair, for tests that must pull the plug on
 * a client: {@link #linkDown()} takes the namespace's end of the pair down, so packets between the
 * two ends are dropped without a FIN or RST, the way a phone losing its radio looks to the server.
 * (A user-space proxy that stops forwarding is no black hole: its kernel still acknowledges what
 * the server sends.)
 *
 * <p>Needs root and iproute2's {@code ip}; see {@link #available()}. The host end is {@link
 * #hostAddress()}, the namespace's end {@link #clientAddress()}, on a /24 of 10.231.0.0/16 chosen
 * from the process id, so that builds running side by side do not collide.
 */
public final class NetworkNamespace implements AutoCloseable {
  private final String name;
  private final String hostDev;
  private final String nsDev;
  private final String subnet;

  private NetworkNamespace(String name, String hostDev, String nsDev, String subnet) {
    this.name = name;
    this.hostDev = hostDev;
    this.nsDev = nsDev;
    this.subnet = subnet;
  }

  /** Whether namespaces can be made here: running as root with {@code ip} on the path. */
  public static boolean available() {
    try {
      return "root".equals(System.getProperty("user.name"))
          && run(List.of("ip", "netns", "list")) == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Creates the namespace and the veth pair, both ends up and addressed. */
  public static NetworkNamespace create() throws IOException {
    long pid = ProcessHandle.current().pid();
    int net = (int) (pid % 250) + 1;
    String name = "imps-t" + pid;
    String hostDev = "impsh" + pid % 100000;
    String nsDev = "impsn" + pid % 100000;
    NetworkNamespace ns = new NetworkNamespace(name, hostDev, nsDev, "10.231." + net + ".");
    // A namespace left behind by a killed build of the same pid would make "add" fail.
    run(List.of("ip", "netns", "del", name));
    run(List.of("ip", "link", "del", hostDev));
    ns.must("ip", "netns", "add", name);
    ns.must("ip", "link", "add", hostDev, "type", "veth", "peer", "name", nsDev);
    ns.must("ip", "link", "set", nsDev, "netns", name);
    ns.must("ip", "addr", "add", ns.hostAddress() + "/24", "dev", hostDev);
    ns.must("ip", "link", "set", hostDev, "up");
    ns.must(
        "ip", "netns", "exec", name, "ip", "addr", "add", ns.clientAddress() + "/24", "dev", nsDev);
    ns.must("ip", "netns", "exec", name, "ip", "link", "set", nsDev, "up");
    ns.must("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
    return ns;
  }

  /** The address of this side of the pair, where a server listening on 0.0.0.0 is reached. */
  public String hostAddress() {
    return subnet + "1";
  }

  /** The address of the namespace's side. */
  public String clientAddress() {
    return subnet + "2";
  }

  /** Drops every packet between the two sides from now on, silently. */
  public void linkDown() throws IOException {
    must("ip", "netns", "exec", name, "ip", "link", "set", nsDev, "down");
  }

  /** Lets packets through again. */
  public void linkUp() throws IOException {
    must("ip", "netns", "exec", name, "ip", "link", "set", nsDev, "up");
  }

  /** A process builder that runs {@code command} inside the namespace. */
  public ProcessBuilder command(List<String> command) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
    all.addAll(command);
    return new ProcessBuilder(all);
  }

  /** Deletes the namespace, and with it the veth pair. */
  @Override
  public void close() throws IOException {
    run(List.of("ip", "netns", "del", name));
    run(List.of("ip", "link", "del", hostDev));
  }

  private void must(String... command) throws IOException {
    if (run(List.of(command)) != 0) {
      throw new IOException("failed: " + String.join(" ", command));
    }
  }

  private static int run(List<String> command) throws IOException {
    Path log = Files.createTempFile("imps-netns", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  @Override
  public String toString() {
    return "NetworkNamespace[" + name + ", " + subnet + "0/24]";
  }
}
