// The ops UI: pages drawn from the orchestrator's own JSON API, authenticated by the session
// cookie the login sets. Text from jobs and repositories is always placed as text (never as HTML),
// except the documentation pages, which the server renders escaped and with safe URLs only.
import { gantt } from './gantt.js';

const view = document.getElementById('view');
const errorBox = document.getElementById('error');
let session = null;
let stream = null;

/** Calls the API; changes carry the header that proves they come from this UI. */
async function api(path, options = {}) {
  const method = options.method || 'GET';
  const headers = { Accept: options.accept || 'application/json' };
  if (method !== 'GET') headers['X-Autodoc-UI'] = '1';
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (response.status === 401 && !path.startsWith('/api/v1/session')) {
    location.hash = '#/login';
    throw new Error('log in first');
  }
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : response.statusText;
    throw new Error(response.status === 403
      ? `refused: your key (roles ${session ? session.roles.join(', ') : '?'}) may not do this`
      : `${response.status}: ${detail}`);
  }
  return body;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = !message;
}

function can(role) {
  return session !== null && session.roles.includes(role);
}

function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

// ---- login -------------------------------------------------------------------------------

function loginView() {
  const key = el('input', { id: 'key', type: 'password', placeholder: 'API key', autocomplete: 'off', size: 40 });
  const form = el('form', { class: 'inline', id: 'login-form' }, key, el('button', { id: 'login', type: 'submit' }, 'Log in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      session = await api('/api/v1/session', { method: 'POST', body: { key: key.value } });
      showSession();
      location.hash = '#/jobs';
    } catch (err) {
      showError(err.message);
    }
  });
  return el('section', {}, el('h1', {}, 'Log in'), el('p', { class: 'muted' }, 'With an API key; it is kept in a secure cookie for this site only.'), form);
}

function showSession() {
  document.getElementById('who').textContent = session ? `${session.name} (${session.roles.join(', ')})` : '';
  document.getElementById('logout').hidden = !session;
  document.getElementById('nav-submit').hidden = !can('submitter');
}

document.getElementById('logout').addEventListener('click', async () => {
  await api('/api/v1/session', { method: 'DELETE' });
  session = null;
  showSession();
  location.hash = '#/login';
});

// ---- jobs --------------------------------------------------------------------------------

async function jobsView(params) {
  const status = el('select', { id: 'status-filter' },
    ['', 'QUEUED', 'PLANNING', 'RUNNING', 'FINALIZING', 'COMPLETED', 'FAILED', 'CANCELLED']
      .map((s) => el('option', { value: s, ...(params.get('status') === s ? { selected: '' } : {}) }, s || 'any status')));
  const repository = el('input', { id: 'repository-filter', placeholder: 'repository id', value: params.get('repository') || '' });
  const apply = () => {
    const q = new URLSearchParams();
    if (status.value) q.set('status', status.value);
    if (repository.value) q.set('repository', repository.value);
    location.hash = `#/jobs?${q}`;
  };
  status.addEventListener('change', apply);
  repository.addEventListener('change', apply);
  const query = new URLSearchParams({ limit: '50' });
  for (const k of ['status', 'repository']) if (params.get(k)) query.set(k, params.get(k));
  const page = await api(`/api/v1/jobs?${query}`);
  const rows = page.items.map((job) => el('tr', { 'data-job': job.id },
    el('td', {}, el('a', { href: `#/jobs/${job.id}` }, job.id.slice(0, 8))),
    el('td', {}, el('a', { href: `#/repos/${encodeURIComponent(job.repository.id)}` }, job.repository.id)),
    el('td', { class: `status-${job.status}` }, job.status),
    el('td', {}, job.mode || ''),
    el('td', {}, time(job.createdAt)),
    el('td', {}, time(job.finishedAt))));
  return el('section', {}, el('h1', {}, 'Jobs'), el('div', { class: 'filters' }, status, repository),
    el('table', { id: 'jobs' },
      el('thead', {}, el('tr', {}, ['job', 'repository', 'status', 'mode', 'created', 'finished'].map((h) => el('th', {}, h)))),
      el('tbody', {}, rows)));
}

