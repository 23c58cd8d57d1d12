package imps.client.cli;

import imps.client.AddFriendResult;
import imps.client.ClientOptions;
import imps.client.ImpsClient;
import imps.client.ImpsClientException;
import imps.client.ImpsListener;
import imps.protocol.Gender;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.MessagePush;
import imps.protocol.message.StatusNotifyPush;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The one-shot commands for scripts. */
final class OneShotCommands {
  private OneShotCommands() {}

  @Command(
      mixinStandardHelpOptions = true,
      name = "register",
      description = "Create an account (password from IMPS_PASSWORD or a prompt).")
  static final class Register implements Callable<Integer> {
    @Mixin ServerOptions server;

    @Option(names = "--user", required = true, paramLabel = "NAME", description = "new user name")
    String user;

    @Option(names = "--email", defaultValue = "", paramLabel = "E", description = "email address")
    String email;

    @Option(
        names = "--gender",
        defaultValue = "unspecified",
        paramLabel = "G",
        description = "unspecified, male or female (or 0, 1, 2)")
    String gender;

    private final CliIo io;

    Register(CliIo io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      Gender g = parseGender(gender);
      if (g == null) {
        io.err().println("imps: --gender must be unspecified, male or female");
        return ExitCodes.USAGE;
      }
      String password = io.password("Password for " + user + ": ");
      if (io.env().get("IMPS_PASSWORD") == null) {
        String again = io.password("Repeat password: ");
        if (!again.equals(password)) {
          io.err().println("imps: the passwords differ");
          return ExitCodes.USAGE;
        }
      }
      ClientOptions options =
          server.clientOptions().heartbeatInterval(java.time.Duration.ZERO).build();
      try (ImpsClient client = new ImpsClient(options, new ImpsListener() {})) {
        client.connect().join();
        if (client.register(user, password, g, email).join()) {
          io.out().println("registered " + user);
          return ExitCodes.OK;
        }
        io.err().println("imps: the user name " + user + " is already taken");
        return ExitCodes.REFUSED;
      } catch (CompletionException e) {
        ImpsClientException ie = ImpsClientException.unwrap(e);
        if (ie == null) {
          throw e;
        }
        io.err().println("imps: " + Messages.describe(ie, user));
        return ExitCodes.of(ie);
      }
    }

