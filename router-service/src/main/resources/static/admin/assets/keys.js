// Keys: show a newly created key once, with a copy button.
(() => {
  'use strict';

  const form = document.getElementById('key-form');
  if (!form) return;
  const panel = document.getElementById('created-key');

  form.addEventListener('api:success', (event) => {
    document.getElementById('created-key-name').textContent = event.detail.name;
    document.getElementById('created-key-value').textContent = event.detail.key;
    panel.querySelector('[data-copy]').textContent = 'Copy';
    panel.hidden = false;
    panel.focus();
  });

  document.getElementById('created-key-done').addEventListener('click', () => {
    // The key leaves the page: it is not kept anywhere once this is closed.
    document.getElementById('created-key-value').textContent = '';
    panel.hidden = true;
  });
})();
