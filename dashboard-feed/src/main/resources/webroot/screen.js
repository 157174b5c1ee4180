// CityOps command screen: draws San Francisco's districts, then keeps a live picture of incidents
// from /ws/screen (snapshot, then ordered deltas; reconnects resume from the last delta id).
'use strict';

const DEPTS = ['police', 'fire', 'medical', 'traffic'];
const CLOSED = new Set(['CANCELLED', 'CLOSED', 'MERGED']);
const MAP_WINDOW_MS = 3 * 3600 * 1000; // markers for reports in the last 3 city hours
const TICKER_SIZE = 60;
const CITY_TIME_ZONE = 'America/Los_Angeles'; // the city on the map; times are shown in its clock

const MAX_ALERTS = 12;
const state = { alerts: [], incidents: new Map(), lastId: null, cityTime: 0, token: null, retry: 0, socket: null, lastMessage: 0 };
const svgNs = 'http://www.w3.org/2000/svg';
const map = document.getElementById('map');
let project = null;
const districtShapes = new Map();
const markerLayer = document.createElementNS(svgNs, 'g');
const pulseLayer = document.createElementNS(svgNs, 'g');

function token() {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) { sessionStorage.setItem('cityops-token', fromUrl); return fromUrl; }
  return sessionStorage.getItem('cityops-token');
}

async function drawDistricts() {
  const geo = await (await fetch('geo/districts.geojson')).json();
  let minLon = 180, maxLon = -180, minLat = 90, maxLat = -90;
  const rings = f => f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (const f of geo.features) for (const poly of rings(f)) for (const [lon, lat] of poly[0]) {
    minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon); minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
  }
  const k = 1000 / (maxLon - minLon), cos = Math.cos((minLat + maxLat) / 2 * Math.PI / 180);
  project = (lon, lat) => [(lon - minLon) * k * cos, (maxLat - lat) * k];
  const [w, h] = project(maxLon, minLat);
  map.setAttribute('viewBox', `-10 -10 ${w + 20} ${h + 20}`);
  const layer = document.createElementNS(svgNs, 'g');
  const labels = document.createElementNS(svgNs, 'g');
  for (const f of geo.features) {
    const name = f.properties.nhood;
    let d = '', sx = 0, sy = 0, n = 0;
    for (const poly of rings(f)) for (const ring of poly) {
      d += ring.map(([lon, lat], i) => { const [x, y] = project(lon, lat); if (ring === poly[0]) { sx += x; sy += y; n++; } return (i ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1); }).join('') + 'Z';
    }
    const path = document.createElementNS(svgNs, 'path');
    path.setAttribute('d', d); path.setAttribute('class', 'district'); path.dataset.name = name;
    const title = document.createElementNS(svgNs, 'title'); title.textContent = name; path.appendChild(title);
    layer.appendChild(path); districtShapes.set(name, path);
    const label = document.createElementNS(svgNs, 'text');
    label.setAttribute('x', (sx / n).toFixed(1)); label.setAttribute('y', (sy / n).toFixed(1));
    label.setAttribute('class', 'district-label'); label.textContent = name;
    labels.appendChild(label);
  }
  map.append(layer, labels, markerLayer, pulseLayer);
}

