// Debian's headless Chromium, driven by playwright-core, with no network beyond what a test opens.
// A missing /usr/bin/chromium fails the suite, never skips it.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A page logged in to the admin pages the way a person does: the Basic box, the token as password. */
export async function adminPage(browser: Browser, onRequest?: (url: string) => void): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    httpCredentials: { username: 'ops', password: 'admin-token-for-tests-only' },
  });
  if (onRequest) ctx.on('request', (r) => onRequest(r.url()));
  return ctx.newPage();
}