    /** The gender a user typed, or {@code null} when it is none of the known words. */
    static Gender parseGender(String s) {
      return switch (s.toLowerCase(java.util.Locale.ROOT)) {
        case "unspecified", "0", "" -> Gender.UNSPECIFIED;
        case "male", "m", "1" -> Gender.MALE;
        case "female", "f", "2" -> Gender.FEMALE;
        default -> null;
      };
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Ask FRIEND to be your friend.")
  static final class Add extends OneShot {
    @Parameters(paramLabel = "FRIEND", description = "the user to ask")
    String friend;

    Add(CliIo io) {
      super(io);
    }

    @Override
    String target() {
      return friend;
    }

    @Override
    int run(ImpsClient client) {
      AddFriendResult r = client.addFriend(friend).join();
      switch (r.outcome()) {
        case SENT -> {
          io.out().println("friend request sent to " + r.userName());
          return ExitCodes.OK;
        }
        case FRIENDS -> {
          io.out().println("you and " + r.userName() + " are now friends");
          return ExitCodes.OK;
        }
        case NO_SUCH_USER -> {
          io.err().println("imps: there is no user named " + r.userName());
          return ExitCodes.REFUSED;
        }
        default -> {
          io.err().println("imps: " + r.userName() + " cannot be added (friend limit reached)");
          return ExitCodes.REFUSED;
        }
      }
    }
  }

  /** accept and reject: answer a pending request. */
  abstract static class Answer extends OneShot {
    @Parameters(paramLabel = "FRIEND", description = "the user whose request to answer")
    String friend;

    private final boolean accept;

    Answer(CliIo io, boolean accept) {
      super(io);
      this.accept = accept;
    }

    @Override
    String target() {
      return friend;
    }

    @Override
    int run(ImpsClient client) {
      client.answerFriendRequest(friend, accept).join();
      io.out().println((accept ? "accepted " : "rejected ") + friend + "'s friend request");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "accept",
      mixinStandardHelpOptions = true,
      description = "Accept FRIEND's pending friend request.")
  static final class Accept extends Answer {
    Accept(CliIo io) {
      super(io, true);
    }
  }

  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description = "Reject FRIEND's pending friend request.")
  static final class Reject extends Answer {
    Reject(CliIo io) {
      super(io, false);
    }
  }

  @Command(
      name = "friends",
      mixinStandardHelpOptions = true,
      description = "List friends with status and last location.")
  static final class Friends extends OneShot {
    Friends(CliIo io) {
      super(io);
    }

    @Override
    int run(ImpsClient client) {
      List<FriendInfo> friends = client.friends().join();
      if (friends.isEmpty()) {
        io.err().println("imps: no friends yet");
      }
      friends.forEach(f -> io.out().println(EventFormat.friend(f)));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "send",
      mixinStandardHelpOptions = true,
      description = "Send a text message to a friend.")
  static final class Send extends OneShot {
    @Option(names = "--to", required = true, paramLabel = "FRIEND", description = "recipient")
    String to;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "the message")
    List<String> words;

    Send(CliIo io) {
      super(io);
    }

    @Override
    String target() {
      return to;
    }

    @Override
    int run(ImpsClient client) {
      client.sendMessage(to, String.join(" ", words)).join();
      io.out().println("message sent to " + to);
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "voice",
      mixinStandardHelpOptions = true,
      description = "Send a file as a voice clip to a friend.")
  static final class Voice extends OneShot {
    @Option(names = "--to", required = true, paramLabel = "FRIEND", description = "recipient")
    String to;

    @Parameters(paramLabel = "FILE", description = "the clip (at most 60 KiB by default)")
    Path file;

    private byte[] clip;

    Voice(CliIo io) {
      super(io);
    }

    @Override
    public Integer call() throws Exception {
      // Read the file before logging in, so that a typo costs no session.
      try {
        clip = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        io.err().println("imps: no such file: " + file);
        return ExitCodes.USAGE;
      } catch (IOException e) {
        io.err().println("imps: cannot read " + file + ": " + e.getMessage());
        return ExitCodes.FAILURE;
      }
      return super.call();
    }

    @Override
    String target() {
      return to;
    }

    @Override
    int run(ImpsClient client) {
      client.sendVoice(to, clip).join();
      io.out().println("voice clip sent to " + to + " (" + clip.length + " bytes)");
      return ExitCodes.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "recv",
      description =
          "Log in and print what arrives (stored messages, clips, requests first), until the wait"
              + " ends.")
  static final class Recv extends OneShot {
    @Option(
        names = "--wait",
        defaultValue = "0",
        paramLabel = "SECONDS",
        description =
            "keep listening this long after the stored events (default: ${DEFAULT-VALUE})")
    int waitSeconds;

    @Option(
        names = "--save-dir",
        defaultValue = ".",
        paramLabel = "DIR",
        description = "where voice clips are saved (default: current directory)")
    Path saveDir;

    private final CountDownLatch kicked = new CountDownLatch(1);

    Recv(CliIo io) {
      super(io);
    }

    @Override
    ImpsListener listener() {
      return new ImpsListener() {
        private void say(String s) {
          io.out().println(s);
          io.out().flush();
        }

        @Override
        public void onMessage(MessagePush m) {
          say(EventFormat.message(m));
        }

        @Override
        public void onVoiceClip(AudioPush clip) {
          String saved;
          try {
            saved = EventFormat.saveClip(saveDir, clip).toString();
          } catch (IOException e) {
            saved = null;
            io.err().println("imps: cannot save clip: " + e.getMessage());
          }
          say(EventFormat.voice(clip, saved));
        }

        @Override
        public void onFriendRequest(FriendRequestPush r) {
          say(EventFormat.friendRequest(r));
        }

        @Override
        public void onFriendRequestOutcome(AddFriendResponse r) {
          say(EventFormat.outcome(r));
        }

        @Override
        public void onPresence(StatusNotifyPush p) {
          say(EventFormat.presence(p));
        }

        @Override
        public void onLoggedInElsewhere() {
          io.err().println("imps: logged in elsewhere; stopped listening");
          kicked.countDown();
        }
      };
    }

    @Override
    int run(ImpsClient client) throws InterruptedException {
      // The server sends the stored backlog right after the login reply and answers requests in
      // order, so once this heartbeat is answered the backlog has been printed (same thread).
      client.heartbeat(List.of()).join();
      if (kicked.await(Math.max(0, waitSeconds), TimeUnit.SECONDS)) {
        return ExitCodes.AUTH;
      }
      return ExitCodes.OK;
    }
  }
}