function connect() {
  const url = new URL('ws/screen', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', state.token);
  if (state.lastId) url.searchParams.set('lastId', state.lastId);
  const socket = new WebSocket(url);
  state.socket = socket;
  socket.onopen = () => { state.retry = 0; setStatus(true, 'live'); };
  socket.onmessage = event => { state.lastMessage = Date.now(); handle(JSON.parse(event.data)); };
  socket.onclose = event => {
    setStatus(false, event.code === 1006 && state.retry > 2 ? 'unreachable — retrying' : 'reconnecting…');
    const delay = Math.min(15000, 500 * 2 ** state.retry++);
    setTimeout(connect, delay);
  };
}

function handle(message) {
  switch (message.type) {
    case 'snapshot':
      state.incidents.clear();
      for (const incident of message.incidents) state.incidents.set(incident.incidentId, incident);
      state.lastId = message.lastId;
      state.alerts = [...(message.escalations || []).map(asAlert), ...(message.alerts || [])]
        .sort((a, b) => Date.parse(b.firedAt) - Date.parse(a.firedAt)).slice(0, MAX_ALERTS);
      document.getElementById('role').textContent = message.role;
      renderAll();
      renderAlerts();
      break;
    case 'escalation':
      state.alerts.unshift(asAlert(message.escalation));
      state.alerts = state.alerts.slice(0, MAX_ALERTS);
      renderAlerts();
      state.lastId = message.id;
      break;
    case 'alert':
      if (!state.alerts.some(a => a.alertId === message.alert.alertId)) {
        state.alerts.unshift(message.alert);
        state.alerts = state.alerts.slice(0, MAX_ALERTS);
        renderAlerts();
      }
      state.lastId = message.id;
      break;
    case 'resume':
      document.getElementById('role').textContent = message.role;
      break;
    case 'delta':
      apply(message.incident, true);
      state.lastId = message.id;
      break;
    case 'kpis':
      renderResponseTimes(message.rows);
      break;
    case 'feeds':
      renderFeeds(message.feeds);
      break;
    case 'heartbeat':
      break;
  }
}

function apply(incident, animate) {
  const current = state.incidents.get(incident.incidentId);
  if (current && current.version >= incident.version) return; // deltas are idempotent
  state.incidents.set(incident.incidentId, incident);
  if (animate && !current) pulse(incident);
  scheduleRender();
}

let renderPending = false;
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => { renderPending = false; renderAll(); });
}

function renderAll() {
  let cityTime = 0;
  for (const i of state.incidents.values()) cityTime = Math.max(cityTime, Date.parse(i.lastReportAt));
  state.cityTime = cityTime;
  renderClock();
  renderMarkers();
  renderKpis();
  if (detailId) renderDetail();
  renderTicker();
}

function renderMarkers() {
  if (!project) return;
  const frag = document.createDocumentFragment();
  const perDistrict = new Map();
  const shown = [...state.incidents.values()]
    .filter(i => i.status !== 'MERGED' && state.cityTime - Date.parse(i.lastReportAt) <= MAP_WINDOW_MS)
    .sort((a, b) => a.severity - b.severity);
  for (const i of shown) {
    const [x, y] = project(i.location.lon, i.location.lat);
    const c = document.createElementNS(svgNs, 'circle');
    c.setAttribute('cx', x.toFixed(1)); c.setAttribute('cy', y.toFixed(1)); c.setAttribute('r', 2 + i.severity * 1.4);
    const dept = i.departments[0] || 'unknown';
    c.setAttribute('class', `marker ${dept}${i.departments.length > 1 ? ' multi' : ''}${CLOSED.has(i.status) ? ' cancelled' : ''}`);
    c.dataset.id = i.incidentId;
    c.addEventListener('mouseenter', e => showHover(e, i));
    c.addEventListener('mouseleave', () => { document.getElementById('hover').hidden = true; });
    c.addEventListener('click', () => showDetail(i.incidentId));
    frag.appendChild(c);
    if (!CLOSED.has(i.status) && i.location.district) perDistrict.set(i.location.district, (perDistrict.get(i.location.district) || 0) + 1);
  }
  markerLayer.replaceChildren(frag);
  for (const [name, path] of districtShapes) {
    const n = perDistrict.get(name) || 0;
    path.setAttribute('class', 'district' + (n >= 6 ? ' hot3' : n >= 3 ? ' hot2' : n >= 1 ? ' hot1' : ''));
  }
}

function pulse(incident) {
  if (!project) return;
  const [x, y] = project(incident.location.lon, incident.location.lat);
  const ring = document.createElementNS(svgNs, 'circle');
  ring.setAttribute('cx', x); ring.setAttribute('cy', y); ring.setAttribute('r', 4);
  ring.setAttribute('class', 'pulse');
  ring.setAttribute('stroke', getComputedStyle(document.documentElement).getPropertyValue('--' + (incident.departments[0] || 'unknown')));
  pulseLayer.appendChild(ring);
  setTimeout(() => ring.remove(), 2500);
}