async function jobView(id) {
  const section = el('section', { id: 'job' });
  const draw = async () => {
    const job = await api(`/api/v1/jobs/${id}`);
    section.replaceChildren(...jobParts(job));
    return job;
  };
  const job = await draw();
  if (!['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.status)) {
    // Live: each event redraws the job from the API (at most every half second).
    let pending = false;
    stream = new EventSource(`/api/v1/jobs/${id}/events`);
    const redraw = () => {
      if (pending) return;
      pending = true;
      setTimeout(() => { pending = false; draw().catch((e) => showError(e.message)); }, 500);
    };
    for (const kind of ['step', 'scope', 'job']) stream.addEventListener(kind, redraw);
    stream.addEventListener('job', (e) => {
      if (/"status":"(COMPLETED|FAILED|CANCELLED)"/.test(e.data)) { stream.close(); redraw(); }
    });
  }
  return section;
}

function jobParts(job) {
  const parts = [
    el('h1', {}, 'Job ', el('code', {}, job.id)),
    el('p', {}, 'Repository ', el('a', { href: `#/repos/${encodeURIComponent(job.repository.id)}` }, job.repository.id),
      ` · ${job.branch || 'default branch'} · `, el('span', { id: 'job-status', class: `status-${job.status}` }, job.status),
      job.commitSha ? ` · commit ${job.commitSha.slice(0, 10)}` : '',
      job.traceId ? ` · trace ${job.traceId}` : ''),
  ];
  if (can('submitter') && !['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.status)) {
    parts.push(el('button', { id: 'cancel', onclick: async () => {
      try { await api(`/api/v1/jobs/${job.id}/cancel`, { method: 'POST' }); } catch (e) { showError(e.message); }
    } }, 'Cancel job'));
  }
  if (job.error) parts.push(el('p', { class: 'status-FAILED' }, `${job.error.reason}: ${job.error.message}`));
  parts.push(el('h2', {}, 'Timeline'), gantt(job, (scope) => showScope(job, scope)));
  parts.push(el('div', { id: 'scope-detail', hidden: '' }));
  if (job.plan && job.plan.scopes) {
    parts.push(el('h2', {}, 'Plan'), el('table', { id: 'plan' },
      el('tr', {}, ['scope', 'decision', 'reason'].map((h) => el('th', {}, h))),
      job.plan.scopes.map((s) => el('tr', {}, el('td', {}, s.scope || '.'), el('td', {}, s.action), el('td', {}, s.reason || '')))));
  }
  if (job.quality && job.quality.overall) {
    const q = job.quality.overall;
    parts.push(el('h2', {}, 'Quality'), el('p', { id: 'quality' },
      `${q.pages} pages, mean score ${q.meanScore === null || q.meanScore === undefined ? '-' : q.meanScore.toFixed(2)}, ${q.belowThreshold} below threshold`));
  }
  if (job.index && job.index.pages) {
    // Workers index a job's pages after it: until they have, search finds the older text.
    const i = job.index;
    parts.push(el('h2', {}, 'Search index'), el('p', { id: 'index' }, i.pendingPages
      ? `${i.pages - i.pendingPages} of ${i.pages} pages searchable; ${i.pendingPages} waiting for the index`
      : `all ${i.pages} pages searchable`));
  }
  if (job.pullRequest) {
    const pr = job.pullRequest;
    parts.push(el('h2', {}, 'Pull request'), el('p', { id: 'pull-request' },
      pr.url ? el('a', { href: pr.url, rel: 'noopener noreferrer' }, pr.url) : `branch ${pr.branch}`));
  }
  if (job.callback) {
    const c = job.callback;
    parts.push(el('h2', {}, 'Callback'), el('p', { class: `status-${c.status}` }, `${c.status} → ${c.url}`),
      el('table', { id: 'callback' }, el('tr', {}, ['attempt', 'when', 'answer', 'ms', 'error'].map((h) => el('th', {}, h))),
        (c.attempts || []).map((a) => el('tr', {}, el('td', {}, a.attempt), el('td', {}, time(a.startedAt)),
          el('td', {}, a.statusCode || '-'), el('td', {}, a.latencyMillis), el('td', {}, a.error || '')))));
  }
  return parts;
}

function showScope(job, path) {
  const scope = (job.scopes || []).find((s) => s.path === path);
  const box = document.getElementById('scope-detail');
  if (!scope) return;
  box.hidden = false;
  box.replaceChildren(el('h3', {}, `Scope ${scope.path || '.'}`),
    el('p', {}, el('span', { class: `status-${scope.status}` }, scope.status), ` · attempt ${scope.attempt}`, scope.workerId ? ` · ${scope.workerId}` : ''),
    scope.error ? el('p', { id: 'scope-error' }, el('span', { class: 'reason' }, scope.error.reason), ' ', scope.error.message) : '',
    el('ul', {}, (scope.steps || []).map((s) => el('li', {}, `${s.step}: ${s.outcome}${s.millis !== null && s.millis !== undefined ? ` in ${s.millis} ms` : ''}${s.message ? ` — ${s.message}` : ''}`))));
}

// ---- submit ------------------------------------------------------------------------------

function submitView() {
  const repository = el('input', { id: 'submit-repository', placeholder: 'https://github.com/org/repo or a path', size: 50 });
  const branch = el('input', { id: 'submit-branch', placeholder: 'branch (default)' });
  const form = el('form', { class: 'inline' }, repository, branch, el('button', { id: 'submit-go', type: 'submit' }, 'Submit'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const body = { repository: repository.value };
      if (branch.value) body.branch = branch.value;
      const job = await api('/api/v1/jobs', { method: 'POST', body });
      location.hash = `#/jobs/${job.id}`;
    } catch (err) {
      showError(err.message);
    }
  });
  return el('section', {}, el('h1', {}, 'Submit a job'), form);
}

// ---- repositories ------------------------------------------------------------------------

async function reposView() {
  const repos = await api('/api/v1/repositories');
  return el('section', {}, el('h1', {}, 'Repositories'), el('table', { id: 'repos' },
    el('tr', {}, ['repository', 'url', 'jobs', 'last job'].map((h) => el('th', {}, h))),
    repos.map((r) => el('tr', {}, el('td', {}, el('a', { href: `#/repos/${encodeURIComponent(r.id)}` }, r.id)),
      el('td', {}, r.url), el('td', {}, r.jobs), el('td', { class: `status-${r.lastStatus}` }, r.lastStatus || '')))));
}

async function repoView(id, pagePath) {
  const enc = encodeURIComponent(id);
  const [repo, pages, schedule] = await Promise.all([
    api(`/api/v1/repositories/${enc}`),
    api(`/api/v1/repositories/${enc}/pages`),
    api(`/api/v1/repositories/${enc}/schedule`).catch(() => null),
  ]);
  const list = el('nav', { id: 'pages' }, pages.map((p) =>
    el('a', { href: `#/repos/${enc}/page/${p.path}`, 'data-path': p.path, class: p.indexedCommit ? '' : 'unindexed',
      title: p.indexedCommit ? '' : 'not searchable yet: the index is catching up' }, p.title || p.path)));
  const unindexed = pages.filter((p) => !p.indexedCommit).length;
  const lag = el('p', { id: 'index-lag', class: 'muted' }, unindexed
    ? `${unindexed} of ${pages.length} pages not searchable yet: the index is catching up`
    : `all ${pages.length} pages searchable`);
  const query = el('input', { id: 'search', placeholder: 'search the documentation' });
  const results = el('ol', { id: 'results' });
  const search = el('form', { class: 'inline' }, query, el('button', { id: 'search-go', type: 'submit' }, 'Search'));
  search.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const hits = await api(`/api/v1/repositories/${enc}/search?q=${encodeURIComponent(query.value)}&k=10`);
      results.replaceChildren(...hits.map((h) => el('li', {},
        el('a', { href: `#/repos/${enc}/page/${h.page}` }, h.page), ' ',
        el('span', { class: 'muted' }, `${h.heading || ''} · score ${h.score.toFixed(2)}`),
        el('div', {}, h.snippet))));
    } catch (err) {
      showError(err.message);
    }
  });
  const page = el('article', { id: 'page' }, pagePath ? '' : el('p', { class: 'muted' }, 'Choose a page.'));
  if (pagePath) {
    const entry = pages.find((p) => p.path === pagePath);
    const html = await api(`/api/v1/repositories/${enc}/pages/${pagePath}?format=fragment`, { accept: 'text/html' });
    // Rendered by the server with raw HTML escaped and only safe URLs: placed as it is.
    page.innerHTML = html;
    followable(page, repo.url, enc, pagePath, pages, entry ? entry.commitSha : null);
    if (entry) page.prepend(el('p', { class: 'muted', id: 'page-source' }, `commit ${entry.commitSha ? entry.commitSha.slice(0, 10) : '?'} · `,
      (entry.sources || []).map((s) => el('code', {}, s)).flatMap((c, i) => (i ? [', ', c] : [c]))));
  }
  const side = el('div', {}, el('h2', {}, 'Pages'), list,
    el('h2', {}, 'Schedule'), el('p', { id: 'schedule' }, schedule && schedule.cron ? `${schedule.cron} (${schedule.timeZone}), next ${time(schedule.nextRunAt)}` : 'none'));
  return el('section', {}, el('h1', {}, id), search, lag, results, el('div', { class: 'columns' }, side, page));
}

