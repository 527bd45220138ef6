// The show-password toggle of the hosted pages. Without this script the button stays
// hidden and the field is a plain password field. Loaded with the page's CSP nonce.
'use strict';
for (const button of document.querySelectorAll('button[data-reveal]')) {
  const input = document.getElementById(button.dataset.reveal);
  if (!input) continue;
  button.hidden = false;
  button.addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    button.setAttribute('aria-pressed', String(show));
    button.textContent = show ? button.dataset.hide : button.dataset.show;
    input.focus();
  });
  // A form sent with the password visible still sends it as a password field would;
  // the field goes back to hidden so the next page (or the back button) does not show it.
  input.form?.addEventListener('submit', () => { input.type = 'password'; });
}