function showHover(event, i) {
  const hover = document.getElementById('hover');
  hover.innerHTML = '';
  const title = document.createElement('b'); title.textContent = i.title;
  const meta = document.createElement('div');
  meta.textContent = `${i.incidentId} · ${i.status} · severity ${i.severity} · ${i.departments.join(', ')}`;
  const where = document.createElement('div'); where.className = 'muted';
  where.textContent = `${i.location.district || 'outside mapped districts'} · ${fmtTime(i.lastReportAt)}`;
  const tasks = document.createElement('div'); tasks.className = 'muted';
  tasks.textContent = (i.tasks || []).map(t => `${t.department}${t.lead ? ' (lead)' : ''}: ${t.status.toLowerCase()}`).join(' · ');
  hover.append(title, meta, where, tasks);
  const box = map.getBoundingClientRect();
  hover.style.left = (event.clientX - box.left + 20) + 'px';
  hover.style.top = (event.clientY - box.top + 10) + 'px';
  hover.hidden = false;
}

// The incident detail panel: what happened, in order — reports, orders, each department's phases,
// deadlines and closing — from the incident the screen already holds, kept current as it changes.
let detailId = null;
const PHASES = [['orderedAt', 'ordered'], ['acknowledgedAt', 'acknowledged'], ['enRouteAt', 'en route'],
  ['onSceneAt', 'on scene'], ['resolvedAt', 'resolved']];

function showDetail(incidentId) {
  detailId = incidentId;
  renderDetail();
}

function renderDetail() {
  const panel = document.getElementById('detail');
  const i = state.incidents.get(detailId);
  if (!i) { panel.hidden = true; return; }
  const body = document.getElementById('detail-body');
  const title = document.createElement('h3'); title.textContent = i.title;
  const meta = document.createElement('div'); meta.className = 'muted';
  meta.textContent = `${i.incidentId} · v${i.version} · ${i.status.toLowerCase()} · severity ${i.severity} · ${i.location.district || '—'}`;
  const events = [];
  for (const r of i.reports || []) {
    events.push([r.reportedAt, `${r.feed} report: ${(r.originalCategory || r.category || '').toLowerCase()}`]);
  }
  for (const t of i.tasks || []) {
    for (const [field, label] of PHASES) {
      if (t[field]) events.push([t[field], `${t.department}${t.lead ? ' (lead)' : ''} ${label}`]);
    }
    if (t.dueAt && t.status !== 'RESOLVED') events.push([t.dueAt, `${t.department} due: ${t.duePhase || 'next phase'}`]);
  }
  if (i.closedAt) events.push([i.closedAt, 'closed']);
  if (i.status === 'CANCELLED' || i.status === 'MERGED') {
    events.push([i.updatedAt, i.status === 'MERGED' ? `merged into ${i.mergedInto}` : 'cancelled']);
  }
  for (const l of i.links || []) events.push([l.at || i.updatedAt, `${(l.kind || '').toLowerCase()} ${l.incidentId || ''}`]);
  events.sort((a, b) => Date.parse(a[0]) - Date.parse(b[0]));
  const timeline = document.createElement('ol'); timeline.className = 'timeline';
  for (const [at, text] of events) {
    const li = document.createElement('li');
    const time = document.createElement('time'); time.textContent = fmtTime(at);
    const what = document.createElement('span'); what.textContent = text;
    li.append(time, what);
    timeline.append(li);
  }
  body.replaceChildren(title, meta, timeline);
  panel.dataset.id = i.incidentId;
  panel.hidden = false;
}

document.getElementById('detail-close').addEventListener('click', () => {
  detailId = null;
  document.getElementById('detail').hidden = true;
});

function renderKpis() {
  let open = 0, severe = 0, hour = 0, cancelled = 0;
  const perDept = Object.fromEntries(DEPTS.map(d => [d, 0]));
  // the last city hour in 5-minute buckets, per department: new incidents (trend sparklines)
  const trend = Object.fromEntries(DEPTS.map(d => [d, new Array(TREND_BUCKETS).fill(0)]));
  for (const i of state.incidents.values()) {
    const age = state.cityTime - Date.parse(i.firstReportAt);
    if (age >= 0 && age < TREND_BUCKETS * TREND_BUCKET_MS) {
      const bucket = TREND_BUCKETS - 1 - Math.floor(age / TREND_BUCKET_MS);
      for (const d of i.departments) if (d in trend) trend[d][bucket]++;
    }
    if (CLOSED.has(i.status)) { if (i.status === 'CANCELLED') cancelled++; continue; }
    open++;
    if (i.severity >= 4) severe++;
    if (state.cityTime - Date.parse(i.firstReportAt) <= 3600 * 1000) hour++;
    for (const d of i.departments) if (d in perDept) perDept[d]++;
  }
  setText('kpi-open', open); setText('kpi-severe', severe); setText('kpi-hour', hour); setText('kpi-cancelled', cancelled);
  const depts = document.getElementById('depts');
  depts.replaceChildren(...DEPTS.map(d => {
    const el = document.createElement('div'); el.className = 'dept ' + d; el.dataset.dept = d;
    const label = document.createElement('label'); label.textContent = d;
    const value = document.createElement('b'); value.textContent = perDept[d];
    el.append(label, value, sparkline(trend[d]));
    return el;
  }));
}