/**
 * A page's links as the UI can follow them (they are written relative to the page's place in the
 * repository): another page opens here, a source file opens at the page's commit on the
 * repository's host (GitHub or GitLab), an anchor scrolls; a file with no host to show it stays
 * as its name.
 */
function followable(root, repoUrl, enc, pagePath, pages, commit) {
  const base = new URL(pagePath, 'https://repository.invalid/');
  for (const a of root.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue;
    if (href.startsWith('#')) {
      a.addEventListener('click', (e) => {
        e.preventDefault();
        const target = document.getElementById(href.slice(1));
        if (target) target.scrollIntoView();
      });
      continue;
    }
    const target = new URL(href, base);
    const path = decodeURIComponent(target.pathname.slice(1));
    if (pages.some((p) => p.path === path)) {
      a.setAttribute('href', `#/repos/${enc}/page/${path}`);
      continue;
    }
    const web = sourceUrl(repoUrl, commit, path, target.hash);
    if (web) {
      a.setAttribute('href', web);
      a.setAttribute('rel', 'noopener noreferrer');
    } else {
      a.replaceWith(el('code', { class: 'source', title: path }, a.textContent));
    }
  }
}

/** Where the repository's host shows a file at a commit, with its line; null for other hosts. */
function sourceUrl(repoUrl, commit, path, hash) {
  const m = /^https:\/\/(github\.com|gitlab\.com)\/([^/]+\/[^/]+?)(\.git)?\/?$/.exec(repoUrl || '');
  if (!m || !commit) return null;
  const line = /^#L(\d+)/.exec(hash || '');
  const blob = m[1] === 'github.com' ? 'blob' : '-/blob';
  return `https://${m[1]}/${m[2]}/${blob}/${commit}/${path}${line ? `#L${line[1]}` : ''}`;
}

