// geneft dashboard: polls the store's JSON API (geneft serve) and draws with plotly.js.
// Every string from the store is set as text (textContent), never parsed as HTML.
'use strict';

const PHASES = ['comprehension', 'grokking', 'memorization', 'confusion', 'diverged'];
// Okabe & Ito colours, as in the gnuplot phase diagrams.
const PHASE_COLORS = ['#009E73', '#0072B2', '#E69F00', '#D55E00', '#000000'];
const POLL_MS = 1500;

// version: the store's data_version when last read; counts: its runs, finished and running runs.
// A commit that leaves the counts alone is new eval points of runs in flight (or a run restarted):
// then only a selected run that is not finished is read again.
const state = { version: null, counts: null, sweeps: [], sweep: null, runs: [], run: null, runFinished: false };

async function getJSON(url) {
  const r = await fetch(url, { cache: 'no-store' });
  if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
  return r.json();
}

function cell(tr, text) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined ? '–' : String(text);
  tr.appendChild(td);
  return td;
}

function fmt(v, digits = 3) {
  return typeof v === 'number' && isFinite(v) ? v.toFixed(digits) : '–';
}

function duration(s) {
  if (typeof s !== 'number' || !isFinite(s)) return '–';
  if (s < 90) return s.toFixed(0) + ' s';
  if (s < 5400) return (s / 60).toFixed(1) + ' min';
  return (s / 3600).toFixed(1) + ' h';
}

function renderSweeps() {
  const body = document.querySelector('#sweeps tbody');
  body.replaceChildren();
  for (const s of state.sweeps) {
    const tr = document.createElement('tr');
    if (s.name === state.sweep) tr.classList.add('selected');
    cell(tr, s.name);
    cell(tr, s.axes.map(a => a.key).join(' × '));
    cell(tr, s.finished + ' / ' + s.total);
    cell(tr, s.running);
    cell(tr, s.failed);
    cell(tr, duration(s.mean_run_seconds));
    cell(tr, s.finished === s.total ? 'done' : duration(s.eta_seconds));
    tr.addEventListener('click', () => { state.sweep = s.name; renderSweeps(); refreshSweep(); });
    body.appendChild(tr);
  }
}

function axisValues(rows, key) {
  const vals = [...new Set(rows.map(r => r.axes[key]).filter(v => typeof v === 'number'))];
  return vals.sort((a, b) => a - b);
}

// Majority phase over seeds in each cell of the first two axes.
function renderPhase(sweep) {
  const div = document.getElementById('phase');
  document.getElementById('phase-sweep').textContent = sweep ? '(' + sweep.name + ')' : '';
  if (!sweep || sweep.axes.length < 2) {
    div.dataset.cells = '0';
    Plotly.react(div, [], { title: { text: 'needs a sweep over two axes' } });
    return;
  }
  const [ax, ay] = sweep.axes;
  const xs = axisValues(sweep.runs, ax.key), ys = axisValues(sweep.runs, ay.key);
  const counts = new Map();
  for (const r of sweep.runs) {
    const k = r.axes[ax.key] + '|' + r.axes[ay.key];
    if (!counts.has(k)) counts.set(k, new Array(PHASES.length).fill(0));
    const p = PHASES.indexOf(r.phase);
    if (p >= 0) counts.get(k)[p] += 1;
  }
  let cells = 0;
  const z = ys.map(y => xs.map(x => {
    const c = counts.get(x + '|' + y);
    if (!c) return null;
    cells += 1;
    return c.indexOf(Math.max(...c));
  }));
  const label = v => v.toPrecision(3);
  // A discrete colour scale: phase i fills [i/5, (i+1)/5].
  const scale = [];
  PHASE_COLORS.forEach((c, i) => { scale.push([i / PHASES.length, c], [(i + 1) / PHASES.length, c]); });
  Plotly.react(div, [{
    type: 'heatmap', x: xs.map(label), y: ys.map(label), z, zmin: -0.5, zmax: PHASES.length - 0.5,
    colorscale: scale, xgap: 1, ygap: 1,
    colorbar: { tickvals: PHASES.map((_, i) => i), ticktext: PHASES },
    hovertemplate: ax.key + ' %{x}<br>' + ay.key + ' %{y}<extra></extra>',
  }], {
    margin: { t: 20, r: 10 }, xaxis: { title: { text: ax.key }, type: 'category' },
    yaxis: { title: { text: ay.key }, type: 'category' },
  }, { responsive: true, displaylogo: false });
  div.dataset.cells = String(cells);
}

