package imps.server.message;

import static imps.server.ImpsServerExtension.expectStatus;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.ReadNotice;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StoredPush;
import imps.protocol.message.UnreadCounts;
import imps.protocol.message.UnreadRequest;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Unread counts over TCP (C_UNREAD_REQ, docs/PROTOCOL.md 8.8): the messages and clips from each
 * friend after the newest one the user's C_READ covered, from the server's data, so the same on the
 * next login or another device; unaffected by delivery.
 */
class UnreadIT {
  @RegisterExtension static final ImpsServerExtension server = ImpsServerExtension.withDefaults();

  private static final Set<Feature> UNREAD = Set.of(Feature.ACKS, Feature.RECEIPTS, Feature.UNREAD);

  private static UnreadCounts unread(FrameClient c) throws IOException {
    c.send(UnreadRequest.INSTANCE);
    return c.expect(UnreadCounts.class);
  }

  @Test
  void countsWhatFollowsTheLastReadMarkAcrossLoginsWhetherDeliveredOrNot() throws IOException {
    LoggedInFriends f = server.friends("una", "unb");
    f.cb().close();
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    for (String text : List.of("一", "二", "三")) {
      f.ca().send(new SendMessage(f.a(), f.b(), text));
      f.ca().expectError(0, CommandType.C_SEND_MSG);
    }
    f.ca().send(new AudioRequest(f.b(), ClipBytes.copyOf(new byte[] {1, 2}), "t"));
    f.ca().expectError(0, CommandType.C_AUDIO_REQ);

    FrameClient b = server.optIn(f.b(), UNREAD);
    expectStatus(f.ca(), f.b(), Presence.ONLINE);
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      seqs.add(b.expect(StoredPush.class).seq()); // the backlog, not acknowledged
    }
    UnreadCounts all = unread(b);
    assertThat(all.friends()).containsExactly(new UnreadCounts.Friend(f.a(), 4));
    assertThat(all.asOfSeq()).isGreaterThanOrEqualTo(seqs.get(3));

    // Read up to the second: two left.
    b.send(new ReadNotice(f.a(), seqs.get(1)));
    b.expectError(0, CommandType.C_READ);
    assertThat(unread(b).friends()).containsExactly(new UnreadCounts.Friend(f.a(), 2));
    // A read mark never goes back.
    b.send(new ReadNotice(f.a(), seqs.get(0)));
    b.expectError(0, CommandType.C_READ);
    assertThat(unread(b).friends()).containsExactly(new UnreadCounts.Friend(f.a(), 2));

    // Another device (a new login): the same counts, from the server.
    b.close();
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    FrameClient b2 = server.optIn(f.b(), UNREAD);
    expectStatus(f.ca(), f.b(), Presence.ONLINE);
    for (int i = 0; i < 4; i++) {
      b2.expect(StoredPush.class);
    }
    UnreadCounts again = unread(b2);
    assertThat(again.friends()).containsExactly(new UnreadCounts.Friend(f.a(), 2));
    // Reading up to AsOfSeq reads everything counted.
    b2.send(new ReadNotice(f.a(), again.asOfSeq()));
    b2.expectError(0, CommandType.C_READ);
    assertThat(unread(b2).friends()).isEmpty();

    // A new message is unread, live or not.
    f.ca().send(new SendMessage(f.a(), f.b(), "四"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    long seq = b2.awaitMatching(StoredPush.class, p -> true).seq();
    UnreadCounts one = unread(b2);
    assertThat(one.friends()).containsExactly(new UnreadCounts.Friend(f.a(), 1));
    assertThat(one.asOfSeq()).isGreaterThanOrEqualTo(seq);
  }

  @Test
  void unreadCountsAreOptInAndComeWithReceiptsOnly() throws IOException {
    LoggedInFriends f = server.friends("uoa", "uob");
    f.ca().send(UnreadRequest.INSTANCE);
    f.ca().expectError(3, CommandType.C_UNREAD_REQ);
    FrameClient c = server.connect();
    c.send(new Hello(1, Set.of(Feature.ACKS, Feature.UNREAD)));
    assertThat(c.expect(HelloResponse.class).features()).containsExactly(Feature.ACKS);
    c.close();
    FrameClient d = server.connect();
    d.send(new Hello(1, UNREAD));
    assertThat(d.expect(HelloResponse.class).features()).isEqualTo(UNREAD);
    d.close();
  }
}
