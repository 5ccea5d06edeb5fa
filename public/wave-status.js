// Keeps a wave's numbers current: polls GET /api/v1/waves/:id every 3 s and updates the counts and the progress
// bar in place. When the state changes the page reloads, so the buttons match it.
(function () {
  'use strict';
  var root = document.getElementById('wave-status');
  if (!root) return;
  var id = root.getAttribute('data-wave-id');
  var shownState = root.getAttribute('data-state');
  var updated = document.getElementById('wave-updated');
  var EVERY_MS = 3000;
  var dates = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

  function set(name, value) {
    Array.prototype.forEach.call(root.querySelectorAll('[data-field="' + name + '"]'), function (node) {
      if (node.tagName === 'PROGRESS') node.value = value;
      else if (node.getAttribute('data-format') === 'date') node.textContent = value ? dates.format(new Date(value)) + ' UTC' : '–';
      else node.textContent = typeof value === 'number' ? value.toLocaleString('en-GB') : String(value);
    });
  }

  function poll() {
    fetch('/api/v1/waves/' + encodeURIComponent(id), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (wave) {
        if (wave.state !== shownState) {
          window.location.reload();
          return;
        }
        ['queued', 'sent', 'clicked', 'enrolled', 'failed', 'bounced', 'complained', 'expired', 'cancelled', 'reminders_sent', 'send_rate_per_hour', 'eta']
          .forEach(function (name) { set(name, wave[name]); });
        var processed = wave.targeted - wave.queued;
        var progress = wave.targeted > 0 ? Math.round((processed / wave.targeted) * 1000) / 10 : 0;
        set('processed', processed);
        set('progress', progress);
        set('progress-text', progress);
        updated.textContent = 'Updated ' + new Date().toLocaleTimeString('en-GB') + '.';
        setTimeout(poll, EVERY_MS); // clicks and enrolments keep coming after the last send
      })
      .catch(function () {
        updated.textContent = 'Could not refresh; trying again.';
        setTimeout(poll, EVERY_MS * 3);
      });
  }
  setTimeout(poll, EVERY_MS);
})();
