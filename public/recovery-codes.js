// /enrol/recovery-codes: a "Copy codes" button where the clipboard can be written.
(() => {
  const button = document.getElementById('copy-codes');
  const list = document.getElementById('recovery-codes');
  const status = document.getElementById('copy-status');
  if (!button || !list || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener('click', async () => {
    const codes = [...list.querySelectorAll('code')].map((code) => code.textContent).join('\n');
    try {
      await navigator.clipboard.writeText(codes);
      status.textContent = button.dataset.msgCopied;
    } catch {
      status.textContent = '';
    }
  });
})();
