// Command numbers, status values and error codes of the IMPS protocol (docs/PROTOCOL.md).
// The numbers live here and in codec.js and extensions.js only; the rest of the app uses these
// names.

/** CMDTYPE of each command, named as the protocol sheet names them. */
export const Cmd = Object.freeze({
  C_LOGIN_REQ: 1,
  S_LOGIN_RSP: 2,
  C_HEARTBEAT_REQ: 3,
  S_HEARTBEAT_RSP: 4,
  C_FRIENDLIST_REFURBISH_REQ: 5,
  S_FRIENDLIST_REFURBISH_RSP: 6,
  C_ADDFRIEND_REQ: 7,
  C_ADDFRIEND_RSP: 8,
  S_ADDFRIEND_REQ: 9,
  S_ADDFRIEND_RSP: 10,
  C_SEND_MSG: 11,
  S_SEND_MSG: 12,
  C_STATUS_NOTIFY: 13,
  S_STATUS_NOTIFY: 14,
  C_REGISTER: 15,
  S_REGISTER: 16,
  S_ERROR_RSP: 17,
  C_AUDIO_REQ: 18,
  S_AUDIO_RSP: 19,
  // Extensions (PROTOCOL.md section 8): only on a connection that sent C_HELLO.
  C_HELLO: 32,
  S_HELLO: 33,
  S_STORED: 34,
  C_ACK: 35,
  C_RESUME: 36,
  S_RECEIPT: 37,
  C_READ: 38,
  C_UNFRIEND: 39,
  S_FRIEND_REMOVED: 40,
  C_BLOCK: 41,
  C_BLOCKLIST_REQ: 42,
  S_BLOCKLIST_RSP: 43,
  C_PASSWD: 44,
  C_DELETE_ACCOUNT: 45,
  C_HISTORY: 47,
  S_HISTORY: 48,
  C_LIVE_LOCATIONS: 49,
  S_LOCATION: 50,
  C_TRACK: 51,
  S_TRACK: 52,
  C_UNREAD_REQ: 54,
  S_UNREAD_RSP: 55,
});

/** Feature bits of C_HELLO / S_HELLO (8.1, 8.6, 8.8). */
export const Feature = Object.freeze({
  ACKS: 1,
  IDEMPOTENT_SENDS: 2,
  RECEIPTS: 4,
  SOCIAL: 8,
  HISTORY: 16,
  LIVE_LOCATIONS: 32,
  TRACKS: 64,
  UNREAD: 256,
});

/** S_RECEIPT.State: how far the recipient has got with the sender's messages. */
export const ReceiptState = Object.freeze({ DELIVERED: 2, READ: 3 });

/** S_HISTORY entry kinds. */
export const HistoryKind = Object.freeze({ TEXT: 1, CLIP: 2 });

/** The command's name for a CMDTYPE, for logs and errors. */
export function cmdName(type) {
  return Object.keys(Cmd).find((k) => Cmd[k] === type) ?? `CMD_${type}`;
}

/** Presence as the wire carries it. Friends see an invisible user as offline. */
export const Status = Object.freeze({ OFFLINE: 0, INVISIBLE: 1, ONLINE: 2 });

export const Gender = Object.freeze({ UNSPECIFIED: 0, MALE: 1, FEMALE: 2 });

/** S_ERROR_RSP codes (section 5). */
export const ErrorCode = Object.freeze({
  SUCCESS: 0,
  USER_EXISTS: 1,
  NO_SUCH_USER: 2,
  NOT_PERMITTED: 3,
  ALREADY_LOGGED_IN: 4,
  NOT_LOGGED_IN: 5,
  BAD_CREDENTIALS: 6,
  LOGGED_IN_ELSEWHERE: 7,
  MALFORMED: 8,
  NOT_FRIENDS: 9,
  TOO_MANY_REQUESTS: 10,
  SERVER_ERROR: 11,
});

/** S_ADDFRIEND_RSP.STATUS (signed). */
export const AddFriendResult = Object.freeze({ ACCEPTED: 1, REFUSED: 0, NO_SUCH_USER: -1 });

/** Limits of section 6 that the app checks before sending. */
export const Limits = Object.freeze({
  HEADER_LENGTH: 4,
  MAX_CONTENT_LENGTH: 0xffff,
  MAX_UTF_BYTES: 0xffff,
  USERNAME_MAX_CHARS: 20,
  USERNAME_MAX_BYTES: 60,
  PASSWORD_MIN_CHARS: 6,
  PASSWORD_MAX_CHARS: 128,
  EMAIL_MAX_CHARS: 254,
});
