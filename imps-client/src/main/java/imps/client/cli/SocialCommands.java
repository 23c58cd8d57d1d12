package imps.client.cli;

import imps.client.ImpsClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The one-shot commands for friends and account control (the SOCIAL extension): unfriend, block,
 * unblock, blocked, passwd and delete-account. Same options, output rules and exit codes as {@link
 * OneShotCommands}.
 */
final class SocialCommands {
  private SocialCommands() {}

  @Command(name = "unfriend", description = "Stop being friends with FRIEND (both ways).")
  static final class Unfriend extends OneNameCommand {
    Unfriend(CliIo io) {
      super(io);
    }

    @Parameters(paramLabel = "FRIEND", description = "the friend to remove")
    void friend(String friend) {
      name = friend;
    }

    @Override
    int run(ImpsClient client, PrintingListener events) {
      client.unfriend(name).join();
      io.out().println(name + " is no longer your friend");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "block",
      description =
          "Block USER: ends a friendship, and their friend requests and messages no longer reach"
              + " you (they are not told).")
  static final class Block extends OneNameCommand {
    Block(CliIo io) {
      super(io);
    }

    @Parameters(paramLabel = "USER", description = "the user to block")
    void other(String other) {
      name = other;
    }

    @Override
    int run(ImpsClient client, PrintingListener events) {
      client.block(name).join();
      io.out()
          .println(name + " is blocked (their friend requests and messages will not reach you)");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "unblock",
      description = "Lift the block on USER (it does not make you friends again).")
  static final class Unblock extends OneNameCommand {
    Unblock(CliIo io) {
      super(io);
    }

    @Parameters(paramLabel = "USER", description = "the user to unblock")
    void other(String other) {
      name = other;
    }

    @Override
    int run(ImpsClient client, PrintingListener events) {
      client.unblock(name).join();
      io.out().println(name + " is no longer blocked");
      return ExitCodes.OK;
    }
  }

  @Command(name = "blocked", description = "List the users you blocked, one per line.")
  static final class Blocked extends OneShot {
    Blocked(CliIo io) {
      super(io);
    }

    @Override
    int run(ImpsClient client, PrintingListener events) {
      List<String> names = client.blocked().join();
      if (names.isEmpty()) {
        io.err().println("imps: you have blocked nobody");
      }
      names.forEach(io.out()::println);
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "passwd",
      footer = {
        "The current password comes from IMPS_PASSWORD or a prompt, the new one from",
        Passwords.NEW_ENV + " or a prompt (typed twice); never from a flag.",
        Clips.HELP_1,
        Clips.HELP_2
      },
      description = "Change your password; your other devices must log in again.")
  static final class Passwd extends OneShot {
    Passwd(CliIo io) {
      super(io);
    }

    @Override
    int run(ImpsClient client, PrintingListener events) {
      // Logged in with the current password, which the server checks again with the change.
      String current = io.passwords().existing("Password for " + user + ": ");
      String next = io.passwords().replacement("New password: ");
      if (next == null) {
        io.err().println("imps: the new passwords differ; nothing changed");
        return ExitCodes.USAGE;
      }
      String problem = InputRules.passwordProblem(next);
      if (problem != null) {
        io.err().println("imps: " + problem);
        return ExitCodes.REFUSED;
      }
      client.changePassword(current, next).join();
      io.out().println("password changed for " + user + "; your other devices must log in again");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "delete-account",
      description =
          "Delete your account and everything of it (messages, clips, locations, friendships)"
              + " for good; needs --yes.")
  static final class DeleteAccount extends OneShot {
    @Option(names = "--yes", description = "confirm: the account cannot be restored")
    boolean yes;

    DeleteAccount(CliIo io) {
      super(io);
    }

    @Override
    Integer check() {
      if (!yes) {
        io.err()
            .println(
                "imps: delete-account deletes "
                    + user
                    + " and everything of it for good; add --yes to confirm");
        return ExitCodes.USAGE;
      }
      return null;
    }

    @Override
    int run(ImpsClient client, PrintingListener events) {
      client.deleteAccount(io.passwords().existing("Password for " + user + ": ")).join();
      io.out().println("account " + user + " deleted");
      return ExitCodes.OK;
    }
  }
}
