// Keeps a page's figures current: every 15 s it fetches the server-rendered section at data-live-url (numbers,
// tables and SVG charts, drawn on the server) and swaps it in. A redirect means the session ended: stop and say so.
(function () {
  'use strict';
  var root = document.getElementById('live');
  if (!root) return;
  var url = root.getAttribute('data-live-url');
  var status = document.getElementById('live-status');
  var EVERY_MS = 15000;

  function say(text) { if (status) status.textContent = text; }

  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        if (response.redirected || response.status === 401 || response.status === 403) throw new Error('signed out');
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.text();
      })
      .then(function (html) {
        root.innerHTML = html;
        say('Updated ' + new Date().toLocaleTimeString('en-GB') + '.');
        setTimeout(poll, EVERY_MS);
      })
      .catch(function (error) {
        if (error.message === 'signed out') { say('Your session has ended: reload the page to sign in again.'); return; }
        say('Could not refresh; trying again.');
        setTimeout(poll, EVERY_MS * 2);
      });
  }
  setTimeout(poll, EVERY_MS);
})();
