// Voice clips: recorded with MediaRecorder at a low bit rate, refused when larger than the
// server's limit, and played back from the bytes the protocol carries (which name no format, so
// the format is recognised from the first bytes).

const PREFERRED_TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4', 'audio/webm'];
const BITS_PER_SECOND = 16_000;

export function recordingSupported() {
  return typeof MediaRecorder !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
}

/** Thrown when a clip would be larger than the limit. */
export class ClipTooLarge extends Error {
  constructor(bytes, limit) {
    super(
      `This clip is ${kib(bytes)} and the limit is ${kib(limit)}: it was not sent. ` +
        'Record a shorter one.',
    );
    this.name = 'ClipTooLarge';
  }
}

function kib(n) {
  return `${Math.ceil(n / 1024)} KiB`;
}

export class ClipRecorder {
  /**
   * @param {number} maxBytes the server's clip limit
   * @param {(seconds: number, bytes: number) => void} onProgress
   * @param {() => void} onLimit called when recording stopped by itself at the size limit
   */
  constructor(maxBytes, onProgress = () => {}, onLimit = () => {}) {
    this.maxBytes = maxBytes;
    this.onProgress = onProgress;
    this.onLimit = onLimit;
    this.active = false;
    this.recorder = null;
    this.chunks = [];
    this.size = 0;
    this.tooLarge = false;
  }

  /** How long a clip can be at the recording bit rate, with room to spare. */
  get maxSeconds() {
    return Math.max(1, Math.floor(((this.maxBytes * 8) / BITS_PER_SECOND) * 0.85));
  }

  async start() {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const mimeType = PREFERRED_TYPES.find((t) => MediaRecorder.isTypeSupported(t));
    this.recorder = new MediaRecorder(stream, { mimeType, audioBitsPerSecond: BITS_PER_SECOND });
    this.chunks = [];
    this.size = 0;
    this.tooLarge = false;
    this.started = Date.now();
    this.recorder.ondataavailable = (e) => {
      this.chunks.push(e.data);
      this.size += e.data.size;
      if (this.size > this.maxBytes && this.recorder.state === 'recording') {
        this.tooLarge = true;
        this.recorder.stop();
        this.onLimit();
      }
    };
    this.stopped = new Promise((resolve) =>
      this.recorder.addEventListener('stop', resolve, { once: true }),
    );
    this.recorder.start(500);
    this.active = true;
    this.ticker = setInterval(() => {
      const seconds = (Date.now() - this.started) / 1000;
      this.onProgress(seconds, this.size);
      if (seconds >= this.maxSeconds && this.recorder.state === 'recording') {
        this.recorder.stop();
        this.onLimit();
      }
    }, 250);
  }

  /** Stops and resolves with the clip's bytes; rejects with ClipTooLarge over the limit. */
  async stop() {
    this.active = false;
    const r = this.recorder;
    if (r.state !== 'inactive') {
      r.stop();
    }
    // The last chunk arrives before the 'stop' event, even when the recorder stopped itself.
    await this.stopped;
    clearInterval(this.ticker);
    r.stream.getTracks().forEach((t) => t.stop());
    const blob = new Blob(this.chunks, { type: r.mimeType });
    if (this.tooLarge || blob.size > this.maxBytes) {
      throw new ClipTooLarge(Math.max(blob.size, this.size), this.maxBytes);
    }
    return new Uint8Array(await blob.arrayBuffer());
  }

  cancel() {
    this.active = false;
    clearInterval(this.ticker);
    if (this.recorder && this.recorder.state !== 'inactive') {
      this.recorder.stop();
    }
    this.recorder?.stream.getTracks().forEach((t) => t.stop());
  }
}

/** The media type of a clip, from its first bytes, or null when unknown. */
export function sniffAudioType(bytes) {
  const at = (i, ...b) => b.every((x, k) => bytes[i + k] === x);
  if (at(0, 0x1a, 0x45, 0xdf, 0xa3)) {
    return 'audio/webm';
  }
  if (at(0, 0x4f, 0x67, 0x67, 0x53)) {
    return 'audio/ogg';
  }
  if (at(4, 0x66, 0x74, 0x79, 0x70)) {
    return 'audio/mp4';
  }
  if (at(0, 0x52, 0x49, 0x46, 0x46)) {
    return 'audio/wav';
  }
  if (at(0, 0x49, 0x44, 0x33) || at(0, 0xff, 0xfb) || at(0, 0xff, 0xf3)) {
    return 'audio/mpeg';
  }
  if (at(0, 0x23, 0x21, 0x41, 0x4d, 0x52)) {
    return 'audio/amr';
  }
  return null;
}