const TREND_BUCKETS = 12;
const TREND_BUCKET_MS = 5 * 60 * 1000;

/** A small line of counts, oldest left; its title says what it is. */
function sparkline(counts) {
  const w = 64, h = 16, max = Math.max(1, ...counts);
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('class', 'spark'); svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('width', w); svg.setAttribute('height', h);
  const line = document.createElementNS(svgNs, 'polyline');
  line.setAttribute('points', counts.map((c, k) =>
    `${(k * w / (counts.length - 1)).toFixed(1)},${(h - 1 - c * (h - 2) / max).toFixed(1)}`).join(' '));
  const title = document.createElementNS(svgNs, 'title');
  title.textContent = `new incidents per 5 minutes, last city hour: ${counts.join(', ')}`;
  svg.append(title, line);
  return svg;
}

function renderTicker() {
  const latest = [...state.incidents.values()]
    .sort((a, b) => Date.parse(b.lastReportAt) - Date.parse(a.lastReportAt) || b.incidentId.localeCompare(a.incidentId))
    .slice(0, TICKER_SIZE);
  const ticker = document.getElementById('ticker');
  const existing = new Map([...ticker.children].map(li => [li.dataset.key, li]));
  ticker.replaceChildren(...latest.map(i => {
    const key = i.incidentId + '@' + i.version;
    if (existing.has(key)) return existing.get(key);
    const li = document.createElement('li'); li.dataset.key = key; li.dataset.id = i.incidentId;
    li.addEventListener('click', () => showDetail(i.incidentId));
    if (CLOSED.has(i.status)) li.classList.add('cancelled');
    const time = document.createElement('time'); time.textContent = fmtTime(i.lastReportAt);
    const text = document.createElement('div');
    const title = document.createElement('span'); title.className = 'title'; title.textContent = i.title;
    const where = document.createElement('span'); where.className = 'where';
    const merged = i.status === 'MERGED' ? ` into ${i.mergedInto}` : '';
    const reports = i.reports && i.reports.length > 1 ? ` · ${i.reports.length} reports` : '';
    where.textContent = `${i.departments.join(' · ')} · ${i.location.district || '—'} · ${i.status.toLowerCase()}${merged}${reports}`;
    text.append(title, where);
    const sev = document.createElement('span'); sev.className = 'sev s' + i.severity; sev.textContent = i.severity;
    li.append(time, text, sev);
    return li;
  }));
  setText('ticker-count', `(${state.incidents.size} incidents)`);
}

/** An escalation shown in the alerts panel: a missed deadline, to whom it went. */
function asAlert(e) {
  return { alertId: e.escalationId, firedAt: e.at, message: e.message, severity: e.severity, escalation: true,
    ruleId: 'escalation', ruleVersion: '', department: e.department, evidenceEventIds: [], level: e.level };
}

function renderAlerts() {
  const list = document.getElementById('alerts');
  if (!state.alerts.length) return;
  list.replaceChildren(...state.alerts.map(a => {
    const li = document.createElement('li'); li.dataset.alert = a.alertId;
    if (a.escalation) li.classList.add('escalation');
    const time = document.createElement('time'); time.textContent = fmtTime(a.firedAt);
    const text = document.createElement('div');
    const message = document.createElement('span'); message.textContent = a.message;
    const rule = document.createElement('span'); rule.className = 'rule';
    rule.textContent = a.escalation ? `escalation → ${a.level.toLowerCase().replace(/_/g, ' ')}`
      : `${a.ruleId} v${a.ruleVersion}${a.department ? ' → ' + a.department : ''} · ${a.evidenceEventIds.length} reports`;
    text.append(message, rule);
    const sev = document.createElement('span'); sev.className = 'sev s' + a.severity; sev.textContent = a.severity;
    li.append(time, text, sev);
    return li;
  }));
}

