import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium, headless, as every browser test here drives it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
}
