import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether the browser tests can run here. Without Chromium they report themselves skipped,
 * unless JINDU_BROWSER_TESTS=required (as CI sets it), when a missing browser fails the run.
 */
export const browserAvailable = existsSync(CHROMIUM);
if (!browserAvailable && process.env.JINDU_BROWSER_TESTS === 'required')
  throw new Error(`JINDU_BROWSER_TESTS=required but ${CHROMIUM} is missing`);

/** Flags every test browser takes: no sandbox (containers), no GPU, nothing fetched on its own. */
const QUIET = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];

export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...QUIET, ...extraArgs] });
}

/**
 * A browser with a profile on disk, as a user's is. `launchChromium`'s contexts are private
 * windows, whose cache is in memory: Chromium's did not keep a page as large as GraphiQL's.
 */
export function launchChromiumWithProfile(
  profileDir: string,
  extraArgs: readonly string[] = [],
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: [...QUIET, ...extraArgs],
  });
}
