// My position from the browser's geolocation, shared as heartbeat fixes while the user allows it.
// Fixes wait in a small queue; the first one and then one every SEND_EVERY_MS are sent at once
// with a heartbeat, the rest ride on the regular one-minute heartbeat.

const SEND_EVERY_MS = 10_000;
const MAX_QUEUED = 60;

/** A fix as the protocol carries it: ISO time with offset, "lat,lon" with 6 decimals. */
export function toFix(lat, lon, timestamp) {
  return {
    time: new Date(timestamp).toISOString(),
    location: `${lat.toFixed(6)},${lon.toFixed(6)}`,
  };
}

export class LocationSharing {
  /**
   * @param {import('./state/store.js').AppState} state
   * @param {() => import('./net/session.js').Session} session
   */
  constructor(state, session) {
    this.state = state;
    this.session = session;
    this.queue = [];
    this.watch = null;
    this.lastSent = 0;
  }

  get supported() {
    return 'geolocation' in navigator;
  }

  /** Starts sharing; the browser asks the user for permission the first time. */
  start() {
    if (this.watch !== null || !this.supported) {
      return;
    }
    this.state.sharing = true;
    this.state.changed('sharing');
    this.watch = navigator.geolocation.watchPosition(
      (p) => this.position(p),
      (e) => this.failed(e),
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 60_000 },
    );
  }

  stop() {
    if (this.watch !== null) {
      navigator.geolocation.clearWatch(this.watch);
    }
    this.watch = null;
    this.queue = [];
    this.state.sharing = false;
    this.state.myPosition = null;
    this.state.changed('sharing');
  }

  position(p) {
    const { latitude: lat, longitude: lon, accuracy } = p.coords;
    this.state.myPosition = { lat, lon, accuracy };
    this.state.changed('position');
    this.queue.push(toFix(lat, lon, p.timestamp || Date.now()));
    if (this.queue.length > MAX_QUEUED) {
      this.queue.splice(0, this.queue.length - MAX_QUEUED);
    }
    if (Date.now() - this.lastSent >= SEND_EVERY_MS) {
      this.lastSent = Date.now();
      this.session().heartbeat();
    }
  }

  failed(e) {
    const why =
      e.code === e.PERMISSION_DENIED
        ? 'The browser is not allowed to tell your position. Allow it in the site settings to share it.'
        : 'Your position is not available right now.';
    this.state.setNotice(why, 'error');
    if (e.code === e.PERMISSION_DENIED) {
      this.stop();
    }
  }

  /** For the session's heartbeat: the fixes waiting, oldest first. */
  take() {
    const fixes = this.queue;
    this.queue = [];
    return fixes;
  }

  putBack(fixes) {
    this.queue = fixes.concat(this.queue).slice(-MAX_QUEUED);
  }
}
