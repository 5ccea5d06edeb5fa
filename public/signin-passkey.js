// /signin: "Sign in with a passkey", and passkey autofill on the email field where the browser offers it
// (conditional UI). The options name no credentials, so they say nothing about who has an account.
(() => {
  const box = document.getElementById('passkey-signin');
  const button = document.getElementById('passkey-signin-start');
  const webauthn = window.SimpleWebAuthnBrowser;
  if (!box || !button || !webauthn || !webauthn.browserSupportsWebAuthn()) return;
  box.hidden = false;
  const errorBox = document.getElementById('passkey-error');
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const post = async (url, body) => {
    const response = await fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body || {}),
    });
    return { ok: response.ok, body: await response.json().catch(() => ({})) };
  };
  const fail = () => {
    errorBox.textContent = box.dataset.msgFailed;
    errorBox.hidden = false;
    errorBox.focus();
    button.disabled = false;
  };

  const signIn = async (autofill) => {
    const options = await post('/signin/passkey/options');
    if (!options.ok) return autofill ? undefined : fail();
    let assertion;
    try {
      assertion = await webauthn.startAuthentication({ optionsJSON: options.body, useBrowserAutofill: autofill });
    } catch {
      return autofill ? undefined : fail();
    }
    const verified = await post('/signin/passkey/verify', assertion);
    if (verified.ok && verified.body.next) return window.location.assign(verified.body.next);
    return fail();
  };

  button.addEventListener('click', () => {
    errorBox.hidden = true;
    button.disabled = true;
    signIn(false).catch(fail);
  });
  const email = document.getElementById('email');
  if (email && webauthn.browserSupportsWebAuthnAutofill) {
    webauthn.browserSupportsWebAuthnAutofill().then((yes) => { if (yes) signIn(true).catch(() => undefined); });
  }
})();
