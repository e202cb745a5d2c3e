// The browser of the end-to-end tests of both front ends (web/exam and
// web/console), in one place: which Chromium, how it is launched, and the
// reason a browser test skips where it is missing. Debian's package, driven by
// playwright-core; never a downloaded browser.

import fs from 'node:fs';
import { chromium, type Browser, type LaunchOptions, type Page } from 'playwright-core';

/** Debian's Chromium (the `chromium` package). */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, no sandbox (containers), no GPU, no background traffic. */
export const CHROMIUM_ARGS: readonly string[] = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Launches {@link CHROMIUM} with {@link CHROMIUM_ARGS}; `options` add to them (e.g. a launch `timeout`). */
export function launchChromium(options: Omit<LaunchOptions, 'executablePath' | 'args'> = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS], ...options });
}

/** For `describe(…, { skip: chromiumMissing })`: false where Chromium is installed, else why the tests skip. */
export const chromiumMissing: false | string = !fs.existsSync(CHROMIUM) && `${CHROMIUM} is not installed`;

/**
 * Launches the browser while `setUp` runs (both take seconds), and returns it
 * once both are done. When the set-up fails the browser is closed, so a failed
 * `before` leaves no Chromium behind, and the set-up's error is thrown.
 */
export async function launchChromiumDuring(setUp: () => Promise<void>, options: Omit<LaunchOptions, 'executablePath' | 'args'> = {}): Promise<Browser> {
  const launching = launchChromium(options);
  launching.catch(() => {}); // awaited below; a failed set-up must not leave an unhandled rejection
  try {
    await setUp();
  } catch (err) {
    await launching.then((b) => b.close(), () => {});
    throw err;
  }
  return launching;
}

/**
 * Gathers a page's uncaught errors and console errors into `errors`; a failed
 * resource load whose line matches one of `allowed` (filled by the test when it
 * expects one, e.g. a refused save) is not an error.
 */
export function collectPageErrors(page: Page, errors: string[], allowed: readonly RegExp[]): void {
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const line = `${msg.text()} ${msg.location().url}`;
    if (!(msg.text().startsWith('Failed to load resource:') && allowed.some((re) => re.test(line)))) errors.push(`console.error: ${line}`);
  });
}
