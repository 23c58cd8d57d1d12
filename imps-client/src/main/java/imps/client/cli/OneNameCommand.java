package imps.client.cli;

/**
 * A one-shot command about one other user ({@code add FRIEND}, {@code block USER}, {@code send --to
 * FRIEND}, {@code history FRIEND}, ...), whom error messages then name.
 *
 * <p>Picocli sets the name through the subclass's {@code @Parameters} (or {@code @Option}) setter,
 * which gives its label and description for {@code --help}.
 */
abstract class OneNameCommand extends OneShot {
  /** The user named on the command line. */
  String name;

  OneNameCommand(CliIo io) {
    super(io);
  }

  @Override
  final String target() {
    return name;
  }
}
