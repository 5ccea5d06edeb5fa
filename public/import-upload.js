// Uploads an export to POST /api/v1/imports on the staff session (the CSRF token rides in a header), shows the
// upload's progress, then the summary the API answers once the import has run.
(function () {
  'use strict';
  var form = document.getElementById('import-form');
  if (!form) return;
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  var bar = document.getElementById('import-progress-bar');
  var progress = document.getElementById('import-progress');
  var progressText = document.getElementById('import-progress-text');
  var errorBox = document.getElementById('import-error');
  var result = document.getElementById('import-result');
  var button = form.querySelector('button[type="submit"]');
  var SHOWN_ERRORS = 50;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function fmt(n) { return typeof n === 'number' ? n.toLocaleString('en-GB') : '–'; }
  function mib(bytes) { return (bytes / 1048576).toFixed(1) + ' MiB'; }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function describeFailure(status, body) {
    if (status === 401) return 'Your session has ended. Sign in again, then upload the file again.';
    if (status === 403) return body && body.message ? body.message : 'You may not run imports.';
    var text = body && body.message ? body.message : 'The import failed (HTTP ' + status + ').';
    if (body && body.fields) text += ' ' + body.fields.map(function (f) { return f.field + ': ' + f.reason; }).join('; ');
    return text;
  }

  function renderCounts(target, title, counts) {
    var keys = Object.keys(counts || {});
    if (keys.length === 0) return;
    var block = el('div', undefined, 'breakdown-group');
    block.appendChild(el('h3', title));
    var list = el('ul', undefined, 'chips');
    keys.sort(function (a, b) { return counts[b] - counts[a]; }).forEach(function (key) {
      list.appendChild(el('li', key + ': ' + fmt(counts[key])));
    });
    block.appendChild(list);
    target.appendChild(block);
  }

  function renderSummary(summary) {
    document.getElementById('import-result-title').textContent = summary.dry_run ? 'Dry run: nothing was written' : 'Import complete';
    var stats = document.getElementById('import-stats');
    stats.textContent = '';
    [['Rows', summary.rows], ['Imported', summary.imported], ['Updated', summary.updated], ['Unchanged', summary.unchanged],
      ['Rejected', summary.rejected], ['Ambiguous hashes', summary.ambiguous_hashes || 0],
      ['Time', (summary.duration_ms / 1000).toFixed(1) + ' s']].forEach(function (pair) {
      if (pair[0] === 'Ambiguous hashes' && pair[1] === 0) return; // shown only when the dialect needs saying
      var warn = (pair[0] === 'Rejected' || pair[0] === 'Ambiguous hashes') && pair[1] > 0;
      var box = el('div', undefined, warn ? 'stat stat-warn' : 'stat');
      box.appendChild(el('dt', pair[0]));
      box.appendChild(el('dd', typeof pair[1] === 'number' ? fmt(pair[1]) : pair[1]));
      stats.appendChild(box);
    });
    var breakdown = document.getElementById('import-breakdown');
    breakdown.textContent = '';
    renderCounts(breakdown, 'Paths', summary.paths);
    renderCounts(breakdown, 'Hash formats', summary.hash_formats);
    renderCounts(breakdown, 'Ignored fields', summary.ignored_fields);

    var errors = summary.errors || [];
    var body = document.getElementById('import-errors-body');
    body.textContent = '';
    errors.slice(0, SHOWN_ERRORS).forEach(function (e) {
      var row = el('tr');
      [['Line', e.line, 'num'], ['Id', e.id === null ? '–' : e.id], ['Field', e.field || '–'], ['Problem', e.reason]].forEach(function (cell) {
        var td = el('td', cell[1], cell[2]);
        td.setAttribute('data-label', cell[0]); // the stacked layout on narrow screens shows it
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    document.getElementById('import-errors-note').textContent = summary.rejected > SHOWN_ERRORS
      ? 'The first ' + SHOWN_ERRORS + ' of ' + fmt(summary.rejected) + '. GET /api/v1/imports/' + summary.id + '/errors lists them all.'
      : '';
    document.getElementById('import-errors').hidden = errors.length === 0;
    result.hidden = false;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var file = form.elements.file.files[0];
    errorBox.hidden = true;
    if (!file) { showError('Choose an export file first.'); return; }
    var query = new URLSearchParams();
    query.set('dry_run', form.elements.dry_run.checked ? 'true' : 'false');
    if (form.elements.default_path.value) query.set('default_path', form.elements.default_path.value);
    query.set('on_unsupported_hash', form.elements.on_unsupported_hash.value);
    if (form.elements.hash_dialect.value) query.set('hash_dialect', form.elements.hash_dialect.value);
    var csv = /\.csv$/i.test(file.name) || file.type === 'text/csv';

    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('data-endpoint') + '?' + query.toString());
    xhr.setRequestHeader('Content-Type', csv ? 'text/csv' : 'application/x-ndjson');
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', function (e) {
      if (!e.lengthComputable) return;
      bar.value = Math.round((e.loaded / e.total) * 100);
      progressText.textContent = 'Uploading and checking: ' + mib(e.loaded) + ' of ' + mib(e.total);
    });
    xhr.upload.addEventListener('load', function () {
      bar.value = 100;
      progressText.textContent = 'Uploaded; finishing the last rows…';
    });
    xhr.addEventListener('load', function () {
      button.disabled = false;
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status === 201 && body) {
        progressText.textContent = 'Done: ' + fmt(body.rows) + ' rows.';
        renderSummary(body);
      } else {
        progress.hidden = true;
        showError(describeFailure(xhr.status, body));
      }
    });
    xhr.addEventListener('error', function () {
      button.disabled = false;
      progress.hidden = true;
      showError('The upload did not reach the server. Check your connection and try again.');
    });
    button.disabled = true;
    result.hidden = true;
    bar.value = 0;
    progressText.textContent = 'Starting the upload…';
    progress.hidden = false;
    xhr.send(file);
  });
})();
