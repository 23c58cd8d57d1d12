package imps.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imps.server.admin.AdminToken;
import imps.server.config.ConfigException;
import imps.server.config.ConfigLoader;
import imps.server.config.ServerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code imps admin COMMAND [ARGS]}: the command-line face of the admin commands. It reads the same
 * configuration as the server (config file, IMPS_* variables, flags) to find the admin port and the
 * token (configured, or the file the server wrote into its data directory), asks the server which
 * commands there are ({@code GET /api}), and runs one through the HTTP API. Arguments are given in
 * the order the command lists them ({@code users add bob secret1}), as {@code key=value}, or as
 * {@code --key value}.
 */
@Command(
    name = "imps admin",
    mixinStandardHelpOptions = true,
    description = "Runs an admin command on a running server (./imps admin help lists them).",
    footer = {
      "",
      "Examples: ./imps admin stats; ./imps admin users list q=al; ./imps admin users add bob"
          + " secret1;",
      "./imps admin sessions kick bob; ./imps admin drain --delay 30s; ./imps admin backup"
          + " /var/backups/imps.db",
      "The server needs admin.port set (e.g. --set admin.port=7681); see docs/OPERATIONS.md."
    })
public final class AdminCli implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--config", paramLabel = "FILE", description = "The server's config file.")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The server's data directory.")
  Path dataDir;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "Admin endpoint, e.g. http://127.0.0.1:7681 (default: from the config).")
  String url;

  @Option(names = "--token-file", paramLabel = "FILE", description = "File with the token.")
  Path tokenFile;

  @Parameters(paramLabel = "WORDS", description = "The command and its arguments.")
  List<String> words = new ArrayList<>();

  // Set by tests: where output goes.
  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() throws IOException, InterruptedException {
    String base;
    String token;
    try {
      Map<String, String> flags = new LinkedHashMap<>();
      if (dataDir != null) {
        flags.put(ServerConfig.Key.DATA_DIR.key(), dataDir.toString());
      }
      ServerConfig cfg = ConfigLoader.load(config, System.getenv(), flags);
      base = url != null ? url : baseUrl(cfg);
      if (base == null) {
        err.println(
            "imps admin: the admin endpoint is off (admin.port = -1); start the server with"
                + " --set admin.port=7681, or give --url");
        return 2;
      }
      String configured = cfg.get(ServerConfig.Key.ADMIN_TOKEN);
      token =
          tokenFile != null
              ? AdminToken.read(tokenFile)
              : !configured.isEmpty()
                  ? configured
                  : AdminToken.read(cfg.dataDir().resolve(AdminToken.FILE));
    } catch (ConfigException e) {
      err.println("imps admin: invalid configuration: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println(
          "imps admin: cannot read the admin token ("
              + e.getMessage()
              + "); run as the server's user, or give --token-file");
      return 2;
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> listing;
    try {
      listing = http.send(request(base + "/api", token).GET().build(), body());
    } catch (IOException e) {
      err.println("imps admin: cannot reach the server at " + base + ": " + e.getMessage());
      return 3;
    }
    if (listing.statusCode() != 200) {
      err.print("imps admin: " + listing.body());
      return 1;
    }
    JsonNode commands = JSON.readTree(listing.body());
    if (words.isEmpty() || words.equals(List.of("help"))) {
      help(commands);
      return 0;
    }
    Invocation inv;
    try {
      inv = parse(commands, words);
    } catch (IllegalArgumentException e) {
      err.println("imps admin: " + e.getMessage());
      return 2;
    }
    String form = form(inv.args());
    String path = base + inv.command().get("path").asText();
    HttpRequest.Builder req;
    if (inv.command().get("method").asText().equals("POST")) {
      req =
          request(path, token)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form));
    } else {
      req = request(form.isEmpty() ? path : path + "?" + form, token).GET();
    }
    HttpResponse<String> r = http.send(req.build(), body());
    (r.statusCode() == 200 ? out : err).print(r.body());
    return r.statusCode() == 200 ? 0 : 1;
  }

  private static HttpResponse.BodyHandler<String> body() {
    return HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);
  }

  private static HttpRequest.Builder request(String uri, String token) {
    return HttpRequest.newBuilder(URI.create(uri))
        .timeout(Duration.ofMinutes(10)) // a backup of a large store takes a while
        .header("Authorization", "Bearer " + token);
  }

  /** http://host:port of the admin endpoint in {@code cfg}, or null when it is off. */
  static String baseUrl(ServerConfig cfg) {
    int port = cfg.get(ServerConfig.Key.ADMIN_PORT);
    if (port <= 0) {
      return null;
    }
    String host = cfg.get(ServerConfig.Key.ADMIN_HOST);
    if (host.isEmpty() || host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    } else if (host.equals("::")) {
      host = "[::1]";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port;
  }

  /** A command found in the listing and its named arguments. */
  record Invocation(JsonNode command, Map<String, String> args) {}

  /** The longest command name the words start with; the rest become its arguments. */
  static Invocation parse(JsonNode commands, List<String> words) {
    JsonNode best = null;
    int used = 0;
    for (JsonNode c : commands) {
      String[] name = c.get("command").asText().split(" ");
      if (name.length > used
          && name.length <= words.size()
          && List.of(name).equals(words.subList(0, name.length))) {
        best = c;
        used = name.length;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException(
          "no admin command '" + String.join(" ", words) + "' (./imps admin help lists them)");
    }
    List<String> params = new ArrayList<>();
    best.get("params").forEach(p -> params.add(p.get("name").asText()));
    Map<String, String> args = new LinkedHashMap<>();
    int positional = 0;
    List<String> rest = words.subList(used, words.size());
    for (int i = 0; i < rest.size(); i++) {
      String w = rest.get(i);
      if (w.startsWith("--") && w.length() > 2) {
        String k = w.substring(2);
        int eq = k.indexOf('=');
        if (eq >= 0) {
          args.put(k.substring(0, eq), k.substring(eq + 1));
        } else if (i + 1 < rest.size()) {
          args.put(k, rest.get(++i));
        } else {
          throw new IllegalArgumentException("--" + k + " needs a value");
        }
      } else if (w.indexOf('=') > 0 && params.contains(w.substring(0, w.indexOf('=')))) {
        args.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
      } else {
        while (positional < params.size() && args.containsKey(params.get(positional))) {
          positional++;
        }
        if (positional >= params.size()) {
          throw new IllegalArgumentException("too many arguments: " + w);
        }
        args.put(params.get(positional++), w);
      }
    }
    return new Invocation(best, args);
  }

  private static String form(Map<String, String> args) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : args.entrySet()) {
      if (!sb.isEmpty()) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  private void help(JsonNode commands) {
    out.println("Admin commands (./imps admin COMMAND ARGS...):");
    for (JsonNode c : commands) {
      StringBuilder line = new StringBuilder("  " + c.get("command").asText());
      for (JsonNode p : c.get("params")) {
        String n = p.get("name").asText().toUpperCase(java.util.Locale.ROOT);
        line.append(' ').append(p.get("required").asBoolean() ? n : "[" + n + "]");
      }
      out.printf("%-44s %s%n", line, c.get("summary").asText());
    }
  }

  public static void main(String[] args) {
    System.exit(commandLine(new AdminCli()).execute(args));
  }

  /** The parser: options it does not know (--delay) are a command's arguments. */
  static CommandLine commandLine(AdminCli cli) {
    return new CommandLine(cli).setUnmatchedOptionsArePositionalParams(true);
  }
}