// Parallel coordinates need WebGL; without it (a headless or GPU-less browser) the view is a
// scatter of final test accuracy against the sweep's first axis.
const HAVE_WEBGL = (() => {
  try { return !!document.createElement('canvas').getContext('webgl'); } catch (e) { return false; }
})();

function renderScatter(div, sweep) {
  const a = sweep.axes[0];
  Plotly.react(div, [{ type: 'scatter', mode: 'markers', x: sweep.runs.map(r => r.axes[a.key]),
    y: sweep.runs.map(r => r.metrics.final_test_acc), text: sweep.runs.map(r => r.phase),
    marker: { color: sweep.runs.map(r => PHASE_COLORS[Math.max(0, PHASES.indexOf(r.phase))]) } }],
  { margin: { t: 20 }, xaxis: { title: { text: a.key }, type: a.log ? 'log' : 'linear' },
    yaxis: { title: { text: 'final_test_acc' } } }, { responsive: true, displaylogo: false });
}

function renderParcoords(sweep) {
  const div = document.getElementById('parcoords');
  if (!sweep || sweep.runs.length === 0) { Plotly.react(div, [], {}); return; }
  if (!HAVE_WEBGL) { renderScatter(div, sweep); return; }
  const dims = [];
  for (const a of sweep.axes) {
    const v = sweep.runs.map(r => r.axes[a.key]);
    if (!v.every(x => typeof x === 'number')) continue;
    dims.push({ label: (a.log ? 'log10 ' : '') + a.key, values: a.log ? v.map(Math.log10) : v });
  }
  for (const m of ['final_train_acc', 'final_test_acc', 't_test']) {
    const v = sweep.runs.map(r => r.metrics[m]);
    if (v.some(x => typeof x === 'number')) dims.push({ label: m, values: v.map(x => (typeof x === 'number' ? x : NaN)) });
  }
  const color = sweep.runs.map(r => (typeof r.metrics.final_test_acc === 'number' ? r.metrics.final_test_acc : 0));
  Plotly.react(div, [{ type: 'parcoords', dimensions: dims,
    line: { color, colorscale: 'Viridis', cmin: 0, cmax: 1, showscale: true } }],
  { margin: { t: 40, l: 60, r: 60 } }, { responsive: true, displaylogo: false });
}

// Filter terms: key=value, key<value, key>value over run fields and config keys.
function matches(run, terms) {
  for (const t of terms) {
    const m = /^([^=<>]+)(=|<|>)(.*)$/.exec(t);
    if (!m) continue;
    const [, key, op, want] = m;
    const have = key in run ? run[key] : run.config[key];
    if (have === undefined || have === null) return false;
    if (op === '=') {
      const n = Number(want);
      if (typeof have === 'number' && want !== '' && isFinite(n) ? Math.abs(have - n) > 1e-12 * Math.max(1, Math.abs(n))
        : String(have) !== want) return false;
    } else {
      const n = Number(want);
      if (!(typeof have === 'number') || !isFinite(n) || (op === '<' ? !(have < n) : !(have > n))) return false;
    }
  }
  return true;
}

