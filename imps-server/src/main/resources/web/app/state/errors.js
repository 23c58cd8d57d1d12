// Protocol outcomes in words a person can act on.

import { ErrorCode, Limits } from '../protocol/commands.js';
import { utfLength } from '../protocol/codec.js';
import { Disconnected, ImpsError } from '../net/session.js';

const NAME = /^[\p{L}\p{N}\p{M}_.-]+$/u;

export const NAME_RULE =
  'A name is 1 to 20 characters: letters or digits of any script, and _ - . (no spaces).';

/** Why a user name cannot be registered, or null when it can. */
export function nameProblem(name) {
  if (name.length === 0) {
    return 'Enter a name.';
  }
  if ([...name].length > Limits.USERNAME_MAX_CHARS || utfLength(name) > Limits.USERNAME_MAX_BYTES) {
    return `That name is too long. ${NAME_RULE}`;
  }
  if (!NAME.test(name)) {
    return `That name has a character names cannot have. ${NAME_RULE}`;
  }
  return null;
}

export function passwordProblem(password) {
  const n = [...password].length;
  if (n < Limits.PASSWORD_MIN_CHARS) {
    return `The password is too short: use at least ${Limits.PASSWORD_MIN_CHARS} characters.`;
  }
  if (n > Limits.PASSWORD_MAX_CHARS) {
    return `The password is too long: use at most ${Limits.PASSWORD_MAX_CHARS} characters.`;
  }
  return null;
}

export function emailProblem(email) {
  if (email === '') {
    return null;
  }
  if (email.length > Limits.EMAIL_MAX_CHARS || !/^[^\s@]+@[^\s@]+$/u.test(email)) {
    return 'That e-mail address does not look right (leave it empty if you like).';
  }
  return null;
}

function common(e) {
  if (e instanceof Disconnected) {
    return 'The connection to the server was lost. Try again in a moment.';
  }
  if (e instanceof ImpsError) {
    switch (e.code) {
      case ErrorCode.TOO_MANY_REQUESTS:
        return 'Too many attempts. Wait a minute, then try again.';
      case ErrorCode.SERVER_ERROR:
        return 'The server had a problem and did nothing. Try again.';
      case ErrorCode.NOT_LOGGED_IN:
        return 'You are not logged in any more. Log in again.';
      default:
        return null;
    }
  }
  return e?.message ? `Something went wrong: ${e.message}` : 'Something went wrong.';
}

export function loginError(e) {
  if (e instanceof ImpsError && e.code === ErrorCode.BAD_CREDENTIALS) {
    return 'Wrong name or password.';
  }
  if (e instanceof ImpsError && e.code === ErrorCode.TOO_MANY_REQUESTS) {
    return 'Too many failed logins. Wait a minute, then try again.';
  }
  return common(e) ?? `The server refused the login (error ${e.code}).`;
}

export function registerError(e) {
  if (e instanceof ImpsError && e.code === ErrorCode.MALFORMED) {
    return `The server refused these details. ${NAME_RULE} Passwords are 6 to 128 characters.`;
  }
  if (e instanceof ImpsError && e.code === ErrorCode.TOO_MANY_REQUESTS) {
    return 'Too many new accounts from this address. Wait a minute, then try again.';
  }
  return common(e) ?? `The server refused the registration (error ${e.code}).`;
}

export function sendError(e, friend, maxChars) {
  if (e instanceof ImpsError) {
    switch (e.code) {
      case ErrorCode.NOT_FRIENDS:
        return `Not sent: you and ${friend} are not friends.`;
      case ErrorCode.NO_SUCH_USER:
        return `Not sent: there is no user ${friend}.`;
      case ErrorCode.MALFORMED:
        return `Not sent: a message is 1 to ${maxChars} characters, a voice clip at most the size limit.`;
      default:
    }
  }
  return `Not sent. ${common(e) ?? `(error ${e.code})`}`;
}

export function addFriendError(e) {
  if (e instanceof ImpsError && e.code === ErrorCode.MALFORMED) {
    return 'You cannot add yourself.';
  }
  return common(e) ?? `The server refused the request (error ${e.code}).`;
}

/** Why changing the password or deleting the account did not happen. */
export function accountError(e) {
  if (e instanceof ImpsError) {
    switch (e.code) {
      case ErrorCode.BAD_CREDENTIALS:
        return 'Your current password is not that. Nothing changed.';
      case ErrorCode.TOO_MANY_REQUESTS:
        return 'Too many wrong passwords. Wait a minute, then try again.';
      case ErrorCode.MALFORMED:
        return 'The server refused the new password: use 6 to 128 characters.';
      case ErrorCode.NOT_PERMITTED:
        return 'This server does not offer that.';
      default:
    }
  }
  return common(e) ?? `The server refused it (error ${e.code}).`;
}
