// The byte examples of the extensions, docs/PROTOCOL.md section 8 (8.4, 8.5, 8.6, 8.8), with the
// fields each carries. The hex is copied verbatim from that file, where ExtensionVectorsTest
// checks it against the server's codec: the browser's and the server's agree through it.

import { Cmd } from '../app/protocol/commands.js';

const T = '2026-11-28 12:00:01';

export const EXTENSION_VECTORS = [
  {
    name: 'C_HELLO (32)',
    hex: `4f 4b 00 06 20 01 00 00 00 07`,
    message: { type: Cmd.C_HELLO, version: 1, features: 7 },
  },
  {
    name: 'S_HELLO (33)',
    hex: `4f 4b 00 0e 21 01 00 00 00 03 00 00 10 00 00 00 f0 00`,
    message: {
      type: Cmd.S_HELLO,
      version: 1,
      features: 3,
      maxMessageChars: 4096,
      maxAudioBytes: 61440,
    },
  },
  {
    name: 'S_STORED (34) carrying S_SEND_MSG',
    hex: `4f 4b 00 2a 22 00 00 00 00 00 00 00 2a 0c 00 05
          61 6c 69 63 65 00 02 68 69 00 13 32 30 32 36 2d
          31 31 2d 32 38 20 31 32 3a 30 30 3a 30 31`,
    message: {
      type: Cmd.S_STORED,
      seq: 42,
      item: { type: Cmd.S_SEND_MSG, friendName: 'alice', message: 'hi', datetime: T },
    },
  },
  {
    name: 'C_ACK (35)',
    hex: `4f 4b 00 09 23 00 00 00 00 00 00 00 2a`,
    message: { type: Cmd.C_ACK, seq: 42 },
  },
  {
    name: 'C_RESUME (36)',
    hex: `4f 4b 00 15 24 00 05 61 6c 69 63 65 00 03 74 6f
          6b 00 00 00 00 00 00 00 2a`,
    message: { type: Cmd.C_RESUME, userName: 'alice', token: 'tok', lastSeq: 42 },
  },
  {
    name: 'S_RECEIPT (37)',
    hex: `4f 4b 00 0f 25 00 03 62 6f 62 00 00 00 00 00 00 00 07 02`,
    message: { type: Cmd.S_RECEIPT, peer: 'bob', upToClientMsgId: 7, state: 2 },
  },
  {
    name: 'C_READ (38)',
    hex: `4f 4b 00 0e 26 00 03 62 6f 62 00 00 00 00 00 00 00 29`,
    message: { type: Cmd.C_READ, peer: 'bob', upToSeq: 41 },
  },
  {
    name: 'C_SEND_MSG (11) with [ext] ClientMsgId',
    hex: `4f 4b 00 19 0b 00 05 61 6c 69 63 65 00 03 62 6f
          62 00 02 68 69 00 00 00 00 00 00 00 07`,
    message: {
      type: Cmd.C_SEND_MSG,
      userName: 'alice',
      friendName: 'bob',
      message: 'hi',
      clientMsgId: 7,
    },
  },
  {
    name: 'S_LOGIN_RSP (2) with [ext] Status, Token, TokenTtl',
    hex: `4f 4b 00 22 02 00 05 61 6c 69 63 65 02 00 0d 61
          40 65 78 61 6d 70 6c 65 2e 6f 72 67 01 00 03 74
          6f 6b 00 27 8d 00`,
    message: {
      type: Cmd.S_LOGIN_RSP,
      userName: 'alice',
      gender: 2,
      email: 'a@example.org',
      status: 1,
      token: 'tok',
      tokenTtl: 2592000,
    },
  },
  {
    name: 'C_UNFRIEND (39)',
    hex: `4f 4b 00 06 27 00 03 62 6f 62`,
    message: { type: Cmd.C_UNFRIEND, friendName: 'bob' },
  },
  {
    name: 'S_FRIEND_REMOVED (40)',
    hex: `4f 4b 00 08 28 00 05 61 6c 69 63 65`,
    message: { type: Cmd.S_FRIEND_REMOVED, friendName: 'alice' },
  },
  {
    name: 'C_BLOCK (41)',
    hex: `4f 4b 00 0b 29 00 07 6d 61 6c 6c 6f 72 79 01`,
    message: { type: Cmd.C_BLOCK, userName: 'mallory', block: true },
  },
  {
    name: 'C_BLOCKLIST_REQ (42)',
    hex: `4f 4b 00 01 2a`,
    message: { type: Cmd.C_BLOCKLIST_REQ },
  },
  {
    name: 'S_BLOCKLIST_RSP (43)',
    hex: `4f 4b 00 11 2b 00 02 00 03 65 76 65 00 07 6d 61
          6c 6c 6f 72 79`,
    message: { type: Cmd.S_BLOCKLIST_RSP, names: ['eve', 'mallory'] },
  },
  {
    name: 'C_PASSWD (44)',
    hex: `4f 4b 00 0b 2c 00 03 6f 6c 64 00 03 6e 65 77`,
    message: { type: Cmd.C_PASSWD, oldPassword: 'old', newPassword: 'new' },
  },
  {
    name: 'C_DELETE_ACCOUNT (45)',
    hex: `4f 4b 00 05 2d 00 02 70 77`,
    message: { type: Cmd.C_DELETE_ACCOUNT, password: 'pw' },
  },
  {
    name: 'C_HISTORY (47)',
    hex: `4f 4b 00 11 2f 00 03 62 6f 62 00 00 00 00 00 00
          00 00 00 00 32`,
    message: { type: Cmd.C_HISTORY, peer: 'bob', fromId: 0, newer: false, maxItems: 50 },
  },
  {
    name: 'S_HISTORY (48)',
    hex: `4f 4b 00 52 30 00 03 62 6f 62 01 00 02 00 00 00
          00 00 00 00 29 01 00 13 32 30 32 36 2d 31 31 2d
          32 38 20 31 32 3a 30 30 3a 30 31 01 00 02 68 69
          00 00 00 00 00 00 00 28 00 00 13 32 30 32 36 2d
          31 31 2d 32 38 20 31 32 3a 30 30 3a 30 31 02 00
          00 00 03 01 02 03`,
    message: {
      type: Cmd.S_HISTORY,
      peer: 'bob',
      more: true,
      entries: [
        { id: 41, outgoing: true, acceptedAt: T, kind: 1, text: 'hi' },
        { id: 40, outgoing: false, acceptedAt: T, kind: 2, data: new Uint8Array([1, 2, 3]) },
      ],
    },
  },
  {
    name: 'C_LIVE_LOCATIONS (49)',
    hex: `4f 4b 00 02 31 01`,
    message: { type: Cmd.C_LIVE_LOCATIONS, on: true },
  },
  {
    name: 'S_LOCATION (50)',
    hex: `4f 4b 00 29 32 00 03 62 6f 62 00 13 32 30 32 36
          2d 31 31 2d 32 38 20 31 32 3a 30 30 3a 30 31 00
          0c 32 33 2e 31 33 2c 31 31 33 2e 32 36`,
    message: { type: Cmd.S_LOCATION, friendName: 'bob', time: T, location: '23.13,113.26' },
  },
  {
    name: 'C_TRACK (51)',
    hex: `4f 4b 00 18 33 00 03 62 6f 62 00 00 00 00 6b 0a
          c2 40 00 00 00 00 6b 0a d0 50 01 f4`,
    message: {
      type: Cmd.C_TRACK,
      userName: 'bob',
      from: 1795867200,
      to: 1795870800,
      maxPoints: 500,
    },
  },
  {
    name: 'S_TRACK (52)',
    hex: `4f 4b 00 2c 34 00 03 62 6f 62 00 00 00 03 00 02
          00 00 00 00 6b 0a c2 40 01 60 ef 90 06 c0 35 e0
          00 00 00 00 6b 0a c2 7c 01 60 f5 6c 06 c0 3e aa`,
    message: {
      type: Cmd.S_TRACK,
      userName: 'bob',
      total: 3,
      points: [
        { time: 1795867200, lat: 23.13, lon: 113.26 },
        { time: 1795867260, lat: 23.1315, lon: 113.26225 },
      ],
    },
  },
  {
    name: 'C_UNREAD_REQ (54)',
    hex: `4f 4b 00 01 36`,
    message: { type: Cmd.C_UNREAD_REQ },
  },
  {
    name: 'S_UNREAD_RSP (55)',
    hex: `4f 4b 00 1d 37 00 00 00 00 00 00 00 2a 00 02 00
          03 62 6f 62 00 00 00 03 00 03 65 76 65 00 00 00
          0c`,
    message: {
      type: Cmd.S_UNREAD_RSP,
      asOfSeq: 42,
      friends: [
        { name: 'bob', count: 3 },
        { name: 'eve', count: 12 },
      ],
    },
  },
];
