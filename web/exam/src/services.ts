// The app's single instances: the server clock, the API client and storage.

import { Api } from './api';
import { ensureClientId } from './client-id';
import { ServerClock } from './clock';
import { browserKV } from './storage';

export const clock = new ServerClock();
export const api = new Api({ localNow: clock.localNow });
export const kv = browserKV();
/** This machine's exam client id (X-Kaowu-Client). */
export const clientId = ensureClientId(kv);
api.setClientId(clientId);

/** Re-syncs the clock from GET /api/time; ignores failures. */
export async function syncClock(): Promise<void> {
  try {
    const r = await api.time();
    clock.sync(r.sentAt, r.receivedAt, r.data.serverNow);
  } catch {
    /* next time */
  }
}
