// The playground: classify, explain and ask, the way a client would, showing each step.
(() => {
  'use strict';

  const form = document.getElementById('playground-form');
  if (!form) return;
  const {api, showError, clearErrors, messageOf, csrfToken} = window.Consilium;
  const $ = (id) => document.getElementById(id);
  let chart = null;
  let running = null;

  const isVirtual = (model) => model.startsWith('consilium/');

  function syncVirtualOnly() {
    const virtual = isVirtual(form.model.value);
    form.querySelectorAll('[data-virtual-only]').forEach((element) => { element.hidden = !virtual; });
  }
  form.model.addEventListener('change', syncVirtualOnly);
  syncVirtualOnly();

  function requestBody(stream) {
    const body = {model: form.model.value, messages: [{role: 'user', content: form.prompt.value.trim()}]};
    if (stream) body.stream = true;
    if (isVirtual(body.model)) {
      // The playground shows what each expert wrote, so it asks for the answers the API leaves out by default.
      const options = {include_answers: true};
      if (form.k.value) options.k = Number(form.k.value);
      if (form.fusion.value) options.fusion = form.fusion.value;
      if (form.aggregator.value) options.aggregator = form.aggregator.value;
      const allow = [...form.querySelectorAll('input[name=allow]:checked')].map((box) => box.value);
      if (allow.length) options.experts = {allow};
      if (Object.keys(options).length) body.consilium = options;
    }
    return body;
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.append(td);
    return td;
  }

  function header(row, text) {
    const th = document.createElement('th');
    th.scope = 'row';
    th.className = 'mono';
    th.textContent = text;
    row.append(th);
  }

  const dollars = (usd) => (usd === 0 ? '$0' : usd < 0.01 ? `$${usd.toPrecision(2)}` : `$${usd.toFixed(4)}`);
  const percent = (p) => `${(p * 100).toFixed(p >= 0.1 ? 0 : 1)} %`;

  function showSkills(result) {
    if (!result.ok) { $('skills-note').textContent = result.error.message; return; }
    const top = result.data.skills.slice(0, 8);
    $('skills-note').textContent = result.data.uncertain
      ? 'Uncertain: no skill clearly dominates, so more experts are recruited (or the best generalist answers).'
      : `Most likely ${top[0]?.id ?? '?'} (${percent(top[0]?.score ?? 0)}).`;
    const list = $('skills-list');
    list.replaceChildren(...top.map((skill) => {
      const item = document.createElement('li');
      item.textContent = `${skill.id}: ${percent(skill.score)}`;
      return item;
    }));
    if (typeof Chart === 'undefined') return;
    chart?.destroy();
    chart = new Chart($('skills-chart'), {
      type: 'bar',
      data: {
        labels: top.map((skill) => skill.id),
        datasets: [{label: 'probability', data: top.map((skill) => skill.score), backgroundColor: '#3566d6', borderRadius: 4}],
      },
      options: {
        indexAxis: 'y', animation: false, maintainAspectRatio: false,
        scales: {x: {min: 0, max: 1, ticks: {callback: (value) => `${Math.round(value * 100)} %`}}},
        plugins: {legend: {display: false}, tooltip: {callbacks: {label: (context) => percent(context.parsed.x)}}},
      },
    });
  }

  function showPlan(result) {
    const body = $('plan-table').tBodies[0];
    if (!result) {
      $('plan-note').textContent = 'A direct call to one expert: no plan, no fusion.';
      body.replaceChildren();
      return;
    }
    if (!result.ok) { $('plan-note').textContent = result.error.message; body.replaceChildren(); return; }
    const plan = result.data;
    $('plan-note').textContent = `Strategy ${plan.strategy}, fusion ${plan.fusion}, k = ${plan.k}`
      + (plan.aggregator ? `, aggregator ${plan.aggregator}` : '')
      + (plan.reserves.length ? `; reserves: ${plan.reserves.map((r) => r.id).join(', ')}` : '') + '.';
    body.replaceChildren(...plan.experts.map((expert) => {
      const row = document.createElement('tr');
      row.dataset.plannedExpert = expert.id;
      header(row, expert.id);
      cell(row, expert.score.toFixed(3), 'num');
      cell(row, expert.driving_skills.map((s) => `${s.id} (${s.score.toFixed(2)})`).join(', '));
      return row;
    }));
  }

  /** A line of the calls table: an expert's call, or the aggregator's, with what it cost. */
  function callRow(id, call, score, answer) {
    const row = document.createElement('tr');
    header(row, id);
    const outcome = cell(row, '');
    const badge = document.createElement('span');
    badge.className = `badge ${call.outcome === 'ok' ? 'ok' : 'bad'}`;
    badge.textContent = call.outcome;
    outcome.append(badge);
    cell(row, `${call.latency_ms} ms`, 'num');
    cell(row, `${call.prompt_tokens} / ${call.completion_tokens}`, 'num');
    cell(row, dollars(Number(call.cost_usd)), 'num');
    cell(row, score, 'num');
    cell(row, answer, 'expert-answer');
    return row;
  }

  function showCalls(metadata, direct) {
    const body = $('calls-table').tBodies[0];
    const rows = (metadata.experts ?? []).map((call) => {
      // A direct call's answer is the one above: the API sends expert answers only for the virtual models.
      const answer = call.answer ?? (direct ? $('answer').textContent : '—');
      const row = callRow(call.id, call, Number(call.score).toFixed(3), answer);
      row.dataset.calledExpert = call.id;
      return row;
    });
    if (metadata.aggregator_call) {
      const row = callRow(metadata.aggregator, metadata.aggregator_call, '—', 'the fused answer above');
      row.dataset.aggregatorCall = metadata.aggregator;
      row.querySelector('th').append(' ', Object.assign(document.createElement('span'),
        {className: 'badge muted', textContent: 'aggregator'}));
      rows.push(row);
    }
    body.replaceChildren(...rows);
    const parts = [`fusion: ${metadata.fusion}`];
    if (metadata.aggregator) parts.push(`aggregator: ${metadata.aggregator}`);
    if (metadata.consensus) parts.push('the experts agreed, so no aggregator was needed');
    parts.push(`router overhead ${metadata.router_overhead_ms} ms`);
    $('answer-summary').textContent = parts.join(' · ');
  }

  function setState(text, kind) {
    const state = $('answer-state');
    state.textContent = text;
    state.className = `badge ${kind}`;
  }

  function fail(message) {
    $('answer-error').textContent = message;
    $('answer-error').hidden = false;
    setState('failed', 'bad');
  }

  /** Reads a server-sent event stream of chat completion chunks, appending content as it arrives. */
  async function readStream(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let metadata = null;
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, {stream: true});
      let boundary;
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const data = event.split('\n').filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart()).join('\n');
        if (!data || data === '[DONE]') continue;
        const chunk = JSON.parse(data);
        if (chunk.error) { fail(chunk.error.message); return metadata; }
        const piece = chunk.choices?.[0]?.delta?.content;
        if (piece) $('answer').textContent += piece;
        if (chunk.consilium) metadata = chunk.consilium;
      }
    }
    return metadata;
  }

  async function ask() {
    clearErrors(form);
    if (!form.prompt.value.trim()) {
      showError(form, {param: 'messages', message: 'Type a question first.'});
      return;
    }
    running?.abort();
    const controller = new AbortController();
    running = controller;
    $('results').hidden = false;
    $('answer').textContent = '';
    $('answer-error').hidden = true;
    $('answer-summary').textContent = '';
    $('calls-table').tBodies[0].innerHTML = '<tr><td colspan="7" class="muted">Arrives with the end of the answer.</td></tr>';
    setState('streaming…', 'warn');
    $('ask').disabled = true;
    $('stop').hidden = false;

    const virtual = isVirtual(form.model.value);
    $('plan-section').hidden = !virtual;
    // Skills and plan show as soon as they are known, while the experts are still working.
    const ignoreAbort = (e) => { if (e.name !== 'AbortError') throw e; };
    api('POST', '/v1/classify', {input: form.prompt.value.trim()}, {signal: controller.signal})
      .then(showSkills, ignoreAbort);
    if (virtual) {
      api('POST', '/v1/routing/explain', requestBody(false), {signal: controller.signal}).then(showPlan, ignoreAbort);
    } else {
      showPlan(null);
    }
    try {
      const response = await fetch('/v1/chat/completions', {
        method: 'POST', credentials: 'same-origin', signal: controller.signal,
        headers: {'Content-Type': 'application/json', 'Accept': 'text/event-stream', 'X-CSRF-Token': csrfToken()},
        body: JSON.stringify(requestBody(true)),
      });
      if (!response.ok) {
        const text = await response.text();
        let error = null;
        try { error = JSON.parse(text).error; } catch (ignored) { /* not JSON */ }
        if (error?.param && form.querySelector(`[data-field="${CSS.escape(error.param)}"]`)) showError(form, error);
        fail(error?.message ?? messageOf(response.status, text));
        return;
      }
      const metadata = await readStream(response);
      if (metadata) {
        showCalls(metadata, !virtual);
        if ($('answer-error').hidden) setState('done', 'ok');
      } else if ($('answer-error').hidden) {
        fail('The answer ended without its consilium metadata.');
      }
    } catch (e) {
      if (e.name === 'AbortError') setState('stopped', 'muted');
      else fail(`The answer was cut off: ${e.message}`);
    } finally {
      if (running === controller) running = null;
      $('ask').disabled = false;
      $('stop').hidden = true;
    }
  }

  form.addEventListener('submit', (event) => { event.preventDefault(); ask(); });
  $('stop').addEventListener('click', () => running?.abort());
})();
