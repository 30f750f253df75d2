import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { PASSWORD } from './hub';

/** The built web client; `npm test` builds it first (pretest). */
export const WEB_DIR = resolve(__dirname, '../../apps/web/dist');
export const ARTIFACTS = resolve(__dirname, '../../test-artifacts/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, never a downloaded one; without background networking (the sandbox has no internet). */
export async function launchChromium(options: { fakeMedia?: boolean } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Browser tests need Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run installs it)`);
  }
  if (!existsSync(join(WEB_DIR, 'index.html'))) throw new Error('The web client is not built: npm run build:web');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // Voice notes and calls: a fake microphone and camera, allowed without a prompt.
      ...(options.fakeMedia ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] : []),
    ],
  });
}

export interface BrowserUser {
  context: BrowserContext;
  page: Page;
  /** CSP violations, Trusted Types refusals and uncaught errors seen by the page. */
  problems: string[];
}

/** A separate browser profile (its own IndexedDB and storage) on the hub's web client. */
export async function openApp(
  browser: Browser,
  url: string,
  options: { viewport?: { width: number; height: number }; locale?: string; clock?: boolean } = {},
): Promise<BrowserUser> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1100, height: 800 },
    locale: options.locale ?? 'en-GB',
  });
  // A test clock (running at real speed until the test moves it), installed before the page loads.
  if (options.clock) await context.clock.install();
  // Fail within the test's time, with the locator that did not appear.
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Trusted ?Type|Refused to/i.test(text)) problems.push(text);
  });
  await page.goto(url);
  return { context, page, problems };
}

/** Signs in through the form and waits for the home screen. */
export async function signIn(page: Page, username: string, password = PASSWORD, deviceName?: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  if (deviceName) await page.getByLabel('Name of this device (optional)').fill(deviceName);
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  await page.getByRole('heading', { name: 'Your cohorts' }).waitFor({ timeout: 30_000 });
}

/**
 * Signs in on a new device of an account that has an identity already: the app first asks to
 * confirm it's you (another device, or the recovery key).
 */
export async function signInNewDevice(page: Page, username: string, deviceName?: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  if (deviceName) await page.getByLabel('Name of this device (optional)').fill(deviceName);
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor({ timeout: 30_000 });
}

export async function openRoom(page: Page, roomName: string): Promise<void> {
  await page
    .locator('#nav')
    .getByRole('button', { name: `# ${roomName}`, exact: true })
    .click();
  await page.getByRole('heading', { name: roomName, exact: true }).waitFor();
}

export async function openCohort(page: Page, cohortName: string): Promise<void> {
  await page.locator('#nav').getByRole('button', { name: cohortName, exact: true }).click();
  await page.getByRole('heading', { name: cohortName, exact: true }).waitFor();
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Write an encrypted message' }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** The timeline entry holding this text. */
export function message(page: Page, text: string) {
  return page.locator('.timeline li.msg', { hasText: text });
}

/** Saves a screenshot as a test artifact (never committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}
