// Profiling: upload a JSONL validation set, start a job, follow its progress events, show what changed.
(() => {
  'use strict';

  const form = document.getElementById('profiling-form');
  if (!form) return;
  const {api, showError, clearErrors, toast} = window.Consilium;
  const $ = (id) => document.getElementById(id);
  let events = null;
  let jobId = null;
  let finished = false;
  let before = null;

  const checked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((box) => box.value);

  /** competence per expert and skill, and each expert's aggregator score, from /admin/api/profiles */
  async function readProfiles() {
    const result = await api('GET', '/admin/api/profiles');
    const map = new Map();
    if (!result.ok) return map;
    for (const profile of result.data.data) {
      for (const skill of profile.skills) {
        map.set(`${profile.expert_id}\u0000${skill.id}`, {competence: skill.competence, attempted: skill.attempted});
      }
      if (profile.aggregator_score !== null && profile.aggregator_score !== undefined) {
        map.set(`${profile.expert_id}\u0000(aggregator)`, {competence: profile.aggregator_score, attempted: profile.fusion_attempted});
      }
    }
    return map;
  }

  async function showChanges() {
    const after = await readProfiles();
    const rows = [];
    after.forEach((now, key) => {
      const then = before?.get(key) ?? {competence: null, attempted: 0};
      if (now.attempted === then.attempted && now.competence === then.competence) return;
      const [expert, skill] = key.split('\u0000');
      rows.push({expert, skill, then: then.competence, now: now.competence, added: now.attempted - then.attempted});
    });
    rows.sort((a, b) => a.expert.localeCompare(b.expert) || a.skill.localeCompare(b.skill));
    const body = $('changes-table').tBodies[0];
    body.replaceChildren(...rows.map((change) => {
      const row = document.createElement('tr');
      for (const [text, numeric] of [[change.expert, false], [change.skill, false],
          [change.then === null ? '–' : change.then.toFixed(2), true], [change.now.toFixed(2), true],
          [Number.isInteger(change.added) ? String(change.added) : change.added.toFixed(2), true]]) {
        const td = document.createElement('td');
        td.textContent = text;
        if (numeric) td.className = 'num';
        row.append(td);
      }
      return row;
    }));
    if (!rows.length) {
      body.innerHTML = '<tr><td colspan="5" class="muted">No profile changed: every call may have failed.</td></tr>';
    }
    $('job-changes').hidden = false;
  }

  function render(job) {
    const state = $('job-state');
    state.textContent = job.status;
    const final = ['succeeded', 'failed', 'cancelled'].includes(job.status);
    state.className = `badge ${job.status === 'succeeded' ? 'ok' : job.status === 'failed' ? 'bad' : final ? 'muted' : 'warn'}`;
    const {done, total} = job.progress;
    $('job-progress').max = Math.max(total, 1);
    $('job-progress').value = done;
    $('job-status').textContent = `${done} of ${total} calls done · ${job.errors} failed`
      + (final ? '' : ' · running');
    const message = $('job-message');
    message.hidden = !job.message;
    message.textContent = job.message ?? '';
    message.className = `callout ${job.status === 'failed' ? 'bad' : 'warn'}`;
    $('job-cancel').hidden = final;
    if (final) finish(job);
  }

  function finish(job) {
    if (finished) return;
    finished = true;
    events?.close();
    events = null;
    htmx.trigger(document.body, 'profiling-changed');
    form.querySelector('button[type=submit]').disabled = false;
    if (job.status !== 'cancelled') showChanges();
    toast(`Profiling job ${job.status}.`, job.status === 'succeeded' ? 'success' : 'error');
  }

  function follow(job) {
    jobId = job.id;
    finished = false;
    $('job').hidden = false;
    $('job-id').textContent = job.id;
    $('job-changes').hidden = true;
    render(job);
    if (finished) return;
    events = new EventSource(`/admin/api/profiling-jobs/${encodeURIComponent(job.id)}/events`);
    events.addEventListener('progress', (event) => render(JSON.parse(event.data)));
    events.addEventListener('error', async () => {
      // The stream ends after the last event; if it broke earlier, read the status once.
      if (!events) return;
      events.close();
      events = null;
      const status = await api('GET', `/admin/api/profiling-jobs/${encodeURIComponent(job.id)}`);
      if (status.ok) render(status.data);
    });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const file = form.items.files[0];
    if (!file) { showError(form, {param: 'items', message: 'Choose a JSONL file with the validation items.'}); return; }
    const experts = checked('experts');
    const aggregators = checked('aggregators');
    if (!experts.length && !aggregators.length) {
      showError(form, {param: 'experts', message: 'Tick at least one expert or aggregator to profile.'});
      return;
    }
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    before = await readProfiles();
    const query = new URLSearchParams({experts: experts.join(','), aggregators: aggregators.join(','),
      concurrency: form.concurrency.value || '4', reset: String(form.reset.checked)});
    const started = await api('POST', `/admin/api/profiling-jobs?${query}`, await file.text(),
      {contentType: 'application/x-ndjson'});
    if (!started.ok) {
      submit.disabled = false;
      showError(form, started.error);
      return;
    }
    htmx.trigger(document.body, 'profiling-changed');
    follow(started.data);
  });

  $('job-cancel').addEventListener('click', async () => {
    if (!jobId) return;
    const result = await api('DELETE', `/admin/api/profiling-jobs/${encodeURIComponent(jobId)}`);
    if (!result.ok) toast(result.error.message, 'error');
  });
})();
