// axe-core on every hosted page (GET /api/admin/v1/pages, rendered by the theme preview
// with sample data), in light and dark mode, for each theme given, and in Arabic (right to
// left); a screenshot of each. Any axe violation fails, and so does a CSP violation other
// than the page scripts the preview does not run (it allows no script at all).
// Usage: node axe.mjs BASE_URL ADMIN_TOKEN SCREENSHOT_DIR THEMES_JSON
//   THEMES_JSON: [{ "name": "default", "workspace": "shop", "query": "", "draft": {} }, …]:
//   the workspace of tenant acme previewed (default shop), the preview's extra query (e.g.
//   `client=shop-web`, `layer=tenant`) and the draft layer it applies.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [base, token, shots, themesJson] = process.argv.slice(2);
const themes = JSON.parse(themesJson);
mkdirSync(shots, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const admin = `${base}/api/admin/v1`;
const auth = { authorization: `Bearer ${token}` };

const pages = (await (await fetch(`${admin}/pages`, { headers: auth })).json()).items.map((p) => p.id);
assert.ok(pages.length >= 20, `pages: ${pages}`);

/** Where the card overlaps the split layout's brand panel (none for other layouts). */
async function overlaps(page) {
  return page.evaluate(() => {
    const panel = document.querySelector('body.layout-split > .brand-panel');
    if (!panel || getComputedStyle(panel).display === 'none') return [];
    const p = panel.getBoundingClientRect();
    // One column (narrow screens): the panel is a band above the card.
    const out = [];
    for (const card of document.querySelectorAll('.card')) {
      const c = card.getBoundingClientRect();
      const x = Math.min(c.right, p.right) - Math.max(c.left, p.left);
      const y = Math.min(c.bottom, p.bottom) - Math.max(c.top, p.top);
      if (x > 0.5 && y > 0.5) out.push(`the card (${Math.round(c.left)}–${Math.round(c.right)}) overlaps the brand panel (${Math.round(p.left)}–${Math.round(p.right)}) by ${Math.round(x)}px`);
    }
    return out;
  });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const failures = [];
let checked = 0;
try {
  const runs = [];
  for (const theme of themes) {
    for (const scheme of ['light', 'dark']) runs.push({ theme, scheme, locale: 'en' });
    runs.push({ theme, scheme: 'light', locale: 'ar' });
  }
  for (const { theme, scheme, locale } of runs) {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1100, height: 800 } });
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => {
      // The preview runs no scripts (its CSP allows none): the passkey and show-password
      // scripts are refused there, as without JavaScript. Anything else is a problem.
      if (m.type() === 'error' && !/(Refused to load|Loading) the script '[^']*\/static\/js\/(passkey|password)\.js[^']*' violates/.test(m.text())) problems.push(m.text());
    });
    for (const id of pages) {
      const q = new URLSearchParams(theme.query || '');
      q.set('locale', locale);
      const resp = await fetch(`${admin}/tenants/acme/workspaces/${theme.workspace || 'shop'}/preview/${id}?${q}`, {
        method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(theme.draft || {}),
      });
      assert.equal(resp.status, 200, `${theme.name} ${id}: ${await resp.clone().text()}`);
      const html = await resp.text();
      const csp = resp.headers.get('content-security-policy');
      // Served from the app's origin, so its stylesheet, logo and fonts load as on a real page.
      const url = `${base}/__axe/${theme.name}/${scheme}/${locale}/${id}`;
      await page.route(url, (route) => route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }, body: html }));
      await page.goto(url);
      assert.equal(await page.getAttribute('body', 'data-page'), id);
      if (locale === 'ar') assert.equal(await page.getAttribute('html', 'dir'), 'rtl', `${id}: rtl`);
      // axe is evaluated through the DevTools protocol, which the page's CSP does not govern.
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      for (const v of result.violations) {
        failures.push(`${theme.name} ${scheme} ${locale} ${id}: ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\n/g, ' ')}`).join('\n    ')}`);
      }
      // The split layout: the card never covers the brand panel (or the panel's place).
      failures.push(...(await overlaps(page)).map((o) => `${theme.name} ${scheme} ${locale} ${id}: ${o}`));
      checked += 1;
      await page.screenshot({ path: `${shots}/page-${theme.name}-${scheme}${locale === 'en' ? '' : `-${locale}`}-${id}.png`, fullPage: true });
      await page.unroute(url);
    }
    // Widths from just above the one-column breakpoint (48rem) to a wide screen.
    if (scheme === 'light') {
      for (const width of [780, 860, 960, 1100, 1440]) {
        await page.setViewportSize({ width, height: 800 });
        for (const id of ['login', 'register', 'recovery-codes']) {
          const q = new URLSearchParams(theme.query || '');
          q.set('locale', locale);
          const resp = await fetch(`${admin}/tenants/acme/workspaces/${theme.workspace || 'shop'}/preview/${id}?${q}`, {
            method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(theme.draft || {}),
          });
          const html = await resp.text();
          const csp = resp.headers.get('content-security-policy');
          const url = `${base}/__axe/${theme.name}/${scheme}/${locale}/${id}/${width}`;
          await page.route(url, (route) => route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }, body: html }));
          await page.goto(url);
          failures.push(...(await overlaps(page)).map((o) => `${theme.name} ${locale} ${id} at ${width}px: ${o}`));
          if (width === 1100 && id === 'login') await page.screenshot({ path: `${shots}/split-${theme.name}-${locale}-${width}-${id}.png`, fullPage: true });
          await page.unroute(url);
        }
      }
    }
    if (problems.length) failures.push(`${theme.name} ${scheme} ${locale}: console errors: ${problems.join(' | ')}`);
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(`axe: ${checked} pages checked`);
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
