// A tiny key-value layer over localStorage that never throws (private mode,
// quota, disabled storage) and can be replaced by a Map in tests.

export interface KV {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function memoryKV(): KV {
  const m = new Map<string, string>();
  return {
    getItem: (k) => (m.has(k) ? (m.get(k) as string) : null),
    setItem: (k, v) => {
      m.set(k, String(v));
    },
    removeItem: (k) => {
      m.delete(k);
    },
  };
}

/** localStorage when usable, otherwise an in-memory store. */
export function browserKV(): KV {
  try {
    const ls = window.localStorage;
    const probe = '__kaowu_probe__';
    ls.setItem(probe, '1');
    ls.removeItem(probe);
    return ls;
  } catch {
    return memoryKV();
  }
}

export function readJSON<T>(kv: KV, key: string): T | null {
  try {
    const raw = kv.getItem(key);
    return raw == null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

/** Returns false when the value could not be stored (quota, disabled storage). */
export function writeJSON(kv: KV, key: string, value: unknown): boolean {
  try {
    kv.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

export function removeKey(kv: KV, key: string): void {
  try {
    kv.removeItem(key);
  } catch {
    /* ignore */
  }
}
