// The browser of the end-to-end tests of both front ends (web/exam and
// web/console), in one place: which Chromium, how it is launched, and the
// reason a browser test skips where it is missing. Debian's package, driven by
// playwright-core; never a downloaded browser.

import fs from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

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
