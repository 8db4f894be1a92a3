import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's chromium, driven by playwright-core (no browser download is possible here). scripts/test.sh
 * installs it and sets TEST_CHROMIUM; suites skip without it, except in CI, where that is an error.
 */
export const CHROMIUM = process.env.TEST_CHROMIUM;
if (process.env.CI && !CHROMIUM) throw new Error('TEST_CHROMIUM must be set in CI (.ci/run installs chromium)');

/** A headless chromium (playwright gives it a fresh profile); the flags keep it off the closed network. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
