package imps.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The browser tests that share one real server (with the web client) per test class: started once
 * Chromium is known to be there, stopped after the class. Test classes run one after another, so
 * the one field serves each in turn.
 */
abstract class ServerPerClass {
  static WebServer server;

  @BeforeAll
  static void startServer() throws Exception {
    Chromium.require();
    server = WebServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
