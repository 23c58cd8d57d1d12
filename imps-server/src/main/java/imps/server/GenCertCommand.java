package imps.server;

import imps.server.transport.tls.SelfSignedCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code imps gen-cert}: writes a self-signed certificate and its key for trying TLS out, and says
 * how the server and the clients use them. Not for production: clients trust the certificate only
 * because they are given it ({@code --ca-file}).
 */
@Command(
    name = "imps gen-cert",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a self-signed TLS certificate and key (ECDSA P-256, PEM) for trying TLS out.",
      "For production use a certificate from your CA (e.g. Let's Encrypt)."
    })
public final class GenCertCommand implements Callable<Integer> {

  @Option(
      names = "--name",
      paramLabel = "HOST",
      description =
          "A host name or IP address clients connect to (repeatable; default: localhost and"
              + " 127.0.0.1).")
  List<String> names = new ArrayList<>();

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      defaultValue = "tls/cert.pem",
      description = "Certificate file to write (default: ${DEFAULT-VALUE}).")
  Path certFile;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      defaultValue = "tls/key.pem",
      description = "Key file to write, readable by its owner only (default: ${DEFAULT-VALUE}).")
  Path keyFile;

  @Option(
      names = "--days",
      defaultValue = "365",
      description = "Validity in days (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--force", description = "Overwrite existing files.")
  boolean force;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (days < 1) {
      err.println("imps gen-cert: --days must be at least 1");
      return 2;
    }
    List<String> hosts = names.isEmpty() ? SelfSignedCertificate.LOCAL_NAMES : names;
    SelfSignedCertificate pair =
        SelfSignedCertificate.generate(hosts, Duration.ofDays(days), Clock.systemUTC());
    try {
      write(keyFile, pair.privateKeyPem(), true);
      write(certFile, pair.certificatePem(), false);
    } catch (FileAlreadyExistsException e) {
      err.println("imps gen-cert: " + e.getFile() + " exists; use --force to overwrite it");
      return 2;
    } catch (IOException e) {
      err.println("imps gen-cert: cannot write: " + e);
      return 1;
    }
    out.println("Wrote " + certFile + " and " + keyFile + " for " + String.join(", ", hosts) + ".");
    out.println(
        "Server:  ./imps server --set tls.cert-file="
            + certFile
            + " --set tls.key-file="
            + keyFile);
    out.println("Clients: ./imps chat --tls --ca-file " + certFile + " --host " + hosts.get(0));
    return 0;
  }

  private void write(Path file, String text, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    if (Files.exists(file)) {
      if (!force) {
        throw new FileAlreadyExistsException(file.toString());
      }
      Files.delete(file);
    }
    if (secret && Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      // Created with its final permissions, so the key is never readable by others.
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(
        file,
        text,
        StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new GenCertCommand()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
