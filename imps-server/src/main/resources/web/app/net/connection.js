// One WebSocket to the server, carrying one IMPS frame per binary message. It knows framing and
// nothing of sessions: Session (session.js) decides what to send and what replies mean.

import { CodecError, decode, encode } from '../protocol/codec.js';

/** The WebSocket address of the server that served this page. */
export function defaultSocketUrl(location = window.location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

export class Connection {
  /**
   * @param {string} url ws:// or wss:// address
   * @param {{onOpen?: Function, onMessage: Function, onClose?: Function, onProtocolError?: Function}} handlers
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.socket = null;
  }

  /** Opens the socket; resolves once it is open, rejects if it closes first. */
  open() {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      ws.binaryType = 'arraybuffer';
      this.socket = ws;
      let opened = false;
      ws.onopen = () => {
        opened = true;
        this.handlers.onOpen?.();
        resolve();
      };
      ws.onmessage = (e) => this.receive(e.data);
      ws.onclose = (e) => {
        if (this.socket === ws) {
          this.socket = null;
        }
        if (!opened) {
          reject(new Error(`cannot reach the server (${e.code || 'no answer'})`));
        }
        this.handlers.onClose?.({ code: e.code, reason: e.reason, wasClean: e.wasClean, opened });
      };
    });
  }

  receive(data) {
    if (typeof data === 'string') {
      this.handlers.onProtocolError?.(new CodecError('text message from the server'));
      return;
    }
    let message;
    try {
      message = decode(new Uint8Array(data));
    } catch (e) {
      this.handlers.onProtocolError?.(e);
      return;
    }
    this.handlers.onMessage(message);
  }

  get isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  /** Encodes and sends one message; throws a CodecError for one that cannot be a frame. */
  send(message) {
    if (!this.isOpen) {
      throw new Error('not connected');
    }
    this.socket.send(encode(message));
  }

  close(code = 1000, reason = '') {
    this.socket?.close(code, reason);
  }
}
