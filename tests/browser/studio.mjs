// The theme studio in headless Chromium: a brand manager signs in at /{tenant}/studio
// through the hosted pages, changes the primary colour and the sign-in heading, watches
// the preview follow as they type (desktop and mobile, light and dark), publishes, and
// the real sign-in page shows the change. No console errors (CSP violations show up
// there), and axe-core finds no violation on the studio (English and Arabic, with the
// problems list shown) nor on its sign-out page. Screenshots of the studio go to
// SCREENSHOT_DIR.
// Usage: node studio.mjs STUDIO_URL USERNAME PASSWORD SIGN_IN_URL REDIRECT_PREFIX SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [studioUrl, username, password, signInUrl, redirectPrefix, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// axe-core on the page (evaluated through the DevTools protocol, which the page's CSP does
// not govern); the preview frame holds the hosted pages, which the axe test of the pages
// checks.
async function axe(p, what) {
  await p.evaluate(axeSource);
  const result = await p.evaluate(() => window.axe.run({ exclude: [['#preview-frame']] }, { iframes: false, resultTypes: ['violations'] }));
  const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.ok(result.passes.length > 10, `axe-core ran its rules on ${what}`);
  assert.deepEqual(found, [], `axe-core on ${what}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-GB' });
  const page = await context.newPage();
  const problems = [];
  // The preview frame is sandboxed: the sample pages' own script (the passkey page's) and
  // autofocus are blocked there, which Chromium reports; that is the sandbox working.
  const sandboxed = [];
  page.on('console', (m) => {
    if (m.type() !== 'error' || m.text().startsWith('Failed to load resource')) return;
    if (/^Blocked (script execution in '[^']*\/studio\/preview'|autofocusing on a <input> element) because the (document|element)'s frame is sandboxed/.test(m.text())) sandboxed.push(m.text());
    else problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));

  // Not signed in: the studio sends the browser to sign in through Portcullis itself.
  await page.goto(studioUrl);
  assert.equal(await page.getAttribute('body', 'data-page'), 'login');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await Promise.all([page.waitForURL(studioUrl), page.getByRole('button', { name: 'Sign in' }).click()]);
  await page.waitForSelector('#studio');
  assert.match(await page.textContent('.studio-user'), new RegExp(`Signed in as ${username}`));

  // The preview shows the sign-in page with the published theme.
  const frame = page.frameLocator('#preview-frame');
  const previewBody = frame.locator('body[data-page=login]');
  await previewBody.waitFor();
  const primaryIn = async () => (await previewBody.evaluate((b) => getComputedStyle(b).getPropertyValue('--pc-color-primary'))).trim();
  assert.equal(await primaryIn(), '#1f4fd1');
  const historyAtStart = await page.evaluate(() => history.length);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${shots}/studio.png`, fullPage: true });

  await axe(page, 'the studio');
  // Every input has a label; the colour pickers are named by what they colour.
  assert.equal(await page.getByLabel('Buttons and brand panel (Light)', { exact: true }).count(), 1);
  assert.equal(await page.getByLabel('Product name').count(), 1);

  // Change the primary colour: the preview follows.
  await page.getByLabel('Buttons and brand panel (Light)', { exact: true }).fill('#aa0000');
  await expectPreview(async () => (await primaryIn()) === '#aa0000', 'the preview shows the new primary colour');

  // Change a text: the sign-in heading.
  await page.getByLabel('Find a text').fill('sign-in');
  const area = page.locator('textarea#text-sign-in');
  await area.waitFor();
  await area.fill('Welcome to Initech');
  await expectPreview(async () => (await frame.locator('h1').textContent()).trim() === 'Welcome to Initech', 'the preview shows the new heading');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${shots}/studio-edited.png`, fullPage: true });

  // Dark mode and mobile width of the same page.
  await page.getByLabel('Dark', { exact: true }).check();
  await expectPreview(async () => (await frame.locator('body').getAttribute('data-color-scheme')) === 'dark', 'dark preview');
  await page.getByLabel('Mobile').check();
  const width = await page.locator('#preview-frame').evaluate((f) => f.getBoundingClientRect().width);
  assert.ok(width <= 400, `mobile preview is narrow (${width}px)`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${shots}/studio-mobile-dark.png`, fullPage: true });
  // The tenant's layer previewed in another workspace; a workspace's layer in its own.
  assert.ok(await page.isVisible('#preview-in'));
  await page.selectOption('#preview-in', 'shop');
  await frame.locator('body[data-page=login]').waitFor();
  // Every page of the preview list renders.
  const ids = await page.locator('#preview-page option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(ids.length >= 21, `${ids.length} pages`);
  for (const id of ids) {
    await page.selectOption('#preview-page', id);
    await frame.locator(`body[data-page="${id}"]`).waitFor();
  }
  await page.selectOption('#preview-page', 'login');
  // Dozens of previews later, Back still leaves the studio: none went into the history.
  assert.equal(await page.evaluate(() => history.length), historyAtStart, 'previews stay out of the history');
  await expectPreview(async () => (await page.locator('#frame-box iframe').count()) === 1, 'one preview frame is left once the last has loaded');
  await page.getByLabel('Light', { exact: true }).check();
  await page.getByLabel('Desktop').check();

  // Publish: a version by this user, and the real sign-in page shows the change.
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Published'));
  assert.match(await page.textContent('#versions'), /Version 1/);
  assert.match(await page.textContent('#versions'), new RegExp(username));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${shots}/studio-published.png`, fullPage: true });

  // What publishing would refuse is listed as one types, linked to the field.
  await page.getByLabel('Text (Light)', { exact: true }).fill('#fafafa');
  await page.waitForSelector('#problems:not([hidden])');
  assert.match(await page.textContent('#problems'), /Text \(Light\)/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${shots}/studio-contrast.png`, fullPage: true });
  await axe(page, 'the studio with the problems list');
  await page.getByRole('button', { name: 'Reset: Text', exact: true }).click();
  await page.waitForSelector('#problems', { state: 'hidden' });

  const visitor = await browser.newContext();
  const real = await visitor.newPage();
  await real.route(`${redirectPrefix}**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'relying party' }));
  await real.goto(signInUrl);
  assert.equal((await real.textContent('h1')).trim(), 'Welcome to Initech');
  const button = await real.locator('button.primary').evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.equal(button, 'rgb(170, 0, 0)');
  await real.screenshot({ path: `${shots}/studio-sign-in-after-publish.png`, fullPage: true });
  await visitor.close();

  // A second version, then one click back to the first (published again as version 3).
  await page.getByLabel('Buttons and brand panel (Light)', { exact: true }).fill('#005a00');
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.waitForFunction(() => /Version 2/.test(document.getElementById('versions').textContent));
  await page.locator('#versions li[data-version="1"]').getByRole('button', { name: 'Restore' }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Version restored'));
  assert.match(await page.textContent('#versions li[data-version="3"]'), /restored from version 1/);
  assert.equal(await page.inputValue('#light---pc-color-primary'), '#aa0000');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${shots}/studio-rolled-back.png`, fullPage: true });

  // Another layer: the shop workspace's, previewed in its own workspace, nothing drafted yet.
  await page.selectOption('#layer', 'workspace/shop');
  await page.waitForFunction(() => document.getElementById('preview-in-box').hidden);
  await page.waitForFunction(() => /Nothing is published here yet/.test(document.getElementById('layer-status').textContent));
  assert.equal(await page.inputValue('#light---pc-color-primary'), '#aa0000', 'the workspace inherits the tenant colour');
  await page.selectOption('#layer', 'tenant');
  await page.waitForFunction(() => !document.getElementById('preview-in-box').hidden);

  // The studio in Arabic: right to left, its own texts translated.
  const arabic = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'ar' });
  await arabic.addCookies(await context.cookies());
  const ar = await arabic.newPage();
  await ar.goto(studioUrl);
  await ar.frameLocator('#preview-frame').locator('body[data-page=login]').waitFor();
  assert.equal(await ar.getAttribute('html', 'dir'), 'rtl');
  assert.equal((await ar.textContent('#publish')).trim(), 'نشر');
  await ar.screenshot({ path: `${shots}/studio-ar.png`, fullPage: true });
  await axe(ar, 'the Arabic studio');
  await arabic.close();

  // The studio's keyboard path: the layer picker first, then the form.
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.activeElement !== document.body));

  // Sign out: the session ends, the page says so.
  await Promise.all([page.waitForURL(`${studioUrl}/logout`), page.getByRole('button', { name: 'Sign out' }).click()]);
  assert.match(await page.textContent('h1'), /You have left the studio/);
  await axe(page, 'the sign-out page');
  await page.screenshot({ path: `${shots}/studio-signed-out.png`, fullPage: true });

  assert.ok(sandboxed.some((m) => m.startsWith('Blocked script execution')), 'the preview runs no script');
  assert.deepEqual(problems, [], 'no console errors (CSP violations show up here)');
  console.log('studio: ok');
} finally {
  await browser.close();
}

async function expectPreview(check, what) {
  for (let i = 0; i < 50; i++) {
    try { if (await check()) return; } catch (_) { /* the frame is reloading */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(what);
}
