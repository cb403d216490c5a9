/**
 * The status page: one self-contained HTML document (inline CSS and JS, nothing fetched but its
 * data at `dataPath`). Data is inserted with textContent only, never as HTML.
 */
export function statusPageHtml(dataPath: string): string {
  return PAGE.replace('DATA_PATH', escapeAttribute(dataPath));
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="promlite-status-data" content="DATA_PATH">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>promlite status</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
  h1 { font-size: 1.4rem; margin-bottom: 0.2rem; }
  .meta { color: GrayText; font-size: 0.85rem; margin-bottom: 1.5rem; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; }
  th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid color-mix(in srgb, CanvasText 15%, transparent); }
  td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
  .badge { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 0.8rem; font-size: 0.8rem; font-weight: 600; }
  .up { background: #1b7f3b; color: white; }
  .degraded { background: #b7791f; color: white; }
  .down { background: #c53030; color: white; }
  .error { color: #c53030; }
</style>
</head>
<body>
<h1>promlite status <span id="overall" class="badge"></span></h1>
<div class="meta">Updated <span id="updated">never</span> · refreshes every 3 s</div>
<h2>Health checks</h2>
<table id="health"><thead><tr><th>Component</th><th>Status</th><th>Details</th><th class="number">Duration</th></tr></thead><tbody></tbody></table>
<h2>Background jobs</h2>
<table id="jobs"><thead><tr><th>Kind</th><th class="number">Runs</th><th class="number">Failures</th><th class="number">p95 duration</th><th class="number">Since last success</th></tr></thead><tbody></tbody></table>
<p id="error" class="error"></p>
<script>
  const seconds = (value) => value === null ? '—' : value < 1 ? (value * 1000).toFixed(0) + ' ms' : value < 120 ? value.toFixed(1) + ' s' : (value / 60).toFixed(1) + ' min';
  function row(cells) {
    const tr = document.createElement('tr');
    for (const [text, className] of cells) {
      const td = document.createElement('td');
      if (className) td.className = className;
      td.textContent = text;
      tr.appendChild(td);
    }
    return tr;
  }
  function badge(status) {
    const span = document.createElement('span');
    span.className = 'badge ' + status;
    span.textContent = status;
    return span;
  }
  async function refresh() {
    try {
      const dataPath = document.querySelector('meta[name="promlite-status-data"]').content;
      const response = await fetch(dataPath, { cache: 'no-store' });
      if (!response.ok) throw new Error(dataPath + ' answered ' + response.status);
      const data = await response.json();
      const healthBody = document.querySelector('#health tbody');
      healthBody.replaceChildren();
      const overall = document.getElementById('overall');
      overall.className = 'badge ' + (data.health ? data.health.status : '');
      overall.textContent = data.health ? data.health.status : '';
      for (const check of (data.health ? data.health.checks : [])) {
        const tr = row([[check.component], [''], [check.details || ''], [check.durationMs.toFixed(1) + ' ms', 'number']]);
        tr.dataset.component = check.component;
        tr.dataset.status = check.status;
        tr.children[1].appendChild(badge(check.status));
        healthBody.appendChild(tr);
      }
      const jobsBody = document.querySelector('#jobs tbody');
      jobsBody.replaceChildren();
      for (const job of data.jobs) {
        const tr = row([[job.kind], [String(job.runs), 'number'], [String(job.failures), 'number'], [seconds(job.p95Seconds), 'number'], [seconds(job.secondsSinceSuccess), 'number']]);
        tr.dataset.kind = job.kind;
        jobsBody.appendChild(tr);
      }
      document.getElementById('updated').textContent = new Date(data.generatedAt).toLocaleTimeString();
      document.getElementById('error').textContent = '';
    } catch (error) {
      document.getElementById('error').textContent = 'Could not refresh: ' + error.message;
    }
  }
  refresh();
  setInterval(refresh, 3000);
</script>
</body>
</html>
`;
