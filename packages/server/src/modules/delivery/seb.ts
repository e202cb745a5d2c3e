import crypto from 'node:crypto';

/**
 * Safe Exam Browser (SEB): a sitting may require it. SEB sends, with every
 * request, `X-SafeExamBrowser-ConfigKeyHash` = hex SHA-256 of the absolute
 * request URL (scheme://host[:port]/path?query, no fragment) followed by the
 * Config Key of its configuration. Pure functions, no I/O.
 */

export const SEB_HEADER = 'x-safeexambrowser-configkeyhash';

/** The absolute URL as the browser sees it; a fragment never reaches the server, but is cut if present. */
export function sebRequestUrl(protocol: string, host: string, url: string): string {
  const hash = url.indexOf('#');
  return `${protocol}://${host}${hash >= 0 ? url.slice(0, hash) : url}`;
}

/** hex SHA-256 of url + configKey: what SEB puts in the header. */
export function sebConfigKeyHash(absoluteUrl: string, configKey: string): string {
  return crypto.createHash('sha256').update(absoluteUrl + configKey, 'utf8').digest('hex');
}

/** Whether the header carries the right hash; compared in constant time. */
export function sebHeaderValid(header: string | string[] | undefined, absoluteUrl: string, configKey: string): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{64}$/.test(value.trim())) return false;
  const expected = Buffer.from(sebConfigKeyHash(absoluteUrl, configKey), 'hex');
  const got = Buffer.from(value.trim().toLowerCase(), 'hex');
  return got.length === expected.length && crypto.timingSafeEqual(got, expected);
}
