// Keeping a room (or a chief's site) current: the live WebSocket
// (GET /api/console/proctor/live), a re-read on every `changed` (debounced),
// a re-read every 15 s anyway, and while the socket is down a re-read every
// 2 s. The socket reconnects with backoff. The token goes in the first
// message, never in the URL.

import { useCallback, useEffect, useRef, useState } from 'react';
import { getToken } from '../session';
import { liveUrl } from './api';

export type LiveStatus = 'connecting' | 'live' | 'down';

export const LIVE_DEBOUNCE_MS = 150;
export const LIVE_REFRESH_MS = 15_000;
export const DOWN_POLL_MS = 2_000;
/** No `ready` within this long: the socket is treated as down. */
const READY_TIMEOUT_MS = 8_000;

interface LiveMessage {
  type?: 'ready' | 'changed' | string;
  kind?: string;
  registrationId?: string | null;
  error?: { code?: string; message?: string };
}

/** 1 s, 2 s, 4 s … up to 30 s, with up to 25 % jitter so a room's consoles do not all come back at once. */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (1 + 0.25 * random()));
}

export type RefreshCause = 'changed' | 'poll';

/**
 * Calls `refresh` whenever the room may have changed ('changed': an event, or
 * the socket (re)connected) or a periodic read is due ('poll'); returns the
 * socket's state. `{ siteId }`: the chief's whole site.
 */
export function useProctorLive(sittingId: string, scope: { roomId: string } | { siteId: string }, refresh: (cause: RefreshCause) => void): LiveStatus {
  const roomId = 'roomId' in scope ? scope.roomId : null;
  const siteId = 'siteId' in scope ? scope.siteId : null;
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;

  // The socket, reconnecting with backoff.
  useEffect(() => {
    let ws: WebSocket | null = null;
    let stopped = false;
    let failures = 0;
    let retry: number | undefined;
    let readyTimer: number | undefined;
    let debounce: number | undefined;

    const changed = () => {
      window.clearTimeout(debounce);
      debounce = window.setTimeout(() => refreshRef.current('changed'), LIVE_DEBOUNCE_MS);
    };
    const scheduleReconnect = () => {
      if (stopped) return;
      failures++;
      window.clearTimeout(retry);
      retry = window.setTimeout(connect, backoffMs(failures));
    };
    function connect() {
      if (stopped) return;
      const token = getToken();
      if (!token) return; // signed out: the app is leaving this page
      let ready = false;
      let socket: WebSocket;
      try {
        socket = new WebSocket(liveUrl());
      } catch {
        setStatus('down');
        scheduleReconnect();
        return;
      }
      ws = socket;
      // roomId null: the whole site (siteId names it, for the operator; a chief's own by default).
      socket.onopen = () => socket.send(JSON.stringify(roomId ? { token, sittingId, roomId } : { token, sittingId, roomId: null, siteId }));
      readyTimer = window.setTimeout(() => {
        if (!ready) socket.close();
      }, READY_TIMEOUT_MS);
      socket.onmessage = (e: MessageEvent) => {
        let msg: LiveMessage | null;
        try {
          msg = JSON.parse(String(e.data)) as LiveMessage | null;
        } catch {
          return;
        }
        if (msg?.type === 'ready') {
          ready = true;
          failures = 0;
          window.clearTimeout(readyTimer);
          setStatus('live');
          changed(); // whatever happened while connecting
        } else if (msg?.type === 'changed') {
          changed();
        } else if (msg?.error) {
          socket.close(); // refused (token, scope): the polling reads show why
        }
      };
      socket.onclose = (e: CloseEvent) => {
        window.clearTimeout(readyTimer);
        if (ws === socket) ws = null;
        if (stopped) return;
        setStatus('down');
        // 44xx: refused (session, scope); the 2-s reads say why, so retry only slowly.
        if (e.code >= 4400 && e.code < 4500) failures = Math.max(failures, 5);
        scheduleReconnect();
      };
      socket.onerror = () => {
        // onclose follows and does the rest
      };
    }

    setStatus('connecting');
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      window.clearTimeout(readyTimer);
      window.clearTimeout(debounce);
      ws?.close();
    };
  }, [sittingId, roomId, siteId]);

  // A re-read every 15 s anyway (the ages of saves are not events), every 2 s while the socket is down.
  const every = status === 'down' ? DOWN_POLL_MS : LIVE_REFRESH_MS;
  useEffect(() => {
    const id = window.setInterval(() => {
      if (!document.hidden) refreshRef.current('poll');
    }, every);
    const onVisible = () => {
      if (!document.hidden) refreshRef.current('changed');
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(id);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [every]);

  return status;
}

/**
 * The server's clock, from its `serverNow` and when the answer arrived; ticks
 * every second so countdowns and ages move between reads.
 */
export function useServerClock(serverNow: string | undefined, receivedAt: number | null): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = window.setInterval(() => setTick((t) => t + 1), 1000);
    return () => window.clearInterval(id);
  }, []);
  const offset = serverNow && receivedAt ? Date.parse(serverNow) - receivedAt : 0;
  return Date.now() + (Number.isNaN(offset) ? 0 : offset);
}

/**
 * The refresh for useProctorLive over a loader's `reload` (which aborts the
 * read in flight): an event always reads again; a periodic read waits for one
 * in flight, up to 3 turns, so a slow server still gets answers through.
 */
export function usePolitePolling(reload: () => void, refreshing: boolean): (cause: RefreshCause) => void {
  const busy = useRef(refreshing);
  busy.current = refreshing;
  const skipped = useRef(0);
  return useCallback(
    (cause: RefreshCause) => {
      if (cause === 'poll' && busy.current && skipped.current < 3) {
        skipped.current++;
        return;
      }
      skipped.current = 0;
      reload();
    },
    [reload],
  );
}
