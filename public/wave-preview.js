// Live cohort count for the new-wave form: turns the form into the wave JSON the API takes (the same rules as
// src/console/campaign-form.ts) and asks POST /api/v1/campaigns/:id/waves/preview, a moment after each change.
(function () {
  'use strict';
  var form = document.getElementById('wave-form');
  if (!form) return;
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  var count = document.getElementById('wave-preview-count');
  var label = document.getElementById('wave-preview-label');
  var warnings = document.getElementById('wave-preview-warnings');
  var sample = document.getElementById('wave-preview-sample');
  var timer = null;
  var latest = 0;

  function split(value) { return value.split(/[\s,;]+/).map(function (v) { return v.trim(); }).filter(Boolean); }

  function waveInput() {
    var f = form.elements;
    var cohort = {};
    var paths = Array.prototype.filter.call(form.querySelectorAll('input[name="paths"]'), function (box) { return box.checked; })
      .map(function (box) { return box.value; });
    if (paths.length) cohort.paths = paths;
    if (f.last_login_after.value) cohort.last_login_after = f.last_login_after.value + 'T00:00:00Z';
    if (f.last_login_before.value) cohort.last_login_before = f.last_login_before.value + 'T23:59:59Z';
    if (split(f.email_domains.value).length) cohort.email_domains = split(f.email_domains.value);
    if (split(f.locales.value).length) cohort.locales = split(f.locales.value);
    var input = { name: f.name.value.trim() || 'preview', cohort: cohort };
    if (f.size.value) input.size = Number(f.size.value);
    return input;
  }

  function show(text, what) {
    count.textContent = text;
    label.textContent = what;
  }

  function refresh() {
    var ticket = ++latest;
    label.textContent = 'counting…';
    fetch(form.getAttribute('data-preview-endpoint'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(waveInput()),
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, status: response.status, body: body }; });
    }).then(function (answer) {
      if (ticket !== latest) return; // a newer change is already being counted
      warnings.textContent = '';
      sample.textContent = '';
      if (!answer.ok) {
        var fields = answer.body && answer.body.fields ? answer.body.fields.map(function (x) { return x.field.replace(/^cohort\./, '') + ' ' + x.reason; }).join('; ') : '';
        show('–', answer.status === 401 ? 'your session has ended; sign in again' : 'cannot count yet' + (fields ? ': ' + fields : ''));
        return;
      }
      show(answer.body.count.toLocaleString('en-GB'), answer.body.count === 1 ? 'user matches' : 'users match');
      (answer.body.warnings || []).forEach(function (text) {
        var item = document.createElement('li');
        item.textContent = text;
        warnings.appendChild(item);
      });
      var emails = (answer.body.sample || []).slice(0, 5).map(function (u) { return u.email || u.legacy_id; });
      if (emails.length) sample.textContent = 'First to be invited: ' + emails.join(', ') + (answer.body.count > emails.length ? ', …' : '');
    }).catch(function () {
      if (ticket === latest) show('–', 'could not reach the server');
    });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 350);
  }
  form.addEventListener('input', soon);
  form.addEventListener('change', soon);
  refresh();
})();
