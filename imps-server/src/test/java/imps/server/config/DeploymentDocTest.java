package imps.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walks of docs/DEPLOYMENT.md can be run as written on one machine (newcomer finding 4: the
 * health example's admin port was node1's client port): in each shell block, the servers it starts
 * (loops expanded) listen on ports of their own, defaults included (two nodes without {@code
 * web.port} would both take 7680), and its clients connect to one of them; no {@code admin.port}
 * the page suggests is a port the walks use.
 */
class DeploymentDocTest {
  private static final Pattern FOR = Pattern.compile("^for (\\w+) in ([^;]+); do$");
  private static final Pattern PORT_FLAG = Pattern.compile("--port[ =](\\d+)");
  private static final Pattern ADMIN = Pattern.compile("admin\\.port=(\\d+)");
  private static final Pattern CLIENT =
      Pattern.compile("\\./imps (?:chat|register|add|accept|reject|friends|send|voice|recv)\\b");

  /** One server the page starts: its name in messages and the ports it listens on. */
  record Server(String line, List<Integer> ports) {}

  private static String doc;
  private static List<List<String>> blocks;

  @BeforeAll
  static void read() throws IOException {
    doc = Files.readString(deploymentDoc(), StandardCharsets.UTF_8);
    blocks = new ArrayList<>();
    List<String> block = null;
    for (String line : doc.replace("\\\n", " ").lines().toList()) {
      if (line.strip().startsWith("```")) {
        if (block == null && line.strip().equals("```sh")) {
          block = new ArrayList<>();
        } else if (block != null) {
          blocks.add(expandLoops(block));
          block = null;
        }
      } else if (block != null) {
        block.add(line.strip().replaceAll("\\s+", " "));
      }
    }
  }

  @Test
  void theServersOfEachWalkListenOnPortsOfTheirOwnAndItsClientsReachOne() {
    int walks = 0;
    for (List<String> block : blocks) {
      List<Server> servers = servers(block);
      if (servers.size() < 2) {
        continue;
      }
      walks++;
      Set<Integer> seen = new HashSet<>();
      for (Server s : servers) {
        for (int port : s.ports()) {
          assertThat(seen.add(port)).as("port %d is taken twice: %s", port, s.line()).isTrue();
        }
      }
      for (String line : block) {
        Matcher port = PORT_FLAG.matcher(line);
        if (CLIENT.matcher(line).find() && port.find()) {
          assertThat(seen).as(line).contains(Integer.parseInt(port.group(1)));
        }
      }
    }
    assertThat(walks).as("walks with two nodes or more").isGreaterThanOrEqualTo(2);
  }

  @Test
  void eachWalkCanBeToldApartStoppedAndTriedAsWritten() throws IOException {
    int walks = 0;
    for (List<String> block : blocks) {
      List<Server> servers = servers(block);
      if (servers.size() < 2) {
        continue;
      }
      walks++;
      // Findings 12 and 14: a node id and a log file of its own, no --data-dir with PostgreSQL.
      assertThat(servers.stream().map(s -> setting(s.line(), "node-id", "")))
          .doesNotContain("")
          .doesNotHaveDuplicates();
      assertThat(servers.stream().map(s -> s.line().replaceAll(".*> (\\S+\\.log) .*", "$1")))
          .allMatch(log -> log.endsWith(".log"))
          .doesNotHaveDuplicates();
      assertThat(servers)
          .noneMatch(s -> s.line().contains("store=postgres") && s.line().contains("--data-dir"));
      // Finding 12: nodes started in the background are stopped in the same block.
      if (servers.stream().anyMatch(s -> s.line().endsWith("&"))) {
        assertThat(block).anyMatch(l -> l.startsWith("kill "));
      }
      // Finding 13: where clients connect to the nodes directly, the nodes expect no PROXY header.
      if (block.stream().anyMatch(l -> CLIENT.matcher(l).find())) {
        assertThat(servers).noneMatch(s -> s.line().contains("proxy-protocol=true"));
      }
    }
    assertThat(walks).isGreaterThanOrEqualTo(2);
    // Finding 15: HAProxy logs to stdout, which a daemon (-D) has not.
    String cfg = Files.readString(deploymentDoc().resolveSibling("haproxy.cfg"));
    if (cfg.contains("log stdout")) {
      for (List<String> block : blocks) {
        assertThat(block)
            .noneMatch(l -> l.matches(".*\\bhaproxy\\b.*") && l.matches(".* -D( .*|$)"));
      }
    }
  }

  @Test
  void noSuggestedAdminPortIsOneTheWalksUse() {
    Set<Integer> used = new HashSet<>();
    for (List<String> block : blocks) {
      servers(block).forEach(s -> used.addAll(s.ports()));
    }
    Matcher m = ADMIN.matcher(doc);
    int suggested = 0;
    while (m.find()) {
      suggested++;
      assertThat(used).as("admin.port=%s", m.group(1)).doesNotContain(Integer.parseInt(m.group(1)));
    }
    assertThat(suggested).isPositive();
  }

  /** The servers a block starts ({@code ./imps server} without {@code --help}) and their ports. */
  private static List<Server> servers(List<String> block) {
    List<Server> servers = new ArrayList<>();
    for (String line : block) {
      if (!line.contains("./imps server") || line.contains("--help")) {
        continue;
      }
      List<Integer> ports = new ArrayList<>();
      Matcher port = PORT_FLAG.matcher(line);
      boolean tlsOnly = line.contains("tls.required=true");
      if (!tlsOnly) {
        ports.add(port.find() ? Integer.parseInt(port.group(1)) : ServerConfig.DEFAULT_PORT);
      }
      if (!line.contains("web.enabled=false")) {
        ports.add(setting(line, "web.port", ServerConfig.DEFAULT_WEB_PORT));
      }
      if (line.contains("tls.cert-file=")) {
        ports.add(setting(line, "tls.port", ServerConfig.DEFAULT_TLS_PORT));
      }
      if (line.contains("admin.port=")) {
        ports.add(setting(line, "admin.port", -1));
      }
      servers.add(new Server(line, ports));
    }
    return servers;
  }

  private static int setting(String line, String key, int otherwise) {
    Matcher m = Pattern.compile(Pattern.quote(key) + "=(\\d+)").matcher(line);
    return m.find() ? Integer.parseInt(m.group(1)) : otherwise;
  }

  private static String setting(String line, String key, String otherwise) {
    Matcher m = Pattern.compile(Pattern.quote(key) + "=(\\S+)").matcher(line);
    return m.find() ? m.group(1) : otherwise;
  }

  /** Replaces each {@code for V in A B; do ... done} by its body once per value. */
  private static List<String> expandLoops(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher loop = FOR.matcher(lines.get(i));
      if (!loop.matches()) {
        out.add(lines.get(i));
        continue;
      }
      List<String> body = new ArrayList<>();
      for (i++; i < lines.size() && !lines.get(i).equals("done"); i++) {
        body.add(lines.get(i));
      }
      for (String value : loop.group(2).trim().split(" ")) {
        for (String b : body) {
          out.add(b.replace("$" + loop.group(1), value));
        }
      }
    }
    return out;
  }

  private static Path deploymentDoc() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path doc = dir.resolve("docs/DEPLOYMENT.md");
      if (Files.isRegularFile(doc)) {
        return doc;
      }
    }
    throw new IllegalStateException("docs/DEPLOYMENT.md not found above " + Path.of(""));
  }
}
