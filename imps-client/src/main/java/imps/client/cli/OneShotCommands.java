package imps.client.cli;

import imps.client.AddFriendResult;
import imps.client.ClientOptions;
import imps.client.Friend;
import imps.client.ImpsClient;
import imps.client.Position;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The one-shot commands that act once for a logged-in user. */
final class OneShotCommands {
  private OneShotCommands() {}

  @Command(name = "add", description = "Ask FRIEND to be your friend.")
  static final class Add extends OneNameCommand {
    Add(CliIo io) {
      super(io);
    }

    @Parameters(paramLabel = "FRIEND", description = "the user to ask")
    void friend(String friend) {
      name = friend;
    }

    @Override
    int run(ImpsClient client, PrintingListener events) {
      AddFriendResult r = client.addFriend(name).join();
      switch (r.outcome()) {
        case SENT -> {
          io.out().println("friend request sent to " + r.userName());
          return ExitCodes.OK;
        }
        case FRIENDS -> {
          io.out().println(friendsLine(r.userName(), events.hadRequestFrom(r.userName())));
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

    /**
     * What an immediate "friends" answer means: when the user had asked first (their request was
     * seen in this session, since pending requests arrive at every login) both requests were just
     * accepted; otherwise the two were friends already.
     */
    static String friendsLine(String user, boolean theyHadAsked) {
      return theyHadAsked
          ? "you and " + user + " are now friends (" + user + " had asked you too)"
          : "you and " + user + " are already friends";
    }
  }

  /** accept and reject: answer a pending request. */
  abstract static class Answer extends OneNameCommand {
    private final boolean accept;

    Answer(CliIo io, boolean accept) {
      super(io);
      this.accept = accept;
    }

    @Parameters(paramLabel = "FRIEND", description = "the user whose request to answer")
    void friend(String friend) {
      name = friend;
    }

    @Override
    int run(ImpsClient client, PrintingListener events) {
      io.out().println(answer(client, events, name, accept));
      return ExitCodes.OK;
    }

    /**
     * Answers {@code requester}'s request and returns the one line that reports it (the server's
     * confirmation push is not printed again).
     *
     * @throws CompletionException when the answer fails
     */
    static String answer(
        ImpsClient client, PrintingListener events, String requester, boolean accept) {
      events.answering(requester, accept);
      try {
        client.answerFriendRequest(requester, accept).join();
      } catch (CompletionException e) {
        events.answerFailed(requester);
        throw e;
      }
      events.answered(requester);
      return accept
          ? "accepted " + requester + "'s friend request; you are now friends"
          : "rejected " + requester + "'s friend request";
    }
  }

  @Command(name = "accept", description = "Accept FRIEND's pending friend request.")
  static final class Accept extends Answer {
    Accept(CliIo io) {
      super(io, true);
    }
  }

  @Command(name = "reject", description = "Reject FRIEND's pending friend request.")
  static final class Reject extends Answer {
    Reject(CliIo io) {
      super(io, false);
    }
  }

  @Command(
      name = "friends",
      description =
          "List friends with status and last position, and its distance and direction from your"
              + " own last shared position, and how many of their messages are unread.")
  static final class Friends extends OneShot {
    Friends(CliIo io) {
      super(io);
    }

    @Override
    int run(ImpsClient client, PrintingListener events) {
      List<Friend> friends = client.friends().join();
      if (friends.isEmpty()) {
        io.err().println("imps: no friends yet");
        return ExitCodes.OK;
      }
      Position me =
          friends.stream().anyMatch(Friend::hasPosition) ? OwnPosition.lastShared(client) : null;
      UnreadView unread = new UnreadView(client, io.out()::println);
      unread.refresh();
      friends.forEach(
          f ->
              io.out()
                  .println(EventFormat.friend(f, me) + UnreadView.suffix(unread.count(f.name()))));
      return ExitCodes.OK;
    }
  }

  @Command(name = "send", description = "Send a text message to a friend.")
  static final class Send extends OneNameCommand {
    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "the message")
    List<String> words;

    Send(CliIo io) {
      super(io);
    }

    @Option(names = "--to", required = true, paramLabel = "FRIEND", description = "recipient")
    void to(String to) {
      name = to;
    }

    @Override
    Integer check() {
      String problem = InputRules.messageProblem(String.join(" ", words));
      if (problem != null) {
        io.err().println("imps: " + problem);
        return ExitCodes.REFUSED;
      }
      return null;
    }

    @Override
    int run(ImpsClient client, PrintingListener events) {
      client.sendMessage(name, String.join(" ", words)).join();
      io.out().println("message sent to " + name);
      return ExitCodes.OK;
    }
  }

  @Command(name = "voice", description = "Send a file as a voice clip to a friend.")
  static final class Voice extends OneNameCommand {
    @Option(
        names = "--max-clip-bytes",
        defaultValue = "" + ClientOptions.DEFAULT_MAX_AUDIO_BYTES,
        paramLabel = "N",
        description =
            "the largest clip for a server that does not announce its max-audio-bytes"
                + " (an older one); larger clips are refused before sending"
                + " (default: ${DEFAULT-VALUE})")
    int maxClipBytes;

    @Parameters(paramLabel = "FILE", description = "the clip")
    Path file;

    private byte[] clip;

    Voice(CliIo io) {
      super(io);
    }

    @Option(names = "--to", required = true, paramLabel = "FRIEND", description = "recipient")
    void to(String to) {
      name = to;
    }

    @Override
    ClientOptions.Builder clientOptions() {
      return super.clientOptions().maxAudioBytes(maxClipBytes);
    }

    @Override
    Integer check() {
      if (maxClipBytes < 1 || maxClipBytes > ClientOptions.MAX_AUDIO_BYTES_LIMIT) {
        io.err()
            .println("imps: --max-clip-bytes must be 1.." + ClientOptions.MAX_AUDIO_BYTES_LIMIT);
        return ExitCodes.USAGE;
      }
      // Read the file before logging in, so that a typo costs no session.
      try {
        // Up to the largest limit any server has: the one that applies is known after login.
        clip = Clips.read(file, ClientOptions.MAX_AUDIO_BYTES_LIMIT);
      } catch (IOException e) {
        io.err().println("imps: cannot read " + file + ": " + Clips.problem(e));
        return e instanceof NoSuchFileException ? ExitCodes.USAGE : ExitCodes.FAILURE;
      }
      if (clip.length == 0) {
        io.err().println("imps: cannot send " + file + ": the file is empty");
        return ExitCodes.REFUSED;
      }
      return null;
    }

    @Override
    int run(ImpsClient client, PrintingListener events) {
      client.sendVoice(name, clip).join();
      io.out().println("voice clip sent to " + name + " (" + clip.length + " bytes)");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "share",
      description = "Share a position with your friends (one location fix, stamped now).")
  static final class Share extends OneShot {
    @Parameters(
        paramLabel = "LAT,LON",
        description = "decimal degrees, latitude first, e.g. 23.13,113.26")
    String where;

    private Position position;

    Share(CliIo io) {
      super(io);
    }

    @Override
    Integer check() {
      try {
        position = Position.parse(where);
        return null;
      } catch (IllegalArgumentException e) {
        io.err().println("imps: " + e.getMessage());
        return ExitCodes.USAGE;
      }
    }

    @Override
    int run(ImpsClient client, PrintingListener events) {
      client.shareLocation(position).join();
      io.out().println("shared position " + position);
      return ExitCodes.OK;
    }
  }
}
