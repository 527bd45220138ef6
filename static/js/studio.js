// The theme studio's page (templates/studio.html): loaded by the page's CSP nonce, no
// inline handlers. It keeps the layer being edited as a JSON object (what the admin API's
// GET …/theme returns), shows it in the form, posts it into the preview frame as one
// types, and saves, publishes, discards and restores through /{tenant}/studio/api, which
// re-checks who is signed in and their privileges on every call.
(() => {
  'use strict';
  const root = document.getElementById('studio');
  if (!root) return;
  const T = JSON.parse(root.dataset.texts);
  const base = root.dataset.base;
  const csrf = root.dataset.csrf;
  const $ = (sel, el = document) => el.querySelector(sel);
  const $$ = (sel, el = document) => Array.from(el.querySelectorAll(sel));

  const layerSelect = $('#layer');
  const statusLine = $('#status');
  const problems = $('#problems');
  const form = $('#preview-form');

  let layer = {};      // the layer being edited
  let below = {};      // what it inherits
  let dirty = false;
  let hasDraft = false;
  let current = null;  // the published version number
  let texts = [];      // the text keys of the chosen locale

  // ---- the layer, its scope, the API ----

  function scope() {
    const o = layerSelect.selectedOptions[0];
    return { key: o.value, workspace: o.dataset.workspace || '', client: o.dataset.client || '' };
  }

  function query(extra = {}) {
    const s = scope();
    const q = new URLSearchParams();
    if (s.workspace) q.set('workspace', s.workspace);
    if (s.client) q.set('client', s.client);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    const str = q.toString();
    return str ? `?${str}` : '';
  }

  async function call(method, path, body, contentType = 'application/json') {
    const headers = { 'X-Studio-Csrf': csrf };
    let payload;
    if (body !== undefined) {
      headers['Content-Type'] = contentType;
      payload = contentType === 'application/json' ? JSON.stringify(body) : body;
    }
    const resp = await fetch(`${base}/api/${path}`, { method, headers, body: payload, credentials: 'same-origin' });
    const text = await resp.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
    if (resp.status === 401) say(T.sessionOver, true);
    return { ok: resp.ok, status: resp.status, data };
  }

  function say(message, isError = false) {
    statusLine.textContent = message;
    statusLine.classList.toggle('studio-error', isError);
  }

  function showProblems(errors) {
    const list = $('ul', problems);
    list.replaceChildren();
    for (const e of errors) {
      const li = document.createElement('li');
      const target = fieldFor(e.pointer);
      const label = target ? labelOf(target) : '';
      if (target) {
        const a = document.createElement('a');
        a.href = `#${target.id}`;
        a.textContent = label || e.pointer;
        a.addEventListener('click', (ev) => { ev.preventDefault(); target.focus(); });
        li.append(a, document.createTextNode(`: ${e.detail}`));
      } else {
        li.textContent = `${e.pointer}: ${e.detail}`;
      }
      list.append(li);
    }
    problems.hidden = errors.length === 0;
  }

  function fieldFor(pointer) {
    const m = /^\/(tokens|dark)\/(.+)$/.exec(pointer || '');
    if (m) {
      const id = `${m[1] === 'dark' ? 'dark' : 'light'}-${m[2]}`;
      return document.getElementById(id) || lengthInput(m[2]);
    }
    const simple = { '/product_name': 'product-name', '/logo_url': 'file-logo_url', '/favicon_url': 'file-favicon_url', '/background_image': 'file-background_image' };
    if (simple[pointer]) return document.getElementById(simple[pointer]);
    if (pointer && pointer.startsWith('/fonts')) return document.getElementById('file-font');
    const t = /^\/texts\/([^/]+)\/(.+)$/.exec(pointer || '');
    if (t) return document.getElementById(`text-${t[2]}`);
    return null;
  }

  function lengthInput(token) {
    return $$('[data-length]').find((i) => i.dataset.length === token) || null;
  }

  function labelOf(el) {
    if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
    const l = el.id ? $(`label[for="${CSS.escape(el.id)}"]`) : null;
    return l ? l.textContent.trim() : '';
  }

  // ---- colours ----

  function hex(value) {
    if (!value) return null;
    const v = value.trim();
    let m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(v);
    if (m) return `#${m[1]}${m[1]}${m[2]}${m[2]}${m[3]}${m[3]}`.toLowerCase();
    if (/^#[0-9a-f]{6}$/i.test(v)) return v.toLowerCase();
    m = /^rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/i.exec(v);
    if (m) return `#${[m[1], m[2], m[3]].map((n) => Math.min(255, +n).toString(16).padStart(2, '0')).join('')}`;
    return null;
  }

  function fillColours() {
    for (const row of $$('.studio-colour[data-token]')) {
      const token = row.dataset.token;
      const light = $('[data-light]', row);
      const dark = $('[data-dark]', row);
      const own = (layer.tokens || {})[token];
      const ownDark = (layer.dark || {})[token];
      light.value = hex(own) || hex(below.tokens?.[token]) || '#000000';
      dark.value = hex(ownDark) || hex(below.dark?.[token]) || light.value;
      row.classList.toggle('studio-own', own !== undefined || ownDark !== undefined);
    }
  }

  function setMap(name, key, value) {
    const map = { ...(layer[name] || {}) };
    if (value === undefined || value === '') delete map[key]; else map[key] = value;
    if (Object.keys(map).length) layer[name] = map; else delete layer[name];
  }

  // ---- the form from the layer ----

  function fill() {
    $('#product-name').value = layer.product_name || '';
    $('#product-name').placeholder = below.product_name || '';
    for (const box of $$('[data-asset]')) {
      const setting = box.dataset.asset;
      if (setting === 'font') continue;
      const img = $('img', box);
      const own = layer[setting];
      const shown = own || below[setting];
      img.hidden = !shown;
      if (shown) img.src = shown;
      $('[data-remove]', box).hidden = !own;
    }
    for (const name of ['layout', 'color_scheme']) {
      const value = layer[name] || below[name] || (name === 'layout' ? 'centered' : 'auto');
      for (const r of $$(`input[name="${name}"]`)) r.checked = r.value === value;
    }
    fillColours();
    const font = (layer.tokens || {})['--pc-font-family'] || below.tokens?.['--pc-font-family'] || '';
    const select = $('#font');
    for (const o of $$('option[data-uploaded]', select)) o.remove();
    for (const f of [...(below.fonts || []), ...(layer.fonts || [])]) addFontOption(f.family);
    if (font && !$$('option', select).some((o) => o.value === font)) {
      const o = document.createElement('option');
      o.value = font; o.textContent = font; o.dataset.uploaded = '1';
      select.append(o);
    }
    select.value = font;
    for (const input of $$('[data-length]')) {
      const v = (layer.tokens || {})[input.dataset.length] || below.tokens?.[input.dataset.length] || '';
      input.value = v.endsWith(input.dataset.unit) ? parseFloat(v) : '';
    }
    fillTexts();
  }

  function addFontOption(family) {
    const select = $('#font');
    const value = `${family}, system-ui, sans-serif`;
    if ($$('option', select).some((o) => o.value === value)) return;
    const o = document.createElement('option');
    o.value = value; o.textContent = family; o.dataset.uploaded = '1';
    select.append(o);
  }

  function markDirty() {
    dirty = true;
    say('');
    layerStatus();
    schedule();
  }

  function layerStatus() {
    const parts = [hasDraft ? T.statusDraft : current ? T.statusPublished : T.statusNew];
    if (dirty) parts.push(T.unsaved);
    $('#layer-status').textContent = parts.join(' ');
  }

  // ---- inputs to the layer ----

  $('#product-name').addEventListener('input', (e) => {
    const v = e.target.value.trim();
    if (v) layer.product_name = v; else delete layer.product_name;
    markDirty();
  });
  for (const name of ['layout', 'color_scheme']) {
    for (const r of $$(`input[name="${name}"]`)) {
      r.addEventListener('change', () => { layer[name] = r.value; markDirty(); });
    }
  }
  for (const row of $$('.studio-colour[data-token]')) {
    const token = row.dataset.token;
    $('[data-light]', row).addEventListener('input', (e) => { setMap('tokens', token, e.target.value); row.classList.add('studio-own'); markDirty(); });
    $('[data-dark]', row).addEventListener('input', (e) => { setMap('dark', token, e.target.value); row.classList.add('studio-own'); markDirty(); });
    $('[data-reset]', row).addEventListener('click', () => { setMap('tokens', token); setMap('dark', token); fillColours(); markDirty(); });
  }
  $('#font').addEventListener('change', (e) => { setMap('tokens', '--pc-font-family', e.target.value); markDirty(); });
  for (const input of $$('[data-length]')) {
    input.addEventListener('input', () => {
      const v = input.value === '' ? undefined : `${+input.value}${input.dataset.unit}`;
      setMap('tokens', input.dataset.length, v);
      markDirty();
    });
  }
  for (const b of $$('[data-remove]')) {
    b.addEventListener('click', () => { delete layer[b.dataset.remove]; fill(); markDirty(); });
  }

  // Uploads go to the tenant's assets (checked by content there); the layer names the URL.
  async function upload(file, pointer) {
    const r = await call('POST', 'assets', file, file.type || 'application/octet-stream');
    if (!r.ok) {
      showProblems((r.data?.errors || []).map((e) => ({ ...e, pointer })));
      if (!r.data?.errors?.length) say(T.failed, true);
      return null;
    }
    say(T.uploaded);
    return r.data.url;
  }
  for (const box of $$('[data-asset]')) {
    const setting = box.dataset.asset;
    const input = $('input[type=file]', box);
    input.addEventListener('change', async () => {
      const file = input.files[0];
      if (!file) return;
      const url = await upload(file, setting === 'font' ? '/fonts' : `/${setting}`);
      input.value = '';
      if (!url) return;
      if (setting === 'font') {
        const family = ($('#font-family').value.trim().replace(/[^A-Za-z0-9 -]/g, '') || 'Brand').slice(0, 60);
        layer.fonts = [...(layer.fonts || []).filter((f) => f.family !== family), { family, url }];
        addFontOption(family);
        setMap('tokens', '--pc-font-family', `${family}, system-ui, sans-serif`);
        $('#font').value = `${family}, system-ui, sans-serif`;
      } else {
        layer[setting] = url;
        fill();
      }
      markDirty();
    });
  }

  // ---- texts ----

  async function loadTexts() {
    const r = await call('GET', `texts${query({ locale: $('#texts-locale').value })}`);
    texts = r.ok ? r.data.items : [];
    fillTexts();
  }

  function fillTexts() {
    const list = $('#texts-list');
    const lang = $('#texts-locale').value;
    const needle = $('#texts-search').value.trim().toLowerCase();
    const own = (layer.texts || {})[lang] || {};
    const rows = texts.filter((t) => !needle || t.key.includes(needle) || t.text.toLowerCase().includes(needle) || (own[t.key] || '').toLowerCase().includes(needle)).slice(0, 40);
    list.replaceChildren();
    if (!rows.length) {
      const p = document.createElement('p');
      p.className = 'studio-muted';
      p.textContent = T.textsNone;
      list.append(p);
      return;
    }
    for (const t of rows) {
      const id = `text-${t.key}`;
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = t.key;
      const area = document.createElement('textarea');
      area.id = id;
      area.rows = 2;
      area.dir = 'auto';
      area.lang = lang;
      area.placeholder = t.text;
      area.value = own[t.key] || '';
      area.addEventListener('input', () => {
        const all = { ...(layer.texts || {}) };
        const mine = { ...(all[lang] || {}) };
        if (area.value.trim()) mine[t.key] = area.value; else delete mine[t.key];
        if (Object.keys(mine).length) all[lang] = mine; else delete all[lang];
        if (Object.keys(all).length) layer.texts = all; else delete layer.texts;
        markDirty();
      });
      list.append(label, area);
    }
  }
  $('#texts-locale').addEventListener('change', () => {
    $('#preview-locale').value = $('#texts-locale').value;
    loadTexts();
    schedule();
  });
  $('#texts-search').addEventListener('input', fillTexts);

  // ---- preview ----

  let timer = null;
  let checkTimer = null;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 600);
  }

  function preview() {
    const s = scope();
    const set = (name, value) => { form.elements[name].value = value; };
    set('layer', JSON.stringify(layer));
    set('page', $('#preview-page').value);
    set('locale', $('#preview-locale').value);
    set('scheme', $('input[name="scheme"]:checked').value);
    set('workspace', s.workspace || $('#preview-in').value || root.dataset.previewWorkspace);
    set('client', s.client);
    set('at', s.client ? 'client' : s.workspace ? 'workspace' : 'tenant');
    // Each preview loads into a fresh frame, which replaces the shown one once loaded: a
    // fresh frame's first page replaces its blank one, so previews do not pile up in the
    // browser's history (Back leaves the studio instead of stepping through them).
    const shown = $('#preview-frame');
    const next = document.createElement('iframe');
    const n = ++frames;
    next.name = `studio-preview-${n}`;
    next.title = shown.title;
    next.setAttribute('sandbox', '');
    next.className = 'studio-next';
    $('#frame-box').append(next);
    next.addEventListener('load', () => {
      if (n < latest) { next.remove(); return; }
      latest = n;
      for (const f of $$('#frame-box iframe')) if (f !== next && +(f.dataset.n || 0) < n) f.remove();
      next.id = 'preview-frame';
      next.className = '';
    });
    next.dataset.n = n;
    form.target = next.name;
    form.submit();
  }
  let frames = 0;
  let latest = 0;

  // What publishing would refuse (contrast included), shown while one types.
  async function check() {
    const r = await call('POST', `check${query()}`, layer);
    if (r.ok) showProblems(r.data.errors);
  }

  $('#preview-page').addEventListener('change', preview);
  $('#preview-in').addEventListener('change', preview);
  $('#preview-locale').addEventListener('change', preview);
  for (const r of $$('input[name="scheme"]')) r.addEventListener('change', preview);
  for (const r of $$('input[name="width"]')) {
    r.addEventListener('change', () => {
      const box = $('#frame-box');
      box.classList.toggle('desktop', r.value === 'desktop' && r.checked);
      box.classList.toggle('mobile', r.value === 'mobile' && r.checked);
    });
  }

  // ---- versions ----

  function fillVersions(versions) {
    const list = $('#versions');
    list.replaceChildren();
    if (!versions.length) {
      const li = document.createElement('li');
      li.className = 'studio-muted';
      li.textContent = T.versionsNone;
      list.append(li);
      return;
    }
    const when = new Intl.DateTimeFormat(T.lang, { dateStyle: 'medium', timeStyle: 'short' });
    for (const v of versions) {
      const li = document.createElement('li');
      li.dataset.version = v.version;
      const head = document.createElement('strong');
      head.textContent = `${T.version} ${v.version}`;
      const meta = document.createElement('span');
      meta.className = 'studio-muted';
      const time = document.createElement('time');
      time.dateTime = new Date(v.published_at * 1000).toISOString();
      time.textContent = when.format(new Date(v.published_at * 1000));
      meta.append(time, document.createTextNode(` · ${v.author}`));
      if (v.rollback_of) meta.append(document.createTextNode(` · ${T.restores} ${v.rollback_of}`));
      li.append(head, meta);
      if (v.version === current) {
        const badge = document.createElement('span');
        badge.className = 'studio-badge';
        badge.textContent = T.current;
        li.append(badge);
      } else {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'studio-quiet';
        b.textContent = T.restore;
        b.setAttribute('aria-describedby', `v-${v.version}`);
        head.id = `v-${v.version}`;
        b.addEventListener('click', async () => {
          const r = await call('POST', `rollback${query()}`, { version: v.version });
          if (r.ok) { dirty = false; await load(); say(T.restored); } else failed(r);
        });
        li.append(b);
      }
      list.append(li);
    }
  }

  // ---- load, save, publish, discard ----

  async function load() {
    const r = await call('GET', `layer${query()}`);
    if (!r.ok) { failed(r); return; }
    below = r.data.below;
    // The tenant's layer is previewed in a workspace of one's choice; the others in their own.
    $('#preview-in-box').hidden = !!scope().workspace;
    hasDraft = !!r.data.draft;
    current = r.data.published ? r.data.published.version : null;
    layer = structuredClone(r.data.draft ? r.data.draft.layer : r.data.published ? r.data.published.layer : {});
    dirty = false;
    fill();
    fillVersions(r.data.versions);
    layerStatus();
    showProblems([]);
    await loadTexts();
    preview();
  }

  function failed(r) {
    if (r.data?.errors?.length) {
      showProblems(r.data.errors);
      problems.focus();
    } else if (r.status !== 401) {
      say(T.failed, true);
    }
  }

  async function save() {
    const r = await call('PUT', `draft${query()}`, layer);
    if (!r.ok) { failed(r); return false; }
    hasDraft = true;
    dirty = false;
    showProblems([]);
    layerStatus();
    return true;
  }

  $('#save').addEventListener('click', async () => { if (await save()) say(T.saved); });
  $('#publish').addEventListener('click', async () => {
    if (!(await save())) return;
    const r = await call('POST', `publish${query()}`);
    if (!r.ok) { failed(r); return; }
    await load();
    say(T.published);
  });
  $('#discard').addEventListener('click', async () => {
    const r = await call('DELETE', `draft${query()}`);
    if (!r.ok && r.status !== 404) { failed(r); return; }
    await load();
    say(T.discarded);
  });

  let chosen = layerSelect.value;
  layerSelect.addEventListener('change', () => {
    if (dirty && !window.confirm(T.confirmSwitch)) { layerSelect.value = chosen; return; }
    chosen = layerSelect.value;
    say('');
    load();
  });
  window.addEventListener('beforeunload', (e) => { if (dirty) e.preventDefault(); });

  load();
})();