function renderClock() {
  setText('city-clock', state.cityTime ? new Date(state.cityTime).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short', timeZone: CITY_TIME_ZONE }) : '—');
}

/** Seconds as "45 s", "7:05" or "2 h 10". */
function fmtDuration(seconds, count) {
  if (!count) return '–';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor(seconds % 3600 / 60)).padStart(2, '0')}`;
}

function fmtRate(rate) { return rate == null ? '–' : `${Math.round(rate * 100)}%`; }

/** The newest day's KPIs: the city first, then each department (see docs/lifecycle.md). */
function renderResponseTimes(rows) {
  const body = document.querySelector('#kpis tbody');
  if (!rows.length) return;
  setText('kpi-day', rows[0].day ? `· ${rows[0].day}` : '');
  body.replaceChildren(...rows.map(r => {
    const tr = document.createElement('tr');
    tr.dataset.group = r.group;
    const cells = [
      r.department || 'City',
      r.opened,
      r.closed,
      fmtDuration(r.acknowledge.median, r.acknowledge.count),
      `${fmtDuration(r.onScene.median, r.onScene.count)} · ${fmtDuration(r.onScene.p90, r.onScene.count)}`,
      r.breaches,
      fmtRate(r.onTimeRate),
    ];
    cells.forEach((value, i) => {
      const td = document.createElement(i === 0 ? 'th' : 'td');
      td.textContent = value;
      if (i === 0 && r.department) td.className = 'dept-' + r.department;
      tr.append(td);
    });
    return tr;
  }));
}

// A feed is red when it went silent (no record for 10 minutes of wall-clock time: a department's
// system may be down) or is rejecting records (more rejections since the last update, or one in the
// last 5 minutes).
const FEED_SILENT_MS = 10 * 60 * 1000;
const FEED_REJECTING_MS = 5 * 60 * 1000;
const feedRejected = new Map();

function renderFeeds(feeds) {
  const list = document.getElementById('feeds');
  if (!feeds.length) return;
  const now = Date.now();
  list.replaceChildren(...feeds.map(f => {
    const before = feedRejected.get(f.feed);
    feedRejected.set(f.feed, f.rejected);
    const silent = !f.lastReceivedAt || now - Date.parse(f.lastReceivedAt) > FEED_SILENT_MS;
    const rejecting = (before !== undefined && f.rejected > before)
      || (f.lastRejectedAt && now - Date.parse(f.lastRejectedAt) < FEED_REJECTING_MS);
    const status = silent ? 'silent' : rejecting ? 'rejecting' : 'ok';
    const li = document.createElement('li');
    li.className = 'feed ' + status;
    li.dataset.feed = f.feed;
    li.title = rejecting && f.lastRejectReason ? 'last rejected: ' + f.lastRejectReason : '';
    const name = document.createElement('span'); name.className = 'name'; name.textContent = f.feed;
    const counts = document.createElement('span'); counts.className = 'counts';
    counts.textContent = `${f.accepted.toLocaleString()} ok · ${f.rejected.toLocaleString()} rejected`;
    const label = document.createElement('span'); label.className = 'state'; label.textContent = status;
    li.append(name, counts, label);
    return li;
  }));
}

function fmtTime(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: CITY_TIME_ZONE });
}

function setText(id, value) { document.getElementById(id).textContent = value; }

function setStatus(up, text) {
  document.getElementById('conn-dot').className = 'dot ' + (up ? 'up' : 'down');
  setText('conn-text', text);
}

setInterval(() => {
  setText('wall-clock', new Date().toLocaleTimeString());
  // No message (not even a heartbeat) for 45 s: the connection is dead even if the socket says otherwise.
  if (state.socket && state.socket.readyState === WebSocket.OPEN && Date.now() - state.lastMessage > 45000) state.socket.close();
}, 1000);

document.getElementById('login-form').addEventListener('submit', event => {
  event.preventDefault();
  sessionStorage.setItem('cityops-token', document.getElementById('token-input').value.trim());
  location.reload();
});

(async () => {
  state.token = token();
  if (!state.token) { document.getElementById('login').hidden = false; return; }
  await drawDistricts();
  state.lastMessage = Date.now();
  connect();
})();
