// Passkey ceremonies of the hosted pages (WebAuthn). The page's form #passkey names the
// ceremony (data-passkey: register | authenticate | discover) and carries the flow and
// CSRF fields; options come from data-options, the answer goes to the form's action, both
// as form posts answered with JSON. On the sign-in page (data-conditional) the browser's
// passkey autofill on the username field runs in the background (conditional mediation)
// and the button asks with the browser's own dialog. Without WebAuthn the form stays
// hidden and the page's other ways remain.
(function () {
  'use strict';
  var form = document.getElementById('passkey');
  if (!form) { return; }
  var errorBox = document.getElementById('passkey-error');
  var button = document.getElementById('passkey-start');
  var purpose = form.getAttribute('data-passkey');
  var pending = null;

  function show(message) {
    if (!errorBox) { return; }
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  if (!window.PublicKeyCredential || !navigator.credentials) {
    if (purpose !== 'discover') { show(form.getAttribute('data-unsupported')); }
    return;
  }
  form.hidden = false;

  function decode(s) {
    var b64 = s.replace(/-/g, '+').replace(/_/g, '/');
    while (b64.length % 4) { b64 += '='; }
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out.buffer;
  }

  function encode(buf) {
    if (!buf) { return null; }
    var bytes = new Uint8Array(buf);
    var bin = '';
    for (var i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function fields(extra) {
    var body = new URLSearchParams();
    body.set('flow', form.elements.flow.value);
    body.set('csrf', form.elements.csrf.value);
    Object.keys(extra).forEach(function (k) { body.set(k, extra[k]); });
    return body;
  }

  function post(url, extra) {
    return fetch(url, { method: 'POST', body: fields(extra), credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok) { throw new Error(j.message || form.getAttribute('data-failed')); }
          return j;
        });
      });
  }

  function creation(pk) {
    pk.challenge = decode(pk.challenge);
    pk.user.id = decode(pk.user.id);
    (pk.excludeCredentials || []).forEach(function (c) { c.id = decode(c.id); });
    return pk;
  }

  function request(pk) {
    pk.challenge = decode(pk.challenge);
    (pk.allowCredentials || []).forEach(function (c) { c.id = decode(c.id); });
    return pk;
  }

  function answer(cred) {
    var r = cred.response;
    var out = { id: cred.id, rawId: encode(cred.rawId), type: cred.type, extensions: {} };
    if (r.attestationObject) {
      out.response = { attestationObject: encode(r.attestationObject), clientDataJSON: encode(r.clientDataJSON) };
    } else {
      out.response = { authenticatorData: encode(r.authenticatorData), clientDataJSON: encode(r.clientDataJSON), signature: encode(r.signature), userHandle: encode(r.userHandle) };
    }
    return out;
  }

  // One ceremony: options, the browser's dialog (or autofill), the answer, then on.
  function ceremony(mediation) {
    var controller = new AbortController();
    pending = controller;
    return post(form.getAttribute('data-options'), { purpose: purpose }).then(function (o) {
      var call;
      if (purpose === 'register') {
        call = navigator.credentials.create({ publicKey: creation(o.options.publicKey), signal: controller.signal });
      } else {
        var opts = { publicKey: request(o.options.publicKey), signal: controller.signal };
        if (mediation) { opts.mediation = mediation; }
        call = navigator.credentials.get(opts);
      }
      return call.then(function (cred) {
        return post(form.action, { ceremony: o.ceremony, credential: JSON.stringify(answer(cred)) });
      });
    }).then(function (done) {
      window.location.assign(done.location);
    });
  }

  function failed(e) {
    // A ceremony given up for another (the button after autofill) is no failure.
    if (e && e.name === 'AbortError') { return; }
    show(e && e.message && e.name === 'Error' ? e.message : form.getAttribute('data-failed'));
    if (button) { button.disabled = false; }
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (pending) { pending.abort(); }
    if (button) { button.disabled = true; }
    if (errorBox) { errorBox.hidden = true; }
    ceremony(null).catch(failed);
  });

  // Autofill the user did not pick from fails quietly (no passkey here, given up); an
  // answer the server refused is shown.
  function quiet(e) {
    if (e && e.name === 'Error') { failed(e); }
  }

  if (form.hasAttribute('data-conditional') && PublicKeyCredential.isConditionalMediationAvailable) {
    PublicKeyCredential.isConditionalMediationAvailable().then(function (yes) {
      if (yes) { ceremony('conditional').catch(quiet); }
    });
  }
})();
