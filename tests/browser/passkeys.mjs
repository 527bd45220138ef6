// Passkeys in headless Chromium with a CDP virtual authenticator (CTAP2, internal
// transport, resident keys, user verification): a user creates a passkey at the
// enrolment page after the password, then signs in with it as the second factor, with the
// sign-in page's button (passwordless), and through passkey autofill (conditional
// mediation). The server must run at http://localhost:PORT: Chromium refuses IP
// addresses as RP IDs.
// Usage: node passkeys.mjs AUTHORIZE_URL REDIRECT_PREFIX SCREENSHOT_DIR USERNAME PASSWORD
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

const [authorizeUrl, redirectPrefix, shots, username, password] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  // Which mediation each passkey request asked for (the page's own script decides).
  let mediations = [];
  await page.exposeFunction('__passkeyGet', (m) => { mediations.push(m); });
  await page.addInitScript(() => {
    if (!window.isSecureContext || !navigator.credentials) { return; }
    const get = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (opts) => { window.__passkeyGet(opts.mediation || 'modal'); return get(opts); };
  });
  const until = async (test) => { for (let i = 0; i < 100 && !test(); i++) { await new Promise((r) => setTimeout(r, 50)); } assert.ok(test()); };
  let arrived = null;
  await page.route(`${redirectPrefix}**`, (route) => {
    arrived = route.request().url();
    return route.fulfill({ status: 200, contentType: 'text/plain', body: 'relying party' });
  });
  const backAtClient = async () => {
    await page.waitForURL(`${redirectPrefix}**`);
    assert.ok(arrived && new URL(arrived).searchParams.get('code'), `no code in ${arrived}`);
    arrived = null;
  };

  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });

  // 1. Password, then the enrolment page: create a passkey.
  await page.goto(authorizeUrl);
  assert.equal(await page.getAttribute('body', 'data-page'), 'login');
  await page.waitForSelector('#passkey-start', { state: 'visible' });
  assert.equal(await page.getAttribute('#username', 'autocomplete'), 'username webauthn');
  await page.screenshot({ path: `${shots}/passkey-sign-in.png`, fullPage: true });
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(/enrol-passkey/), page.click('button.primary')]);
  assert.equal(await page.getAttribute('body', 'data-page'), 'enrol-passkey');
  await page.waitForSelector('#passkey-start', { state: 'visible' });
  await page.screenshot({ path: `${shots}/passkey-enrol.png`, fullPage: true });
  // The first second factor comes with recovery codes, shown once.
  await Promise.all([page.waitForURL(/recovery-codes/), page.click('#passkey-start')]);
  assert.equal(await page.locator('[data-recovery-code]').count(), 10);
  await page.click('form[method=post] button.primary');
  await backAtClient();
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1);
  assert.equal(credentials[0].isResidentCredential, true, 'a discoverable credential');
  assert.equal(credentials[0].rpId, 'localhost');

  // 2. The passkey as the second factor after the password. (Without presence
  // simulation, so that the sign-in page's autofill request waits for the user.)
  await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
  await context.clearCookies();
  await page.goto(authorizeUrl);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(/\/passkey\?/), page.click('button.primary')]);
  assert.equal(await page.getAttribute('body', 'data-page'), 'passkey');
  await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });
  await page.waitForSelector('#passkey-start', { state: 'visible' });
  await page.screenshot({ path: `${shots}/passkey-second-factor.png`, fullPage: true });
  await page.click('#passkey-start');
  await backAtClient();

  // 3. Passwordless with the sign-in page's button. Autofill starts on load; the button
  // replaces its request with the browser's own dialog. Presence simulation is off so
  // that autofill waits for the user.
  await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
  await context.clearCookies();
  mediations = [];
  await page.goto(authorizeUrl);
  await until(() => mediations.includes('conditional'));
  await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });
  await page.click('#passkey-start');
  await backAtClient();
  assert.deepEqual(mediations, ['conditional', 'modal']);

  // 4. Passkey autofill (conditional mediation) alone: the pending request completes
  // when the user picks the passkey, which the virtual authenticator does at once.
  await context.clearCookies();
  mediations = [];
  await page.goto(authorizeUrl);
  await page.focus('#username').catch(() => {});
  await backAtClient();
  assert.deepEqual(mediations, ['conditional']);

  assert.deepEqual(problems, [], 'no console errors (CSP violations show up here)');
  console.log('passkeys: ok');
} finally {
  await browser.close();
}
