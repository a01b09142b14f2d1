// Shared behaviour of the admin pages: the CSRF header on every request, forms sent as JSON to the
// admin API with its errors shown next to the fields, notices, dialogs, copy buttons and expert tests.
(() => {
  'use strict';

  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content ?? '';

  // ---- Notices -------------------------------------------------------------------------------------

  function toast(message, kind = 'info') {
    const box = document.getElementById('toasts');
    if (!box) return;
    const note = document.createElement('div');
    note.className = `toast ${kind}`;
    const urgent = kind === 'error' || kind === 'warn';
    note.setAttribute('role', urgent ? 'alert' : 'status');
    note.textContent = message;
    box.append(note);
    setTimeout(() => note.remove(), urgent ? 12000 : 4000);
  }

  /** The message of an OpenAI-shaped error body, or the body itself when it is short text. */
  function messageOf(status, text) {
    try {
      const error = JSON.parse(text).error;
      if (error?.message) return error.message;
    } catch (ignored) { /* not JSON */ }
    if (text && text.length < 300 && !text.trimStart().startsWith('<')) return text;
    return `The service answered ${status}.`;
  }

  /** Makes "expert field 'base-url' must use http…" read as "Must use http…" next to the field it names. */
  function fieldMessage(message) {
    const stripped = message.replace(/^expert field '[^']+' /, '').replace(/^'[^']+' /, '');
    return stripped.charAt(0).toUpperCase() + stripped.slice(1);
  }

  // ---- Calling the JSON APIs with the session ---------------------------------------------------------

  /**
   * Calls a JSON API of the service with the session cookie and the CSRF header. Resolves to
   * {ok, status, data, error}; an ended session sends the browser to the sign-in page.
   */
  async function api(method, url, body, options = {}) {
    const headers = {'X-CSRF-Token': csrfToken(), 'Accept': 'application/json'};
    let payload;
    if (body !== undefined && body !== null) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, {method, headers, body: payload, credentials: 'same-origin', signal: options.signal});
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      return {ok: false, status: 0, error: {message: 'The service could not be reached. Check that it is running.'}};
    }
    if (response.status === 401) {
      window.location.assign('/admin/sign-in?expired');
      return {ok: false, status: 401, error: {message: 'Your session ended.'}};
    }
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (ignored) { /* not JSON */ }
    if (!response.ok) {
      return {ok: false, status: response.status, error: data?.error ?? {message: messageOf(response.status, text)}};
    }
    return {ok: true, status: response.status, data, response};
  }

  // ---- htmx ---------------------------------------------------------------------------------------------

  document.addEventListener('htmx:configRequest', (event) => {
    event.detail.headers['X-CSRF-Token'] = csrfToken();
  });
  document.addEventListener('htmx:afterRequest', (event) => {
    const element = event.detail.elt;
    if (!event.detail.successful || !(element instanceof HTMLElement)) return;
    if (element.dataset.refresh) htmx.trigger(document.body, element.dataset.refresh);
    if (element.dataset.reloadInto) htmx.ajax('GET', element.dataset.reloadUrl, {target: element.dataset.reloadInto});
  });
  document.addEventListener('htmx:responseError', (event) => {
    const xhr = event.detail.xhr;
    if (xhr.status === 401) { window.location.assign('/admin/sign-in?expired'); return; }
    toast(messageOf(xhr.status, xhr.responseText), 'error');
  });
  document.addEventListener('htmx:sendError', () => toast('The service could not be reached. Check that it is running.', 'error'));
  document.addEventListener('htmx:afterSwap', (event) => {
    const dialog = event.detail.target.closest?.('dialog');
    if (dialog && !dialog.open) dialog.showModal();
    if (dialog) {
      updateProviderFields(dialog);
      dialog.querySelector('input:not([readonly]):not([type=hidden]), select, textarea')?.focus();
    }
  });

  // ---- Forms sent as JSON -----------------------------------------------------------------------------

  /** Sets a value at a dotted path ("limits.timeout") of an object. */
  function put(target, path, value) {
    const parts = path.split('.');
    let node = target;
    parts.slice(0, -1).forEach((part) => { node = node[part] ??= {}; });
    node[parts.at(-1)] = value;
  }

  /**
   * Reads a form into the JSON body of the admin API. Inputs are named by their JSON path; data-type
   * says how to read one: number, list (checkboxes, or comma-separated text), lines, boolean, instant.
   * Empty fields are left out so the API's defaults apply (data-keep-empty sends an empty string).
   */
  function serialize(form) {
    const body = {};
    const lists = new Map();
    for (const input of form.elements) {
      if (!input.name || input.disabled || input.type === 'file' || input.type === 'submit' || input.type === 'button') continue;
      if (input.closest('[data-providers][hidden]')) continue;
      const type = input.dataset.type;
      if (input.type === 'checkbox' && type === 'list') {
        if (!lists.has(input.name)) lists.set(input.name, []);
        if (input.checked) lists.get(input.name).push(input.value);
        continue;
      }
      if (input.type === 'checkbox' && type === 'boolean') { put(body, input.name, input.checked); continue; }
      if (input.type === 'checkbox') {
        if (input.checked) put(body, input.name, input.value);
        continue;
      }
      const raw = input.value.trim();
      if (raw === '' && !('keepEmpty' in input.dataset)) continue;
      if (type === 'number') put(body, input.name, Number.isNaN(Number(raw)) ? raw : Number(raw));
      else if (type === 'list') put(body, input.name, raw.split(',').map((s) => s.trim()).filter(Boolean));
      else if (type === 'lines') put(body, input.name, raw.split('\n').map((s) => s.trim()).filter(Boolean));
      else if (type === 'instant') put(body, input.name, new Date(raw).toISOString());
      else put(body, input.name, raw);
    }
    lists.forEach((values, name) => put(body, name, values));
    return body;
  }

  function clearErrors(form) {
    form.querySelectorAll('.field.invalid').forEach(clearField);
    form.querySelectorAll('.form-error').forEach((slot) => { slot.textContent = ''; });
  }

  /** Shows a message next to a field and marks its inputs invalid; returns the first input. */
  function markField(field, message) {
    field.classList.add('invalid');
    field.closest('details')?.setAttribute('open', '');
    const slot = field.querySelector('.field-error');
    if (slot) slot.textContent = fieldMessage(message);
    const input = field.querySelector('input, select, textarea');
    input?.setAttribute('aria-invalid', 'true');
    return input;
  }

  function clearField(field) {
    field.classList.remove('invalid');
    field.querySelectorAll('[aria-invalid]').forEach((input) => input.removeAttribute('aria-invalid'));
    const slot = field.querySelector('.field-error');
    if (slot) slot.textContent = '';
  }

  /** What is wrong with an input by the constraints the form declares on it, or null when they hold. */
  function brokenConstraint(input) {
    if (!input.willValidate || input.closest('[data-providers][hidden]') || input.checkValidity()) return null;
    if (input.validity.valueMissing) return 'Required.';
    return input.dataset.message ? input.dataset.message.replace('{value}', input.value.trim()) : input.validationMessage;
  }

  /**
   * Checks every visible input against the constraints the form declares (required, pattern, type) and
   * shows each broken one next to its field, all at once, before anything is sent; the API still
   * validates everything. Returns whether all held.
   */
  function checkFields(form) {
    let first = null;
    for (const input of form.elements) {
      const problem = brokenConstraint(input);
      const field = input.closest('[data-field]');
      if (problem === null || !field || field.classList.contains('invalid')) continue;
      const marked = markField(field, problem);
      first ??= marked;
    }
    first?.focus();
    return first === null;
  }

  /** Shows an API error next to the field its "param" names, or at the top of the form. */
  function showError(form, error) {
    const message = error?.message ?? 'The request failed.';
    const param = error?.param;
    const field = param ? form.querySelector(`[data-field="${CSS.escape(param)}"]`) : null;
    if (field) {
      markField(field, message)?.focus();
      return;
    }
    const slot = form.querySelector('.form-error');
    if (slot) slot.textContent = message; else toast(message, 'error');
  }

  // A field's error goes as soon as it is corrected: at once when the form's own constraints hold again,
  // and for an error the API reported, when the value changes (the API checks it again on the next submit).
  function recheckField(event) {
    const input = event.target;
    const field = input.closest?.('form[data-api] .field.invalid');
    if (!field) return;
    const problem = brokenConstraint(input);
    if (problem === null) clearField(field); else markField(field, problem);
  }
  document.addEventListener('input', recheckField);
  document.addEventListener('change', recheckField);

  function setBusy(form, busy) {
    const button = form.querySelector('button[type=submit]');
    if (!button) return;
    if (busy) {
      button.dataset.idleLabel = button.textContent;
      if (button.dataset.busyLabel) button.textContent = button.dataset.busyLabel;
    } else if (button.dataset.idleLabel) {
      button.textContent = button.dataset.idleLabel;
    }
    button.disabled = busy;
    form.setAttribute('aria-busy', String(busy));
  }

  async function submitApiForm(form) {
    clearErrors(form);
    if (!checkFields(form)) return;
    setBusy(form, true);
    try {
      const result = await api(form.dataset.method ?? 'POST', form.dataset.api, serialize(form));
      if (!result.ok) { showError(form, result.error); return; }
      form.dispatchEvent(new CustomEvent('api:success', {detail: result.data, bubbles: true}));
      // Saved, with something to know (an expert whose endpoint cannot be reached, say).
      (result.data?.warnings ?? []).forEach((warning) => toast(warning, 'warn'));
      if (form.dataset.success === 'reload') { window.location.reload(); return; }
      if (form.dataset.successMessage) toast(form.dataset.successMessage, 'success');
      if (form.dataset.refresh) htmx.trigger(document.body, form.dataset.refresh);
      if (form.dataset.reloadInto) htmx.ajax('GET', form.dataset.reloadUrl, {target: form.dataset.reloadInto});
      const dialog = form.closest('dialog');
      if (dialog) dialog.close(); else form.reset();
    } finally {
      setBusy(form, false);
    }
  }

  document.addEventListener('submit', (event) => {
    const form = event.target.closest('form[data-api]');
    if (!form) return;
    event.preventDefault();
    submitApiForm(form);
  });

  // ---- Fields that only some providers use --------------------------------------------------------------

  function updateProviderFields(scope) {
    const select = scope.querySelector('[data-provider-select]');
    if (!select) return;
    scope.querySelectorAll('[data-providers]').forEach((field) => {
      field.hidden = !field.dataset.providers.split(' ').includes(select.value);
    });
  }
  document.addEventListener('change', (event) => {
    if (event.target.matches?.('[data-provider-select]')) updateProviderFields(event.target.form);
  });

  // ---- Dialogs, copying, expert tests -------------------------------------------------------------------

  document.addEventListener('click', async (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;

    const closer = target.closest('[data-close-dialog]');
    if (closer) { closer.closest('dialog')?.close(); return; }

    const copy = target.closest('[data-copy]');
    if (copy) {
      const text = document.querySelector(copy.dataset.copy)?.textContent ?? '';
      try {
        await navigator.clipboard.writeText(text);
      } catch (e) {
        // No clipboard API (plain http on another host): select the text for a manual copy.
        const range = document.createRange();
        range.selectNodeContents(document.querySelector(copy.dataset.copy));
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        toast('Selected: press Ctrl+C (⌘C) to copy.');
        return;
      }
      copy.textContent = 'Copied';
      toast('Copied to the clipboard.', 'success');
      return;
    }

    const test = target.closest('[data-test-expert]');
    if (test) {
      const id = test.dataset.testExpert;
      test.disabled = true;
      showTest(id, {css: '', text: 'testing…', title: ''});
      const result = await api('POST', `/admin/api/experts/${encodeURIComponent(id)}/test`);
      test.disabled = false;
      if (!result.ok) {
        showTest(id, {css: 'bad', text: result.error.message, title: ''});
      } else if (result.data.ok) {
        showTest(id, {css: 'ok', text: `ok · ${result.data.latency_ms} ms`, title: `Replied: ${result.data.reply ?? ''}`});
      } else {
        showTest(id, {css: 'bad', title: '',
          text: `failed after ${result.data.latency_ms} ms: ${result.data.error?.message ?? 'unknown error'}`});
      }
    }
  });

  // Test results outlive the table's periodic refresh, which would otherwise wipe them.
  const testResults = new Map();
  function showTest(id, result) {
    testResults.set(id, result);
    const output = document.getElementById(`test-${id}`);
    if (!output) return;
    output.className = `test-result ${result.css}`;
    output.textContent = result.text;
    output.title = result.title;
  }
  document.addEventListener('htmx:afterSwap', () => testResults.forEach((result, id) => showTest(id, result)));

  window.Consilium = {api, toast, serialize, showError, clearErrors, messageOf, csrfToken};
})();
