// Full-screen helpers with the webkit-prefixed fallbacks, and an "unloading"
// flag: leaving full screen because the page is being reloaded or closed must
// not be reported as a violation by this page.

interface WebkitDocument {
  webkitFullscreenElement?: Element | null;
  webkitIsFullScreen?: boolean;
  webkitFullscreenEnabled?: boolean;
}
interface WebkitElement {
  webkitRequestFullscreen?: () => void | Promise<void>;
  webkitRequestFullScreen?: () => void | Promise<void>;
}

export function isFullscreen(): boolean {
  const d = document as Document & WebkitDocument;
  return !!(d.fullscreenElement || d.webkitFullscreenElement || d.webkitIsFullScreen);
}

export function fullscreenSupported(): boolean {
  const el = document.documentElement as HTMLElement & WebkitElement;
  return !!(el.requestFullscreen || el.webkitRequestFullscreen || el.webkitRequestFullScreen);
}

/** Asks for full screen on the whole page; rejects when unsupported or refused. */
export function requestFullscreen(): Promise<void> {
  const el = document.documentElement as HTMLElement & WebkitElement;
  try {
    if (el.requestFullscreen) {
      const r = el.requestFullscreen();
      return r && typeof r.then === 'function' ? r : waitForFullscreen();
    }
    const legacy = el.webkitRequestFullscreen || el.webkitRequestFullScreen;
    if (legacy) {
      legacy.call(el);
      return waitForFullscreen();
    }
  } catch (e) {
    return Promise.reject(e);
  }
  return Promise.reject(new Error('fullscreen unsupported'));
}

/** For APIs that return nothing: resolves on the change event, rejects after a while. */
function waitForFullscreen(timeoutMs = 1500): Promise<void> {
  return new Promise((resolve, reject) => {
    if (isFullscreen()) return resolve();
    const off = onFullscreenChange(() => {
      if (isFullscreen()) {
        off();
        clearTimeout(t);
        resolve();
      }
    });
    const t = setTimeout(() => {
      off();
      if (isFullscreen()) resolve();
      else reject(new Error('fullscreen refused'));
    }, timeoutMs);
  });
}

/**
 * Calls `cb(isFullscreen)` when full screen is entered or left. Chrome fires both
 * the standard and the prefixed event; only real transitions are reported.
 *
 * `believed`: the state the caller acts on, when it also acts on the promise of
 * requestFullscreen(). That promise resolves before the change event is fired
 * (at the next rendering update), so a page left right after it resolved sees
 * two events that both say "not full screen": measured against the last event,
 * neither is a transition and the exit would go unreported, with the caller
 * believing it is in full screen. Measured against what the caller believes,
 * the first one is the exit.
 */
export function onFullscreenChange(cb: (fullscreen: boolean) => void, believed?: () => boolean): () => void {
  let last = isFullscreen();
  const handler = () => {
    const now = isFullscreen();
    const before = believed ? believed() : last;
    last = now;
    if (now === before) return;
    cb(now);
  };
  document.addEventListener('fullscreenchange', handler);
  document.addEventListener('webkitfullscreenchange', handler);
  return () => {
    document.removeEventListener('fullscreenchange', handler);
    document.removeEventListener('webkitfullscreenchange', handler);
  };
}

let unloading = false;
let tracking = false;

/** Sets the unloading flag on pagehide / beforeunload (call once at start-up). */
export function trackUnload(): void {
  if (tracking) return;
  tracking = true;
  window.addEventListener('pagehide', () => {
    unloading = true;
  });
  window.addEventListener('beforeunload', () => {
    unloading = true;
    // If the page is still alive a moment later, the unload did not happen.
    setTimeout(() => {
      unloading = false;
    }, 3000);
  });
  // Back/forward cache: the page is shown again.
  window.addEventListener('pageshow', () => {
    unloading = false;
  });
}

export function isUnloading(): boolean {
  return unloading;
}
