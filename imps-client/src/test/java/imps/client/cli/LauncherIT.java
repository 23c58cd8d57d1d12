package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher a user types first ({@code ./imps} at the repository root): its own options, which
 * answer without building anything. The commands it starts are tested through their classes ({@link
 * CliIT}, {@code MainTest}).
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("..", "imps").toAbsolutePath().normalize();

  record Result(int code, String out, String err) {}

  static Result launch(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out, err);
  }

  @Test
  void versionIsTheOneOfTheCommandsItRuns() throws Exception {
    assertThat(LAUNCHER).isRegularFile();
    StringWriter out = new StringWriter();
    ImpsCli.run(
        new String[] {"chat", "--version"},
        new CliIo(
            new PrintWriter(out, true), new PrintWriter(new StringWriter()), Map.of(), p -> null));
    String version = out.toString().strip().replace("IMPS client ", "");
    for (String flag : new String[] {"--version", "-V"}) {
      Result r = launch(flag);
      assertThat(r.code()).as(flag).isZero();
      assertThat(r.out()).as(flag).isEqualTo("IMPS " + version + "\n");
      assertThat(r.err()).as(flag).isEmpty();
    }
  }

  /**
   * The launcher's build step, run for real: a copy of {@code ./imps} in a checkout of its own (one
   * module named imps-client with one class, built offline with the plugin versions of the parent
   * POM) builds the missing jar and runs it. What it writes while building, to a pipe as a captured
   * log would be, carries no terminal escape (newcomer finding 25: Maven 3.8's jansi wrote {@code
   * ESC[0m} at exit despite {@code -Dstyle.color=never}).
   */
  @Test
  void theBuildItRunsWritesPlainTextToAPipe(@TempDir Path root) throws Exception {
    boolean mvn = onPath("mvn");
    if (!mvn && "required".equalsIgnoreCase(System.getenv("IMPS_IT_SERVICES"))) {
      throw new AssertionError("mvn is not on the PATH and IMPS_IT_SERVICES=required");
    }
    assumeTrue(mvn, "mvn is not on the PATH");
    String parent = Files.readString(LAUNCHER.resolveSibling("pom.xml"));
    Files.copy(LAUNCHER, root.resolve("imps"));
    Files.createDirectories(root.resolve(".mvn"));
    Files.writeString(root.resolve(".mvn/maven.config"), "-o\n"); // everything is in ~/.m2
    Files.writeString(
        root.resolve("pom.xml"),
        pom("imps-launcher-check", "pom", "<modules><module>imps-client</module></modules>", ""));
    Path module = root.resolve("imps-client");
    StringBuilder plugins = new StringBuilder();
    for (String plugin : List.of("resources", "compiler", "jar", "surefire")) {
      plugins
          .append("<plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-")
          .append(plugin)
          .append("-plugin</artifactId><version>")
          .append(pluginVersion(parent, plugin))
          .append("</version></plugin>");
    }
    Files.createDirectories(module.resolve("src/main/java/imps/client/cli"));
    Files.writeString(
        module.resolve("pom.xml"),
        pom("imps-client", "jar", "", "<build><plugins>" + plugins + "</plugins></build>"));
    Files.writeString(
        module.resolve("src/main/java/imps/client/cli/ImpsCli.java"),
        "package imps.client.cli; public class ImpsCli { public static void main(String[] a) {"
            + " System.out.println(\"ran \" + String.join(\" \", a)); } }\n");

    Process p =
        new ProcessBuilder("bash", root.resolve("imps").toString(), "chat", "--version")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .startsWith("imps: building imps-client ...\n")
        .endsWith("ran chat --version\n")
        .doesNotContain("\u001b");
  }

  private static String pom(String artifactId, String packaging, String modules, String build) {
    return "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
        + "<groupId>imps.check</groupId><artifactId>"
        + artifactId
        + "</artifactId><version>0.1.0-SNAPSHOT</version><packaging>"
        + packaging
        + "</packaging><properties><maven.compiler.release>17</maven.compiler.release>"
        + "<project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>"
        + modules
        + build
        + "</project>";
  }

  /** The version the repository's parent POM pins for {@code maven-NAME-plugin}. */
  private static String pluginVersion(String parentPom, String name) {
    Matcher m =
        Pattern.compile(
                "<artifactId>maven-" + name + "-plugin</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(parentPom);
    assertThat(m.find()).as(name).isTrue();
    String v = m.group(1);
    if (v.startsWith("${")) {
      Matcher prop =
          Pattern.compile("<" + Pattern.quote(v.substring(2, v.length() - 1)) + ">([^<]+)<")
              .matcher(parentPom);
      assertThat(prop.find()).as(v).isTrue();
      v = prop.group(1);
    }
    return v;
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null
        && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }

  @Test
  void helpFitsATerminalAndMistakesAreUsageErrors() throws Exception {
    Result help = launch("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("usage: ./imps COMMAND").contains("--version");
    assertThat(help.out().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));

    Result none = launch();
    assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.out()).contains("usage: ./imps COMMAND");

    Result unknown = launch("serve");
    assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).startsWith("imps: unknown command 'serve'\n");
  }
}