function renderRuns() {
  const terms = document.getElementById('filter').value.split(/\s+/).filter(Boolean);
  const body = document.querySelector('#runs tbody');
  body.replaceChildren();
  const shown = state.runs.filter(r => matches(r, terms));
  document.getElementById('runs-shown').textContent = '(' + shown.length + ' of ' + state.runs.length + ')';
  for (const r of shown) {
    const tr = document.createElement('tr');
    tr.dataset.id = r.id;
    if (r.id === state.run) tr.classList.add('selected');
    cell(tr, r.id.slice(0, 8));
    cell(tr, r.status);
    cell(tr, r.task);
    cell(tr, r.seed);
    cell(tr, r.steps);
    cell(tr, fmt(r.train_acc));
    cell(tr, fmt(r.test_acc));
    cell(tr, r.phase);
    cell(tr, r.status === 'running' ? duration(r.running_seconds) + ' so far' : fmt(r.wall_seconds, 1));
    tr.addEventListener('click', () => { state.run = r.id; renderRuns(); refreshRun(); });
    body.appendChild(tr);
  }
}

async function refreshRun() {
  if (!state.run) return;
  const run = await getJSON('/api/run?id=' + encodeURIComponent(state.run));
  state.runFinished = !run.partial;
  document.getElementById('curves-run').textContent = '(run ' + run.id.slice(0, 8) + ', ' + run.task + ', ' + run.status + ')';
  // A run in flight stores its eval points as it trains (at most once a second): a partial curve.
  const last = run.curve.length ? run.curve[run.curve.length - 1].step : null;
  document.getElementById('curves-note').textContent = !run.partial ? ''
    : (run.status === 'running' ? 'running for ' + duration(run.running_seconds) : run.status) +
      ': partial curve, ' + run.curve.length + ' eval points so far' + (last === null ? '' : ' (up to step ' + last + ')');
  const steps = run.curve.map(p => Math.max(p.step, 1));
  const line = (key, name, axis, dash) => ({ x: steps, y: run.curve.map(p => p[key]), name, yaxis: axis,
    type: 'scatter', mode: 'lines', line: { dash } });
  const div = document.getElementById('curves');
  Plotly.react(div, [line('train_acc', 'train acc', 'y', 'solid'), line('test_acc', 'test acc', 'y', 'solid'),
    line('train_loss', 'train loss', 'y2', 'dot'), line('test_loss', 'test loss', 'y2', 'dot')], {
    margin: { t: 20 }, xaxis: { title: { text: 'step' }, type: 'log' },
    yaxis: { title: { text: 'accuracy' }, range: [0, 1.05] },
    yaxis2: { title: { text: 'loss' }, type: 'log', overlaying: 'y', side: 'right' },
    legend: { orientation: 'h' },
  }, { responsive: true, displaylogo: false });
  div.dataset.points = String(run.curve.length);
}

async function refreshSweep() {
  if (!state.sweep) { renderPhase(null); renderParcoords(null); return; }
  const sweep = await getJSON('/api/sweep?name=' + encodeURIComponent(state.sweep));
  renderPhase(sweep);
  renderParcoords(sweep);
}

async function poll() {
  const status = document.getElementById('status');
  try {
    const s = await getJSON('/api/status');
    const counts = s.runs + '/' + s.finished + '/' + s.running;
    if (s.data_version !== state.version && counts === state.counts) {
      state.version = s.data_version;
      if (state.run && !state.runFinished) await refreshRun();
    } else if (s.data_version !== state.version) {
      state.version = s.data_version;
      state.counts = counts;
      [state.sweeps, state.runs] = await Promise.all([getJSON('/api/sweeps'), getJSON('/api/runs')]);
      if (!state.sweep && state.sweeps.length) {
        const two = state.sweeps.find(x => x.axes.length >= 2);
        state.sweep = (two || state.sweeps[0]).name;
      }
      renderSweeps();
      renderRuns();
      await refreshSweep();
      if (state.run) await refreshRun();
    }
    status.classList.remove('error');
    status.replaceChildren();
    const count = document.createElement('span');
    count.id = 'run-count';
    count.textContent = String(s.finished);
    status.append('store ' + s.store + ': ', count, ' of ' + s.runs + ' runs finished; checked ' +
      new Date().toLocaleTimeString());
  } catch (e) {
    status.classList.add('error');
    status.textContent = 'cannot reach the server: ' + e.message;
  }
  setTimeout(poll, POLL_MS);
}

document.getElementById('filter').addEventListener('input', renderRuns);
poll();
