// The app's single instances: the server clock, the API client and storage.

import { Api } from './api';
import { CLIENT_KEY, ensureClientId, newClientId } from './client-id';
import { ServerClock } from './clock';
import { browserKV } from './storage';

export const clock = new ServerClock();
export const api = new Api({ localNow: clock.localNow });
export const kv = browserKV();
/** This machine's exam client id (X-Kaowu-Client). */
export let clientId = ensureClientId(kv);
api.setClientId(clientId);

/**
 * A new client id for this machine: after a rejected machine switch, asking
 * again is a new request (the server keeps one answer per client).
 */
export function renewClientId(): string {
  clientId = newClientId();
  try {
    kv.setItem(CLIENT_KEY, clientId);
  } catch {
    /* kept in memory */
  }
  api.setClientId(clientId);
  return clientId;
}

/** Re-syncs the clock from GET /api/time; ignores failures. */
export async function syncClock(): Promise<void> {
  try {
    const r = await api.time();
    clock.sync(r.sentAt, r.receivedAt, r.data.serverNow);
  } catch {
    /* next time */
  }
}
