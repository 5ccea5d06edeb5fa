// /enrol: the passkey option. Shown only where the browser can make passkeys; on cancel, time-out or refusal the
// user gets a plain message, a retry and the authenticator app beside it. Messages come from data-msg-*.
(() => {
  const option = document.getElementById('passkey-option');
  const button = document.getElementById('passkey-start');
  const webauthn = window.SimpleWebAuthnBrowser;
  if (!option || !button || !webauthn) return;
  if (!webauthn.browserSupportsWebAuthn()) {
    const appOnly = document.getElementById('app-only');
    if (appOnly) appOnly.hidden = false;
    const app = document.getElementById('app-start');
    if (app) app.className = 'button button-primary';
    return;
  }
  option.hidden = false;
  const msg = option.dataset;
  const errorBox = document.getElementById('passkey-error');
  const status = document.getElementById('passkey-status');
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const label = button.textContent;

  const post = async (url, body) => {
    const response = await fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body || {}),
    });
    return { ok: response.ok, status: response.status, body: await response.json().catch(() => ({})) };
  };
  const fail = (text) => {
    status.textContent = '';
    errorBox.textContent = text;
    errorBox.hidden = false;
    errorBox.focus();
    button.disabled = false;
    button.textContent = msg.msgRetry || label;
  };

  button.addEventListener('click', async () => {
    errorBox.hidden = true;
    button.disabled = true;
    status.textContent = msg.msgWorking;
    try {
      const options = await post('/enrol/passkey/options');
      if (options.status === 410) return window.location.reload();
      if (!options.ok) return fail(msg.msgFailed);
      let attestation;
      try {
        attestation = await webauthn.startRegistration({ optionsJSON: options.body });
      } catch (error) {
        return fail(error && (error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || error.name === 'InvalidStateError') ? msg.msgExists : msg.msgCancelled);
      }
      const verified = await post('/enrol/passkey/verify', attestation);
      if (verified.ok && verified.body.next) return window.location.assign(verified.body.next);
      if (verified.status === 410) return window.location.reload();
      return fail(verified.body.error === 'passkey_exists' ? msg.msgExists : msg.msgFailed);
    } catch {
      return fail(msg.msgFailed);
    }
  });
})();
