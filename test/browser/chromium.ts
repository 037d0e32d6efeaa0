/**
 * The system's Chromium for the browser tests, driven by playwright-core (nothing is downloaded).
 * The tests skip, saying why, only where it is not installed; CI installs it and sets
 * REQUIRE_CHROMIUM, so there a missing browser fails instead.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can (or must). */
export const chromiumMissing: string | undefined =
  existsSync(CHROMIUM) || process.env.REQUIRE_CHROMIUM ? undefined : `skipped: no Chromium at ${CHROMIUM}`;

if (chromiumMissing !== undefined)
  console.warn(`browser tests ${chromiumMissing} (set CHROMIUM, or install chromium)`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
