// `portcullis theme serve` in headless Chromium: the preview's own script (allowed by its
// nonce) reloads a page when a file of the folder changes, nothing violates the CSP, and
// the index and a page are screenshotted.
// Usage: node theme_serve.mjs PREVIEW_URL FOLDER SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';

const [base, folder, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });

  await page.goto(base);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.screenshot({ path: `${shots}/theme-serve-index.png`, fullPage: true });
  await page.click('a[href="/page/consent?locale=en&scheme=dark"]');
  assert.equal(await page.getAttribute('body', 'data-page'), 'consent');
  assert.equal(await page.getAttribute('body', 'data-color-scheme'), 'dark');
  const before = await page.textContent('h1');

  // The author saves a file: the page reloads by itself and shows it.
  writeFileSync(`${folder}/texts/en.ftl`, 'consent-title = Reloaded by the preview\n');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('Reloaded by the preview'), null, { timeout: 15000 });
  assert.notEqual(before, await page.textContent('h1'));
  await page.screenshot({ path: `${shots}/theme-serve-consent-dark.png`, fullPage: true });

  // A broken file: the problems page, naming file and setting, reloads too.
  writeFileSync(`${folder}/theme.toml`, '[tokens]\n"--pc-color-text" = "#eeeeee"\n');
  await page.waitForSelector('[data-problems]', { timeout: 15000 });
  assert.match(await page.textContent('[data-problems]'), /theme\.toml/);
  await page.screenshot({ path: `${shots}/theme-serve-problems.png`, fullPage: true });

  assert.deepEqual(problems, [], 'no script errors or CSP violations');
  console.log('ok');
} finally {
  await browser.close();
}
