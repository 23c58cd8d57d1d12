package imps.server.account;

import static imps.server.ImpsServerExtension.PASSWORD;
import static imps.server.ImpsServerExtension.uniqueName;

import imps.protocol.CommandType;
import imps.protocol.Gender;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.server.ImpsServerExtension;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Section 7.2, registration. */
class RegistrationIT {
  @RegisterExtension static final ImpsServerExtension server = ImpsServerExtension.withDefaults();

  /** A server that takes three registrations per address. */
  @RegisterExtension
  static final ImpsServerExtension limited =
      ImpsServerExtension.withSettings(b -> b.set(ServerConfig.Key.REGISTRATIONS_PER_ADDRESS, "3"));

  @Test
  void registersThenNameIsTakenCaseInsensitively() throws IOException {
    String name = uniqueName("Reg");
    FrameClient c = server.connect();
    c.send(new RegisterRequest(name, "secret1", Gender.FEMALE, "a@example.org"));
    c.expect(new RegisterResponse(true));
    c.send(new RegisterRequest(name, "secret1", Gender.FEMALE, "a@example.org"));
    c.expect(new RegisterResponse(false));
    c.send(new RegisterRequest(name.toUpperCase(), "other12", Gender.MALE, ""));
    c.expect(new RegisterResponse(false));
  }

  @Test
  void registrationsPerAddressAreLimited() throws IOException {
    FrameClient c = limited.connect();
    for (int i = 0; i < 3; i++) {
      c.send(new RegisterRequest(uniqueName("lim"), "secret1", Gender.UNSPECIFIED, ""));
      c.expect(new RegisterResponse(true));
    }
    c.send(new RegisterRequest(uniqueName("lim"), "secret1", Gender.UNSPECIFIED, ""));
    c.expectError(10, CommandType.C_REGISTER);
  }

  @Test
  void namesAreUniqueUnderUnicodeCaseFolding() throws IOException {
    // U+1E9E (capital sharp s) folds to "ss", as U+00DF does: one account.
    String suffix = uniqueName("");
    FrameClient c = server.connect();
    c.send(new RegisterRequest("straße" + suffix, "secret1", Gender.UNSPECIFIED, ""));
    c.expect(new RegisterResponse(true));
    c.send(new RegisterRequest("straẞe" + suffix, "secret1", Gender.UNSPECIFIED, ""));
    c.expect(new RegisterResponse(false));
    c.send(new RegisterRequest("STRASSE" + suffix, "secret1", Gender.UNSPECIFIED, ""));
    c.expect(new RegisterResponse(false));
    c.send(new LoginRequest("strasse" + suffix, "secret1"));
    c.expect(LoginResponse.class);
  }

  @Test
  void namesMixingScriptsConfusablyAreRefused() throws IOException {
    FrameClient c = server.connect();
    // A Cyrillic "а" (U+0430) among Latin letters looks like "alice".
    c.send(new RegisterRequest("\u0430lice" + uniqueName(""), "secret1", Gender.UNSPECIFIED, ""));
    c.expectError(8, CommandType.C_REGISTER);
    // One script throughout is fine, whichever it is.
    c.send(new RegisterRequest("пример" + uniqueName(""), "secret1", Gender.UNSPECIFIED, ""));
    c.expect(new RegisterResponse(true));
  }

  @Test
  void registrationDoesNotLogIn() throws IOException {
    String name = uniqueName("reg");
    FrameClient c = server.connect();
    c.send(new RegisterRequest(name, "secret1", Gender.UNSPECIFIED, ""));
    c.expect(new RegisterResponse(true));
    c.send(new imps.protocol.message.FriendListRequest(name));
    c.expectError(5, CommandType.C_FRIENDLIST_REFURBISH_REQ);
  }

  @Test
  void registrationAfterLoginKeepsTheSession() throws IOException {
    String me = uniqueName("me");
    FrameClient c = server.newUser(me);
    String other = uniqueName("other");
    c.send(new RegisterRequest(other, "secret1", Gender.UNSPECIFIED, ""));
    c.expect(new RegisterResponse(true));
    c.send(new imps.protocol.message.FriendListRequest(me));
    c.expect(new imps.protocol.message.FriendListResponse(java.util.List.of()));
  }

  @Test
  void chineseAndEmojiFreeNamesWork() throws IOException {
    String name = "李雷" + uniqueName("");
    server.register(name);
    FrameClient c = server.connect();
    c.send(new LoginRequest(name, PASSWORD));
    c.expect(new LoginResponse(name, Gender.UNSPECIFIED, name + "@example.org"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "empty name|''|secret1|0|",
        "space in name|a b|secret1|0|",
        "21 chars|abcdefghijklmnopqrstu|secret1|0|",
        "symbol|bob!|secret1|0|",
        "short password|okname|12345|0|",
        "gender 3|okname|secret1|3|",
        "email without at|okname|secret1|0|example.org",
        "email with two at|okname|secret1|0|a@b@c",
        "email with space|okname|secret1|0|a b@c.org",
      })
  void invalidFieldsGetError8(String why, String name, String password, int gender, String email)
      throws IOException {
    FrameClient c = server.connect();
    String mail = email == null ? "" : email;
    Gender g = Gender.valueOf(gender);
    if (g != null) {
      c.send(new RegisterRequest(name, password, g, mail));
    } else {
      // No record holds an undefined gender: patch the byte before the (empty) email's count.
      byte[] frame = FrameClient.encode(new RegisterRequest(name, password, Gender.MALE, mail));
      frame[frame.length - 3 - mail.length()] = (byte) gender;
      c.sendRaw(frame);
    }
    c.expectError(8, CommandType.C_REGISTER);
  }

  @Test
  void tooLongPasswordAndNameOverSixtyBytesAreRefused() throws IOException {
    FrameClient c = server.connect();
    c.send(new RegisterRequest("okname2", "x".repeat(129), Gender.UNSPECIFIED, ""));
    c.expectError(8, CommandType.C_REGISTER);
    // 20 characters but 3 bytes each = 60 bytes is fine; 4-byte-in-UTF-8 letters push it over.
    c.send(new RegisterRequest("𠀀".repeat(11), "secret1", Gender.UNSPECIFIED, ""));
    c.expectError(8, CommandType.C_REGISTER);
  }
}
