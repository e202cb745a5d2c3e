import crypto from 'node:crypto';

/** Time-ordered random ids (so indexes grow at the end), URL-safe. */
export function newId(): string {
  return Date.now().toString(36).padStart(9, '0') + crypto.randomBytes(8).toString('base64url');
}

export const nowIso = (ms: number = Date.now()): string => new Date(ms).toISOString();