/**
 * Draws every ```mermaid fence of a shown page as SVG, with Mermaid's strict security level; the
 * page must be in the document, where Mermaid can measure its text.
 */
async function drawDiagrams(root) {
  const fences = root.querySelectorAll('#page code.language-mermaid');
  if (!fences.length || !window.mermaid) return;
  const boxes = [];
  for (const code of fences) {
    const box = el('div', { class: 'mermaid' }, code.textContent);
    code.parentElement.replaceWith(box);
    boxes.push(box);
  }
  window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  await window.mermaid.run({ nodes: boxes });
}

// ---- routing -----------------------------------------------------------------------------

async function route() {
  if (stream) { stream.close(); stream = null; }
  showError('');
  const [path, query] = (location.hash.slice(1) || '/jobs').split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] !== 'login' && session === null) {
    try {
      session = await api('/api/v1/session');
      showSession();
    } catch (e) {
      location.hash = '#/login'; // Not logged in: the login, and back here by the hash change.
      return;
    }
  }
  try {
    let node;
    if (parts[0] === 'login') node = loginView();
    else if (parts[0] === 'jobs' && parts[1]) node = await jobView(parts[1]);
    else if (parts[0] === 'repos' && parts[1]) node = await repoView(decodeURIComponent(parts[1]), parts[2] === 'page' ? parts.slice(3).join('/') : null);
    else if (parts[0] === 'repos') node = await reposView();
    else if (parts[0] === 'submit') node = submitView();
    else node = await jobsView(params);
    view.replaceChildren(node);
    await drawDiagrams(view);
  } catch (err) {
    showError(err.message);
  }
}

window.addEventListener('hashchange', route);
route();
