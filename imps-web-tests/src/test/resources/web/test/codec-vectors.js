// The frames of imps-test-vectors.md (built by an independent implementation of the protocol
// spec), with the fields each carries. The hex is copied verbatim from that file.

import { Cmd } from '../app/protocol/commands.js';

const EMOJI_MESSAGE = 'hi 你好 😀';
const clip = new Uint8Array([1, 2, 3, 4]);

export const VECTORS = [
  {
    name: 'C_LOGIN_REQ (1)',
    hex: `4f 4b 00 11 01 00 05 61 6c 69 63 65 00 07 73 65
          63 72 65 74 31`,
    message: { type: Cmd.C_LOGIN_REQ, userName: 'alice', password: 'secret1' },
  },
  {
    name: 'S_LOGIN_RSP (2)',
    hex: `4f 4b 00 18 02 00 05 61 6c 69 63 65 02 00 0d 61
          40 65 78 61 6d 70 6c 65 2e 6f 72 67`,
    message: { type: Cmd.S_LOGIN_RSP, userName: 'alice', gender: 2, email: 'a@example.org' },
  },
  {
    name: 'C_HEARTBEAT_REQ (3)',
    hex: `4f 4b 00 54 03 00 05 61 6c 69 63 65 00 00 00 02
          00 13 32 30 32 36 2d 31 31 2d 32 38 20 31 32 3a
          30 30 3a 30 30 00 0c 32 33 2e 31 33 2c 31 31 33
          2e 32 36 00 13 32 30 32 36 2d 31 31 2d 32 38 20
          31 32 3a 30 30 3a 33 30 00 0e 32 33 2e 31 33 31
          2c 31 31 33 2e 32 36 32`,
    message: {
      type: Cmd.C_HEARTBEAT_REQ,
      userName: 'alice',
      fixes: [
        { time: '2026-11-28 12:00:00', location: '23.13,113.26' },
        { time: '2026-11-28 12:00:30', location: '23.131,113.262' },
      ],
    },
  },
  {
    name: 'C_HEARTBEAT_REQ (3), no fixes',
    hex: `4f 4b 00 0c 03 00 05 61 6c 69 63 65 00 00 00 00`,
    message: { type: Cmd.C_HEARTBEAT_REQ, userName: 'alice', fixes: [] },
  },
  {
    name: 'S_HEARTBEAT_RSP (4)',
    hex: `4f 4b 00 01 04`,
    message: { type: Cmd.S_HEARTBEAT_RSP },
  },
  {
    name: 'C_FRIENDLIST_REFURBISH_REQ (5)',
    hex: `4f 4b 00 08 05 00 05 61 6c 69 63 65`,
    message: { type: Cmd.C_FRIENDLIST_REFURBISH_REQ, userName: 'alice' },
  },
  {
    name: 'S_FRIENDLIST_REFURBISH_RSP (6)',
    hex: `4f 4b 00 39 06 00 02 00 03 62 6f 62 02 00 13 32
          30 32 36 2d 31 31 2d 32 38 20 31 32 3a 30 30 3a
          30 30 00 0c 32 33 2e 31 33 2c 31 31 33 2e 32 36
          00 06 e6 9d 8e e9 9b b7 00 00 00 00 00`,
    message: {
      type: Cmd.S_FRIENDLIST_REFURBISH_RSP,
      friends: [
        { name: 'bob', status: 2, time: '2026-11-28 12:00:00', location: '23.13,113.26' },
        { name: '李雷', status: 0, time: '', location: '' },
      ],
    },
  },
  {
    name: 'C_ADDFRIEND_REQ (7)',
    hex: `4f 4b 00 0d 07 00 05 61 6c 69 63 65 00 03 62 6f
          62`,
    message: { type: Cmd.C_ADDFRIEND_REQ, userName: 'alice', friendName: 'bob' },
  },
  {
    name: 'C_ADDFRIEND_RSP (8)',
    hex: `4f 4b 00 09 08 00 05 61 6c 69 63 65 01`,
    message: { type: Cmd.C_ADDFRIEND_RSP, userName: 'alice', action: 1 },
  },
  {
    name: 'S_ADDFRIEND_REQ (9)',
    hex: `4f 4b 00 08 09 00 05 61 6c 69 63 65`,
    message: { type: Cmd.S_ADDFRIEND_REQ, friendName: 'alice' },
  },
  {
    name: 'S_ADDFRIEND_RSP (10), accepted',
    hex: `4f 4b 00 2b 0a 01 00 03 62 6f 62 02 00 13 32 30
          32 36 2d 31 31 2d 32 38 20 31 32 3a 30 30 3a 30
          30 00 0c 32 33 2e 31 33 2c 31 31 33 2e 32 36`,
    message: {
      type: Cmd.S_ADDFRIEND_RSP,
      result: 1,
      userName: 'bob',
      status: 2,
      time: '2026-11-28 12:00:00',
      location: '23.13,113.26',
    },
  },
  {
    name: 'S_ADDFRIEND_RSP (10), no such user',
    hex: `4f 4b 00 0a 0a ff 00 06 6e 6f 62 6f 64 79`,
    message: { type: Cmd.S_ADDFRIEND_RSP, result: -1, userName: 'nobody' },
  },
  {
    name: 'C_SEND_MSG (11)',
    hex: `4f 4b 00 1f 0b 00 05 61 6c 69 63 65 00 03 62 6f
          62 00 10 68 69 20 e4 bd a0 e5 a5 bd 20 ed a0 bd
          ed b8 80`,
    message: { type: Cmd.C_SEND_MSG, userName: 'alice', friendName: 'bob', message: EMOJI_MESSAGE },
  },
  {
    name: 'S_SEND_MSG (12)',
    hex: `4f 4b 00 2f 0c 00 05 61 6c 69 63 65 00 10 68 69
          20 e4 bd a0 e5 a5 bd 20 ed a0 bd ed b8 80 00 13
          32 30 32 36 2d 31 31 2d 32 38 20 31 32 3a 30 30
          3a 30 31`,
    message: {
      type: Cmd.S_SEND_MSG,
      friendName: 'alice',
      message: EMOJI_MESSAGE,
      datetime: '2026-11-28 12:00:01',
    },
  },
  {
    name: 'C_STATUS_NOTIFY (13)',
    hex: `4f 4b 00 09 0d 00 05 61 6c 69 63 65 01`,
    message: { type: Cmd.C_STATUS_NOTIFY, userName: 'alice', status: 1 },
  },
  {
    name: 'S_STATUS_NOTIFY (14)',
    hex: `4f 4b 00 07 0e 00 03 62 6f 62 00`,
    message: { type: Cmd.S_STATUS_NOTIFY, userName: 'bob', status: 0 },
  },
  {
    name: 'C_REGISTER (15)',
    hex: `4f 4b 00 21 0f 00 05 61 6c 69 63 65 00 07 73 65
          63 72 65 74 31 02 00 0d 61 40 65 78 61 6d 70 6c
          65 2e 6f 72 67`,
    message: {
      type: Cmd.C_REGISTER,
      userName: 'alice',
      password: 'secret1',
      gender: 2,
      email: 'a@example.org',
    },
  },
  {
    name: 'S_REGISTER (16)',
    hex: `4f 4b 00 02 10 01`,
    message: { type: Cmd.S_REGISTER, response: 1 },
  },
  {
    name: 'S_ERROR_RSP (17), ack of C_SEND_MSG',
    hex: `4f 4b 00 03 11 00 0b`,
    message: { type: Cmd.S_ERROR_RSP, code: 0, cmd: 11 },
  },
  {
    name: 'S_ERROR_RSP (17), logged in elsewhere',
    hex: `4f 4b 00 03 11 07 00`,
    message: { type: Cmd.S_ERROR_RSP, code: 7, cmd: 0 },
  },
  {
    name: 'C_AUDIO_REQ (18)',
    hex: `4f 4b 00 23 12 00 03 62 6f 62 00 00 00 04 01 02
          03 04 00 13 32 30 32 36 2d 31 31 2d 32 38 20 31
          32 3a 30 30 3a 30 32`,
    message: {
      type: Cmd.C_AUDIO_REQ,
      friendName: 'bob',
      data: clip,
      datetime: '2026-11-28 12:00:02',
    },
  },
  {
    name: 'S_AUDIO_RSP (19)',
    hex: `4f 4b 00 25 13 00 05 61 6c 69 63 65 00 00 00 04
          01 02 03 04 00 13 32 30 32 36 2d 31 31 2d 32 38
          20 31 32 3a 30 30 3a 30 32`,
    message: {
      type: Cmd.S_AUDIO_RSP,
      friendName: 'alice',
      data: clip,
      datetime: '2026-11-28 12:00:02',
    },
  },
];
