import { readFileSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { castCohort, CohortCast } from './support/cohorts';
import { BrowserUser, launchChromium, openApp, openRoom, screenshot, signIn, WEB_DIR } from './support/browser';
import { startTestHub, TestHub } from './support/hub';
import { until } from './support/until';

jest.setTimeout(120_000);

/** The bytes of a file the page offers as a download, once the click made it. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return readFileSync(path);
}

/** A real PNG, drawn by the browser (so it decodes as an image there). */
async function pngFrom(page: Page): Promise<Buffer> {
  const bytes = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(640, 480);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#c0562c';
    ctx.fillRect(0, 0, 640, 480);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(100, 100, 200, 120);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    return [...new Uint8Array(await blob.arrayBuffer())];
  });
  return Buffer.from(bytes);
}

/**
 * Files in the browser: a participant (English) attaches a document and a photo and records a
 * voice note; a mentor reading Arabic (right to left) and a coordinator reading Spanish open them,
 * and the bytes they save are the bytes that were sent.
 */
describe('web client: encrypted files', () => {
  let t: TestHub;
  let browser: Browser;
  let cast: CohortCast;
  let part: BrowserUser;
  let mentor: BrowserUser;
  let coord: BrowserUser;
  let room: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHub({ webDir: WEB_DIR }), launchChromium({ fakeMedia: true })]);
    cast = await castCohort(t, 'wf');
    room = cast.cohort.name;
    [part, mentor, coord] = await Promise.all([
      openApp(browser, t.url),
      openApp(browser, t.url),
      openApp(browser, t.url),
    ]);
    await Promise.all([signIn(part.page, 'wf-part'), signIn(mentor.page, 'wf-mentor'), signIn(coord.page, 'wf-coord')]);
    await Promise.all([openRoom(part.page, room), openRoom(mentor.page, room), openRoom(coord.page, room)]);
    // The mentor reads Arabic (right to left), the coordinator Spanish.
    await mentor.page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    await coord.page.getByRole('combobox', { name: 'Language' }).selectOption('es');
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect([...part.problems, ...mentor.problems, ...coord.problems]).toEqual([]);
  });

  it('a document and a photo reach the others, who save exactly the bytes that were sent', async () => {
    const doc = Buffer.alloc(300_000);
    for (let i = 0; i < doc.length; i++) doc[i] = (i * 7 + 13) % 251;
    const photo = await pngFrom(part.page);
    await part.page.getByLabel('Attach files').setInputFiles([
      { name: 'security-manual.pdf', mimeType: 'application/pdf', buffer: doc },
      { name: 'workshop.png', mimeType: 'image/png', buffer: photo },
    ]);
    await part.page.locator('.timeline li.msg.has-file', { hasText: 'security-manual.pdf' }).waitFor();

    // The mentor, in Arabic: a card with the name, saved as it was sent.
    expect(await mentor.page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    const card = mentor.page.locator('.timeline li.msg.has-file', { hasText: 'security-manual.pdf' });
    const savedDoc = await downloaded(mentor.page, () => card.getByRole('button', { name: 'تنزيل' }).click());
    expect(savedDoc.equals(doc)).toBe(true);

    // The coordinator, in Spanish: the thumbnail (made and encrypted by the sender), then full size.
    const image = coord.page.getByRole('img', { name: 'Imagen: workshop.png' });
    await image.first().waitFor();
    await coord.page.getByRole('button', { name: 'Abrir la imagen a tamaño completo' }).click();
    const dialog = coord.page.getByRole('dialog', { name: 'Imagen: workshop.png' });
    await dialog.getByRole('img').waitFor();
    const savedPhoto = await downloaded(coord.page, () => dialog.getByRole('button', { name: 'Descargar' }).click());
    expect(savedPhoto.equals(photo)).toBe(true);
    await screenshot(coord.page, 'files-es');
    await screenshot(mentor.page, 'files-ar');

    // The hub holds neither name.
    const names = await t.db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM events WHERE content::text LIKE '%security-manual%' OR content::text LIKE '%workshop%'`,
    );
    expect(names[0].n).toBe('0');
  });

  it('a photo leaves without the metadata that could say where it was taken', async () => {
    const jpeg = Buffer.from(
      await part.page.evaluate(async () => {
        const canvas = new OffscreenCanvas(320, 240);
        const ctx = canvas.getContext('2d')!;
        ctx.fillStyle = '#2c6cc0';
        ctx.fillRect(0, 0, 320, 240);
        const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
        return [...new Uint8Array(await blob.arrayBuffer())];
      }),
    );
    // An EXIF segment as a phone writes one (upright: orientation 1), with a place in it.
    const tiff = [0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
    const payload = Buffer.concat([
      Buffer.from('Exif\0\0', 'latin1'),
      Buffer.from(tiff),
      Buffer.from('GPS 52.5200N 13.4050E'),
    ]);
    const app1 = Buffer.concat([
      Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]),
      payload,
    ]);
    const photo = Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
    await part.page
      .getByLabel('Attach files')
      .setInputFiles([{ name: 'street.jpg', mimeType: 'image/jpeg', buffer: photo }]);
    const thumb = coord.page.getByRole('img', { name: 'Imagen: street.jpg' });
    await thumb.waitFor();
    await coord.page
      .locator('.timeline li.msg', { has: thumb })
      .getByRole('button', { name: 'Abrir la imagen a tamaño completo' })
      .click();
    const dialog = coord.page.getByRole('dialog', { name: 'Imagen: street.jpg' });
    await dialog.getByRole('img').waitFor();
    const saved = await downloaded(coord.page, () => dialog.getByRole('button', { name: 'Descargar' }).click());
    expect(saved.includes(Buffer.from('GPS 52.5200N'))).toBe(false);
    // The same picture otherwise: the original without its EXIF segment, byte for byte.
    expect(saved.equals(jpeg)).toBe(true);
    await dialog.getByRole('button', { name: 'Cerrar' }).click();
  });

  it('a voice note recorded in the browser plays for the others', async () => {
    await part.page.getByRole('button', { name: 'Record a voice note' }).click();
    await part.page.getByText('Recording… 0:01').waitFor();
    await part.page.getByRole('button', { name: 'Stop and send' }).click();
    const play = mentor.page.getByRole('button', { name: /^تشغيل الرسالة الصوتية/ });
    await play.click();
    const audio = mentor.page.locator('.file-audio audio');
    await audio.waitFor();
    expect(await audio.getAttribute('src')).toMatch(/^blob:/);
  });

  it('an upload that failed continues on "Continue the upload"; one in progress can be cancelled', async () => {
    const big = Buffer.alloc(2_000_000, 7);
    // Offline: the upload fails (the browser says it is offline) and says so.
    await part.context.setOffline(true);
    await part.page
      .getByLabel('Attach files')
      .setInputFiles([{ name: 'offline-report.pdf', mimeType: 'application/pdf', buffer: big }]);
    const item = part.page.locator('.timeline li.upload', { hasText: 'offline-report.pdf' });
    await item.getByRole('button', { name: 'Continue the upload' }).waitFor();
    await part.context.setOffline(false);
    await item.getByRole('button', { name: 'Continue the upload' }).click();
    const card = mentor.page.locator('.timeline li.msg.has-file', { hasText: 'offline-report.pdf' });
    const saved = await downloaded(mentor.page, () => card.getByRole('button', { name: 'تنزيل' }).click());
    expect(saved.equals(big)).toBe(true);

    // Cancelled while its bytes are on their way (held back here until the test lets them go):
    // it leaves the screen, nothing is sent, and the hub deletes what it had of it.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let patched!: () => void;
    const patching = new Promise<void>((r) => (patched = r));
    await part.page.route('**/api/v1/rooms/*/media/*', async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      patched();
      await held;
      await route.abort();
    });
    await part.page
      .getByLabel('Attach files')
      .setInputFiles([{ name: 'never-sent.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(100_000, 1) }]);
    const cancelled = part.page.locator('.timeline li.upload', { hasText: 'never-sent.pdf' });
    await patching;
    await cancelled.getByRole('progressbar').waitFor();
    await cancelled.getByRole('button', { name: 'Cancel' }).click();
    await cancelled.waitFor({ state: 'detached' });
    release();
    const unsent = async (): Promise<number> =>
      Number(
        (
          await t.db.query<{ n: string }[]>(
            `SELECT count(*) AS n FROM media m JOIN users u ON u.id = m.uploader
              WHERE u.username = 'wf-part' AND m.event_id IS NULL`,
          )
        )[0].n,
      );
    await until(async () => (await unsent()) === 0, 'the cancelled upload deleted on the hub');
    await part.page.unroute('**/api/v1/rooms/*/media/*');
  });
});
