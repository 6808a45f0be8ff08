// The job's timeline as a Gantt chart: a row per scope (the orchestrator's own steps first), a bar
// per step from its start to its end (or to now while it runs), coloured by outcome.
const SVG = 'http://www.w3.org/2000/svg';
const ROW = 22;
const LABEL = 180;
const WIDTH = 1000;

function node(tag, attrs, text) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  if (text !== undefined) n.textContent = text;
  return n;
}

/** The chart; {@code onScope} is called with a scope's path when its row is clicked. */
export function gantt(job, onScope) {
  const rows = [{ label: 'orchestrator', path: null, steps: job.steps || [] }]
    .concat((job.scopes || []).map((s) => ({ label: s.path || '.', path: s.path, status: s.status, steps: s.steps || [] })));
  const now = Date.now();
  const times = rows.flatMap((r) => r.steps.flatMap((s) => [s.startedAt, s.finishedAt]))
    .filter(Boolean).map((t) => Date.parse(t));
  const start = times.length ? Math.min(...times) : now;
  const end = Math.max(times.length ? Math.max(...times) : now, job.finishedAt ? Date.parse(job.finishedAt) : now);
  const span = Math.max(end - start, 1);
  const x = (t) => LABEL + ((t - start) / span) * (WIDTH - LABEL - 10);
  const svg = node('svg', { id: 'gantt', viewBox: `0 0 ${WIDTH} ${(rows.length + 1) * ROW}`, role: 'img',
    'aria-label': 'timeline of the job\'s steps', 'data-span-ms': String(span) });
  rows.forEach((row, i) => {
    const y = i * ROW + 4;
    const g = node('g', { class: 'scope-row', 'data-scope': row.path === null ? '' : row.path });
    g.append(node('text', { x: 4, y: y + 13, class: row.status ? `status-${row.status}` : '' }, row.label));
    for (const step of row.steps) {
      const from = Date.parse(step.startedAt || step.finishedAt);
      const to = step.finishedAt ? Date.parse(step.finishedAt) : now;
      const bar = node('rect', { class: `bar ${step.outcome}`, x: x(from), y, height: ROW - 8,
        width: Math.max(x(to) - x(from), 2), 'data-step': step.step, 'data-outcome': step.outcome });
      bar.append(node('title', {}, `${step.step}: ${step.outcome}${step.millis != null ? `, ${step.millis} ms` : ''}${step.message ? ` — ${step.message}` : ''}`));
      g.append(bar);
    }
    if (row.path !== null) g.addEventListener('click', () => onScope(row.path));
    svg.append(g);
  });
  svg.append(node('text', { x: LABEL, y: rows.length * ROW + 14, class: 'muted' }, `${(span / 1000).toFixed(1)} s`));
  return svg;
}
