package imps.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import imps.server.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of {@link AdminCommands}: {@code /api/GROUP/COMMAND} ({@code /api/users/add} runs
 * "users add"), arguments from the query string and a form body ({@code
 * application/x-www-form-urlencoded}), the answer as JSON. Every request needs {@code
 * Authorization: Bearer TOKEN} ({@link AdminToken}); commands that change something need POST.
 * {@code GET /api} lists the commands.
 *
 * <p>Status codes: 200 done; 400 a bad argument; 401 no or wrong token; 404 no such command, or
 * what it names does not exist; 405 GET for a command that changes something; 501 not supported by
 * this store; 503 the store failed.
 */
public final class AdminApi {
  private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 64 * 1024;

  private final AdminCommands commands;
  private final AdminToken token;

  public AdminApi(AdminCommands commands, AdminToken token) {
    this.commands = commands;
    this.token = token;
  }

  /** Serves /api and below on {@code admin}. */
  public void register(AdminServer admin) {
    admin.route("/api", true, this::handle);
  }

  private void handle(HttpExchange exchange) throws IOException {
    if (!token.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      reply(exchange, 401, error("a valid admin token is needed (Authorization: Bearer ...)"));
      return;
    }
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (path.equals("/api") || path.equals("/api/")) {
      reply(exchange, 200, listing());
      return;
    }
    String name = String.join(" ", path.substring("/api/".length()).split("/"));
    AdminCommands.Command c = commands.find(name).orElse(null);
    if (c == null) {
      reply(exchange, 404, error("no admin command '" + name + "' (GET /api lists them)"));
      return;
    }
    if (c.changes() && !method.equals("POST")) {
      exchange.getResponseHeaders().set("Allow", "POST");
      reply(exchange, 405, error(name + " changes something: use POST"));
      return;
    }
    if (!method.equals("POST") && !method.equals("GET")) {
      exchange.getResponseHeaders().set("Allow", "GET, POST");
      reply(exchange, 405, error("use GET or POST"));
      return;
    }
    Map<String, String> args;
    try {
      args = new LinkedHashMap<>(form(exchange.getRequestURI().getRawQuery()));
      if (method.equals("POST")) {
        args.putAll(form(body(exchange.getRequestBody())));
      }
    } catch (IllegalArgumentException e) {
      reply(exchange, 400, error(e.getMessage()));
      return;
    }
    try {
      Object result = commands.run(c, args);
      if (c.changes()) {
        // Arguments may hold a password: only the command's name and the caller are logged.
        log.info("admin: {} (from {})", name, exchange.getRemoteAddress().getAddress());
      }
      reply(exchange, 200, result);
    } catch (Exception e) {
      Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (t instanceof AdminCommands.NotFoundException) {
        reply(exchange, 404, error(t.getMessage()));
      } else if (t instanceof IllegalArgumentException) {
        reply(exchange, 400, error(t.getMessage()));
      } else if (t instanceof UnsupportedOperationException) {
        reply(exchange, 501, error(t.getMessage()));
      } else if (t instanceof StoreException) {
        log.warn("admin: {} failed: {}", name, t.toString());
        reply(exchange, 503, error("the store failed: " + t.getMessage()));
      } else {
        log.warn("admin: {} failed", name, t);
        reply(exchange, 500, error("internal error: " + t));
      }
    }
  }

  private List<Map<String, Object>> listing() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (AdminCommands.Command c : commands.all()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("command", c.name());
      m.put("path", "/api/" + c.name().replace(' ', '/'));
      m.put("method", c.changes() ? "POST" : "GET");
      m.put("summary", c.summary());
      List<Map<String, Object>> params = new ArrayList<>();
      for (AdminCommands.Param p : c.params()) {
        params.add(Map.of("name", p.name(), "required", p.required(), "help", p.help()));
      }
      m.put("params", params);
      out.add(m);
    }
    return out;
  }

  private static Map<String, String> error(String message) {
    return Map.of("error", String.valueOf(message));
  }

  private static String body(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY + 1);
    if (bytes.length > MAX_BODY) {
      throw new IllegalArgumentException("request body over 64 KiB");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** {@code a=1&b=x%20y} as a map; null or empty gives an empty one. */
  static Map<String, String> form(String encoded) {
    Map<String, String> out = new LinkedHashMap<>();
    if (encoded == null || encoded.isBlank()) {
      return out;
    }
    for (String pair : encoded.trim().split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (out.put(k, v) != null) {
        throw new IllegalArgumentException("argument given twice: " + k);
      }
    }
    return out;
  }

  private static void reply(HttpExchange exchange, int status, Object value) throws IOException {
    AdminServer.respond(
        exchange,
        status,
        "application/json",
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n");
  }
}
