// Signs in through the hosted pages in headless Chromium, with the keyboard only, and
// checks what a person sees: labels, focus order, the error message, the consent page,
// no CSP violations. Usage: node hosted_pages.mjs AUTHORIZE_URL REDIRECT_PREFIX SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

const [authorizeUrl, redirectPrefix, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  // The relying party is not running: answer its redirect here and remember it.
  let arrived = null;
  await page.route(`${redirectPrefix}**`, (route) => {
    arrived = route.request().url();
    return route.fulfill({ status: 200, contentType: 'text/plain', body: 'relying party' });
  });

  await page.goto(authorizeUrl);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  // Every page names itself; scripts decide from that, not from its inputs.
  assert.equal(await page.getAttribute('body', 'data-page'), 'login');
  // Every input has a visible label; the pool names accounts by email address, and the
  // label says so.
  assert.equal(await page.getByLabel('Email address').count(), 1);
  assert.equal(await page.getAttribute('#username', 'type'), 'email');
  assert.equal(await page.getByLabel('Password').count(), 1);
  await page.screenshot({ path: `${shots}/sign-in.png`, fullPage: true });
  // The same page in Arabic (right to left) and German, by ui_locales.
  for (const [lang, dir, heading] of [['ar', 'rtl', 'تسجيل الدخول'], ['de', 'ltr', 'Anmelden']]) {
    const other = await browser.newPage();
    await other.goto(`${authorizeUrl}&ui_locales=${lang}`);
    assert.equal(await other.getAttribute('html', 'lang'), lang);
    assert.equal(await other.getAttribute('html', 'dir'), dir);
    assert.equal((await other.textContent('h1')).trim(), heading);
    await other.screenshot({ path: `${shots}/sign-in-${lang}.png`, fullPage: true });
    await other.close();
  }

  // Focus order: username (autofocused), password, the show-password toggle, submit.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'username');
  await page.keyboard.type('alice@example.com');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'password');
  await page.keyboard.type('not the password');
  await page.keyboard.press('Tab');
  // The toggle (shown by its script, loaded with the page's nonce) reveals the password
  // and hides it again; it says which it does.
  assert.equal(await page.evaluate(() => document.activeElement.dataset.reveal), 'password');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#password', 'type'), 'text');
  assert.equal(await page.getAttribute('button[data-reveal]', 'aria-pressed'), 'true');
  assert.equal((await page.textContent('button[data-reveal]')).trim(), 'Hide password');
  await page.screenshot({ path: `${shots}/sign-in-password-shown.png`, fullPage: true });
  await page.getByRole('button', { name: 'Hide password' }).click();
  assert.equal(await page.getAttribute('#password', 'type'), 'password');
  await page.focus('button[data-reveal]');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('type')), 'submit');
  await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
  await page.waitForSelector('[role=alert]');
  assert.match(await page.textContent('[role=alert]'), /Incorrect username or password/);
  await page.screenshot({ path: `${shots}/sign-in-error.png`, fullPage: true });

  // The username is kept; the password field has the focus.
  assert.equal(await page.inputValue('#username'), 'alice@example.com');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'password');
  await page.keyboard.type('correct horse battery');
  await Promise.all([page.waitForURL(/consent/), page.keyboard.press('Enter')]);
  assert.match(await page.textContent('h1'), /Allow access/);
  assert.equal(await page.getAttribute('body', 'data-page'), 'consent');
  // Who is signed in, with a way to switch accounts.
  assert.match(await page.textContent('.account'), /Signed in as alice@example\.com\./);
  assert.equal(await page.getByRole('button', { name: 'Not you? Use another account' }).count(), 1);
  await page.screenshot({ path: `${shots}/consent.png`, fullPage: true });
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(`${redirectPrefix}**`);
  assert.ok(arrived && new URL(arrived).searchParams.get('code'), `no code in ${arrived}`);

  // Registration, in a fresh browser: the form generated from the pool's schema, every
  // input labelled, then the one-time-code page.
  const fresh = await browser.newContext();
  const reg = await fresh.newPage();
  // A form sent back with errors answers 422 (and there is no favicon): Chromium logs those
  // as failed loads, which are not problems; CSP violations still are.
  reg.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text()); });
  await reg.goto(authorizeUrl);
  await Promise.all([reg.waitForURL(/register/), reg.getByRole('link', { name: 'Create an account' }).click()]);
  assert.match(await reg.textContent('h1'), /Create your account/);
  for (const label of ['Email address', 'First name', 'Last name']) {
    assert.equal(await reg.getByLabel(label, { exact: false }).count() >= 1, true, `label ${label}`);
  }
  await reg.getByLabel('Email address').fill('browser-user@example.com');
  await reg.getByLabel('First name').fill('Bria');
  await reg.locator('#password').fill('short');
  await Promise.all([reg.waitForLoadState('load'), reg.getByRole('button', { name: 'Create account' }).click()]);
  assert.match(await reg.content(), /<p class="error">At least 10 characters<\/p>/);
  // The error summary at the top is announced and leads to the field.
  assert.equal(await reg.getAttribute('.error-summary', 'role'), 'alert');
  await reg.click('.error-summary a[href="#password"]');
  assert.equal(await reg.evaluate(() => document.activeElement.id), 'password');
  await reg.screenshot({ path: `${shots}/register-error.png`, fullPage: true });
  await reg.locator('#password').fill('a long enough secret 7');
  await Promise.all([reg.waitForURL(/verify/), reg.getByRole('button', { name: 'Create account' }).click()]);
  assert.equal(await reg.getByLabel('Code').count(), 1);
  assert.equal(await reg.getAttribute('body', 'data-page'), 'verify');
  await reg.screenshot({ path: `${shots}/verify.png`, fullPage: true });
  await fresh.close();

  assert.deepEqual(problems, [], 'no console errors (CSP violations show up here)');
  console.log('hosted pages: ok');
} finally {
  await browser.close();
}
