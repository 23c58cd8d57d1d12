package imps.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Command numbers, error codes, status and gender values and limits, as the spec fixes them. */
class ConstantsTest {

  @Test
  void commandNumbersFollowTheOriginalSheet() {
    String[] names = {
      "C_LOGIN_REQ",
      "S_LOGIN_RSP",
      "C_HEARTBEAT_REQ",
      "S_HEARTBEAT_RSP",
      "C_FRIENDLIST_REFURBISH_REQ",
      "S_FRIENDLIST_REFURBISH_RSP",
      "C_ADDFRIEND_REQ",
      "C_ADDFRIEND_RSP",
      "S_ADDFRIEND_REQ",
      "S_ADDFRIEND_RSP",
      "C_SEND_MSG",
      "S_SEND_MSG",
      "C_STATUS_NOTIFY",
      "S_STATUS_NOTIFY",
      "C_REGISTER",
      "S_REGISTER",
      "S_ERROR_RSP",
      "C_AUDIO_REQ",
      "S_AUDIO_RSP"
    };
    for (int cmd = 1; cmd <= 19; cmd++) {
      CommandType t = CommandType.valueOf(cmd);
      assertThat(t.name()).isEqualTo(names[cmd - 1]);
      assertThat(t.value()).isEqualTo(cmd);
      assertThat(CommandType.nameOf(cmd)).isEqualTo(names[cmd - 1]);
      assertThat(t.isClientToServer()).isEqualTo(names[cmd - 1].startsWith("C_"));
    }
    assertThat(CommandType.values()).filteredOn(t -> !t.isExtension()).hasSize(19);
    assertThat(CommandType.values())
        .filteredOn(CommandType::isExtension)
        .allSatisfy(t -> assertThat(t.value()).isGreaterThanOrEqualTo(32));
    assertThat(CommandType.C_LOGIN_REQ.value()).isEqualTo(1);
    assertThat(CommandType.S_ERROR_RSP.value()).isEqualTo(17);
    assertThat(CommandType.S_AUDIO_RSP.value()).isEqualTo(19);
    assertThat(CommandType.FIRST_EXTENSION).isEqualTo(32);
  }

  @Test
  void unknownCommandNumbers() {
    for (int cmd : new int[] {-1, 0, 20, 31, 100, 255, 256}) {
      assertThat(CommandType.nameOf(cmd)).isEqualTo("CMD_" + cmd);
      assertThat(CommandType.valueOf(cmd)).isNull();
    }
  }

  @Test
  void errorCodesOfSectionFive() {
    ErrorCode[] codes = ErrorCode.values();
    assertThat(codes).hasSize(13);
    for (int i = 0; i < 12; i++) {
      assertThat(codes[i].code()).isEqualTo(i);
      assertThat(ErrorCode.of(i)).isSameAs(codes[i]);
      assertThat(codes[i].meaning()).isNotBlank();
    }
    assertThat(ErrorCode.SUCCESS.code()).isZero();
    assertThat(ErrorCode.LOGGED_IN_ELSEWHERE.code()).isEqualTo(7);
    assertThat(ErrorCode.MALFORMED.code()).isEqualTo(8);
    assertThat(ErrorCode.SERVER_ERROR.code()).isEqualTo(11);
    assertThat(ErrorCode.of(-1)).isNull();
    assertThat(ErrorCode.of(12)).isNull();
    assertThat(ErrorCode.of(31)).isNull();
    assertThat(ErrorCode.of(33)).isNull();
    assertThat(ErrorCode.of(255)).isNull();
    assertThat(ErrorCode.of(256)).isNull();
  }

  @Test
  void extensionErrorCodes() {
    assertThat(ErrorCode.SHUTTING_DOWN.code()).isEqualTo(ErrorCode.FIRST_EXTENSION).isEqualTo(32);
    assertThat(ErrorCode.of(32)).isSameAs(ErrorCode.SHUTTING_DOWN);
    assertThat(ErrorCode.SHUTTING_DOWN.meaning()).isNotBlank();
  }

  @Test
  void statusAndGenderValues() {
    assertThat(Presence.OFFLINE.value()).isZero();
    assertThat(Presence.INVISIBLE.value()).isEqualTo(1);
    assertThat(Presence.ONLINE.value()).isEqualTo(2);
    assertThat(Gender.UNSPECIFIED.value()).isZero();
    assertThat(Gender.MALE.value()).isEqualTo(1);
    assertThat(Gender.FEMALE.value()).isEqualTo(2);
    for (int v = -2; v <= 256; v++) {
      boolean valid = v >= 0 && v <= 2;
      assertThat(Presence.valueOf(v) != null).as("status %d", v).isEqualTo(valid);
      assertThat(Gender.valueOf(v) != null).as("gender %d", v).isEqualTo(valid);
      if (valid) {
        assertThat(Presence.valueOf(v).value()).isEqualTo(v);
        assertThat(Gender.valueOf(v).value()).isEqualTo(v);
      }
    }
    assertThat(Presence.INVISIBLE.seenByFriends()).isEqualTo(Presence.OFFLINE);
    assertThat(Presence.ONLINE.seenByFriends()).isEqualTo(Presence.ONLINE);
  }

  @Test
  void limitsOfSectionsOneAndSix() {
    assertThat(Limits.HEADER_LENGTH).isEqualTo(4);
    assertThat(Limits.MAX_CONTENT_LENGTH).isEqualTo(65_535);
    assertThat(Limits.MAX_UTF_BYTES).isEqualTo(65_535);
    assertThat(Limits.USERNAME_MAX_CHARS).isEqualTo(20);
    assertThat(Limits.USERNAME_MAX_BYTES).isEqualTo(60);
    assertThat(Limits.PASSWORD_MIN_CHARS).isEqualTo(6);
    assertThat(Limits.PASSWORD_MAX_CHARS).isEqualTo(128);
    assertThat(Limits.EMAIL_MAX_CHARS).isEqualTo(254);
    assertThat(Limits.MAX_FRIENDS).isEqualTo(500);
    assertThat(Limits.DEFAULT_MAX_MESSAGE_CHARS).isEqualTo(4096);
    assertThat(Limits.DEFAULT_MAX_AUDIO_BYTES).isEqualTo(60 * 1024);
    assertThat(Limits.DEFAULT_MAX_VIOLATIONS).isEqualTo(16);
    assertThat(Limits.DEFAULT_LOGIN_TIMEOUT_SECONDS).isEqualTo(30);
    assertThat(Limits.DEFAULT_IDLE_TIMEOUT_SECONDS).isEqualTo(180);
    // An audio clip of the default maximum fits one frame with room for the names and times.
    assertThat(Limits.DEFAULT_MAX_AUDIO_BYTES + 1 + 4 + 2 + 60 + 2 + 19)
        .isLessThanOrEqualTo(Limits.MAX_CONTENT_LENGTH);
  }
}
