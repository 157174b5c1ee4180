// CityOps command screen: draws San Francisco's districts, then keeps a live picture of incidents
// from /ws/screen (snapshot, then ordered deltas; reconnects resume from the last delta id).
'use strict';

const DEPTS = ['police', 'fire', 'medical', 'traffic'];
const CLOSED = new Set(['CANCELLED', 'CLOSED', 'MERGED']);
// Markers for reports in the last N city hours (3 unless the page is opened with ?hours=1..24, or
// changed in the legend).
const mapWindow = { hours: Math.min(24, Math.max(1, Number(new URLSearchParams(location.search).get('hours')) || 3)) };
const TICKER_SIZE = 60;
const CITY_TIME_ZONE = 'America/Los_Angeles'; // the city on the map; times are shown in its clock

const MAX_ALERTS = 12;
const state = { warnings: new Map(), kpiRows: [], perDept: null, trend: null, alerts: [], incidents: new Map(), lastId: null, cityTime: 0, token: null, retry: 0, socket: null, lastMessage: 0 };
const svgNs = 'http://www.w3.org/2000/svg';
const map = document.getElementById('map');
let project = null;
const districtShapes = new Map();
const warningLayer = document.createElementNS(svgNs, 'g');
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
  view.box = [-10, -10, w + 20, h + 20];
  map.setAttribute('viewBox', view.box.join(' '));
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
  map.append(layer, warningLayer, labels, markerLayer, pulseLayer);
}

function connect() {
  const url = new URL('ws/screen', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', state.token);
  if (state.lastId) url.searchParams.set('lastId', state.lastId);
  const socket = new WebSocket(url);
  state.socket = socket;
  socket.onopen = () => { state.retry = 0; setStatus(false, 'connected, waiting for the city…'); };
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
      setView(message.role, message.department);
      setStatus(true, 'live');
      state.warnings.clear();
      for (const w of message.warnings || []) state.warnings.set(w.warningId, w);
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
      setView(message.role, message.department);
      setStatus(true, 'live');
      break;
    case 'delta':
      apply(message.incident, true);
      state.lastId = message.id;
      break;
    case 'correction': // put back to what Kafka committed after a job restart: may go down
      state.incidents.delete(message.incident.incidentId);
      apply(message.incident, false);
      state.lastId = message.id;
      break;
    case 'withdrawn': // shown by a job run that failed before committing it
      state.incidents.delete(message.incidentId);
      if (message.incidentId === detailId) scheduleDetailRefresh();
      scheduleRender();
      state.lastId = message.id;
      break;
    case 'kpis':
      renderResponseTimes(message.rows);
      break;
    case 'feeds':
      renderFeeds(message.feeds);
      break;
    case 'warning':
      applyWarning(message.warning);
      state.lastId = message.id;
      break;
    case 'heartbeat':
      break;
  }
}

function apply(incident, animate) {
  const current = state.incidents.get(incident.incidentId);
  if (current && current.version >= incident.version) return; // deltas are idempotent
  state.incidents.set(incident.incidentId, incident);
  if (state.view === 'operator' && (incident.tasks || []).some(t => t.department === queue.department)) scheduleQueueRefresh();
  if (incident.incidentId === detailId) scheduleDetailRefresh();
  if (animate && !current && !review.on) pulse(incident);
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
  for (const i of shownIncidents().values()) cityTime = Math.max(cityTime, Date.parse(i.lastReportAt));
  if (review.on) cityTime = review.at; // the moment under review
  state.cityTime = cityTime;
  renderClock();
  renderMarkers();
  renderWarnings();
  renderKpis();
  if (detailId) renderDetail();
  renderTicker();
}

// Clustering: where older, routine incidents crowd one spot, they are drawn as one numbered bubble
// (click it to zoom in; a red ring when it holds a severity-4 incident). Incidents that need eyes
// stay single: severity 5, new in the last
// 10 city minutes, closed ones (faded), and the one in the detail panel.
const CLUSTER_CELL_PX = 30;    // on screen, whatever the window's size and the map's zoom
const CLUSTER_MIN = 3;         // fewer than this in a cell are drawn one by one
const NEVER_CLUSTER_NEW_MS = 10 * 60 * 1000;
const view = { box: null, zoom: 1 };

function clusterable(i) {
  return i.severity < 5 && !CLOSED.has(i.status) && i.incidentId !== detailId
    && state.cityTime - Date.parse(i.lastReportAt) > NEVER_CLUSTER_NEW_MS;
}

function renderMarkers() {
  if (!project) return;
  const frag = document.createDocumentFragment();
  const perDistrict = new Map();
  const shown = [...shownIncidents().values()]
    .filter(i => i.status !== 'MERGED' && state.cityTime - Date.parse(i.lastReportAt) <= mapWindow.hours * 3600 * 1000)
    .sort((a, b) => a.severity - b.severity);
  const unitsPerPixel = view.box[2] / view.zoom / Math.max(1, map.clientWidth);
  const cell = CLUSTER_CELL_PX * unitsPerPixel;
  const cells = new Map();
  const singles = [];
  for (const i of shown) {
    const [x, y] = project(i.location.lon, i.location.lat);
    if (!CLOSED.has(i.status) && i.location.district) perDistrict.set(i.location.district, (perDistrict.get(i.location.district) || 0) + 1);
    if (!clusterable(i)) { singles.push([i, x, y]); continue; }
    const key = Math.floor(x / cell) + ':' + Math.floor(y / cell);
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key).push([i, x, y]);
  }
  for (const members of cells.values()) {
    if (members.length < CLUSTER_MIN) singles.push(...members); else frag.appendChild(clusterBubble(members));
  }
  singles.sort((a, b) => a[0].severity - b[0].severity);
  for (const [i, x, y] of singles) {
    const c = document.createElementNS(svgNs, 'circle');
    c.setAttribute('cx', x.toFixed(1)); c.setAttribute('cy', y.toFixed(1)); c.setAttribute('r', (2 + i.severity * 1.4) / Math.sqrt(view.zoom));
    const dept = i.departments[0] || 'unknown';
    c.setAttribute('class', `marker ${dept}${i.departments.length > 1 ? ' multi' : ''}${CLOSED.has(i.status) ? ' cancelled' : ''}`);
    c.dataset.id = i.incidentId;
    c.addEventListener('mouseenter', e => showHover(e, i));
    c.addEventListener('mouseleave', () => { document.getElementById('hover').hidden = true; });
    c.addEventListener('click', () => showDetail(i.incidentId));
    frag.appendChild(c);
  }
  markerLayer.replaceChildren(frag);
  map.dataset.shown = shown.length; // what the map accounts for: single markers + clustered ones
  // the heat layer: open incidents per district, relative to the busiest district on the map
  const busiest = Math.max(1, ...perDistrict.values());
  for (const [name, path] of districtShapes) {
    const share = (perDistrict.get(name) || 0) / busiest;
    path.setAttribute('class', 'district' + (share >= 0.67 ? ' hot3' : share >= 0.34 ? ' hot2' : share > 0 ? ' hot1' : ''));
    path.querySelector('title').textContent = `${name}: ${perDistrict.get(name) || 0} open incidents on the map`;
  }
}

/** One bubble for crowded incidents: their count, the colour of the most common department. */
function clusterBubble(members) {
  const g = document.createElementNS(svgNs, 'g');
  const x = members.reduce((s, m) => s + m[1], 0) / members.length;
  const y = members.reduce((s, m) => s + m[2], 0) / members.length;
  const count = new Map();
  for (const [i] of members) { const d = i.departments[0] || 'unknown'; count.set(d, (count.get(d) || 0) + 1); }
  const dept = [...count].sort((a, b) => b[1] - a[1])[0][0];
  g.setAttribute('class', 'cluster ' + dept + (members.some(([i]) => i.severity >= 4) ? ' severe' : ''));
  g.dataset.count = members.length;
  g.dataset.ids = members.map(m => m[0].incidentId).join(' ');
  const r = (7 + Math.min(8, Math.sqrt(members.length) * 2)) / Math.sqrt(view.zoom);
  const c = document.createElementNS(svgNs, 'circle');
  c.setAttribute('cx', x.toFixed(1)); c.setAttribute('cy', y.toFixed(1)); c.setAttribute('r', r.toFixed(1));
  const t = document.createElementNS(svgNs, 'text');
  t.setAttribute('x', x.toFixed(1)); t.setAttribute('y', (y + r * 0.35).toFixed(1));
  t.setAttribute('font-size', (r * 1.05).toFixed(1));
  t.textContent = members.length;
  const title = document.createElementNS(svgNs, 'title');
  title.textContent = `${members.length} incidents here (click to zoom in)`;
  g.append(title, c, t);
  g.addEventListener('click', () => zoomTo(x, y, view.zoom * 3));
  return g;
}

function zoomTo(x, y, zoom) {
  view.zoom = Math.min(27, zoom);
  const [bx, by, bw, bh] = view.box;
  const w = bw / view.zoom, h = bh / view.zoom;
  map.setAttribute('viewBox', view.zoom === 1 ? view.box.join(' ')
    : `${(x - w / 2).toFixed(1)} ${(y - h / 2).toFixed(1)} ${w.toFixed(1)} ${h.toFixed(1)}`);
  document.getElementById('zoom-out').hidden = view.zoom === 1;
  map.classList.toggle('zoomed', view.zoom > 1);
  map.style.setProperty('--label-size', (7 / Math.sqrt(view.zoom)).toFixed(2) + 'px');
  renderMarkers();
}

document.getElementById('zoom-out').addEventListener('click', () => zoomTo(0, 0, 1));

const windowSelect = document.getElementById('map-hours');
for (const h of [1, 3, 6, 12, 24]) {
  const o = document.createElement('option'); o.value = h; o.textContent = h === 1 ? 'last hour' : `last ${h} hours`;
  windowSelect.append(o);
}
if (![...windowSelect.options].some(o => Number(o.value) === mapWindow.hours)) {
  windowSelect.append(Object.assign(document.createElement('option'), { value: mapWindow.hours, textContent: `last ${mapWindow.hours} hours` }));
}
windowSelect.value = mapWindow.hours;
window.addEventListener('resize', () => scheduleRender());
windowSelect.addEventListener('change', () => { mapWindow.hours = Number(windowSelect.value); renderMarkers(); });

// ---- public warnings (CAP): their areas over the districts they touch, and a banner -------------
// Only real warnings reach a screen (never a test or exercise); a Cancel removes one; one past its
// expiry (in city time) or touching no district of the city is not shown.

function applyWarning(w) {
  const current = state.warnings.get(w.warningId);
  if (current && Date.parse(current.sent) > Date.parse(w.sent)) return; // the later message wins
  if (w.state === 'CANCELLED') state.warnings.delete(w.warningId); else state.warnings.set(w.warningId, w);
  renderWarnings();
}

function shownWarnings() {
  return [...state.warnings.values()].filter(w => w.state === 'ACTIVE' && w.affectedDistricts.length
    && !(w.expires && state.cityTime && Date.parse(w.expires) < state.cityTime)
    && !(review.on && Date.parse(w.sent) > review.at)) // not yet issued at the moment under review
    .sort((a, b) => b.severity - a.severity);
}

function renderWarnings() {
  if (!project) return;
  const shown = shownWarnings();
  const frag = document.createDocumentFragment();
  const warned = new Set();
  for (const w of shown) {
    w.affectedDistricts.forEach(d => warned.add(d));
    for (const area of w.areas) {
      for (const polygon of area.polygons) {
        const path = document.createElementNS(svgNs, 'path');
        path.setAttribute('d', polygon.trim().split(/\s+/).map((pair, k) => {
          const [lat, lon] = pair.split(',').map(Number);
          const [x, y] = project(lon, lat);
          return (k ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1);
        }).join('') + 'Z');
        path.setAttribute('class', 'warning-area s' + w.severity);
        path.dataset.warning = w.warningId;
        frag.appendChild(path);
      }
      for (const circle of area.circles) {
        const [centre, km] = circle.trim().split(/\s+/);
        const [lat, lon] = centre.split(',').map(Number);
        const [x, y] = project(lon, lat);
        const [, y2] = project(lon, lat + Number(km) / 111.32);
        const c = document.createElementNS(svgNs, 'circle');
        c.setAttribute('cx', x.toFixed(1)); c.setAttribute('cy', y.toFixed(1));
        c.setAttribute('r', Math.max(2, Math.abs(y - y2)).toFixed(1));
        c.setAttribute('class', 'warning-area s' + w.severity);
        c.dataset.warning = w.warningId;
        frag.appendChild(c);
      }
    }
  }
  warningLayer.replaceChildren(frag);
  for (const [name, path] of districtShapes) path.classList.toggle('warned', warned.has(name));
  const banner = document.getElementById('warnings');
  banner.hidden = !shown.length;
  banner.replaceChildren(...shown.map(w => {
    const li = document.createElement('li'); li.className = 'warning s' + w.severity; li.dataset.warning = w.warningId;
    const event = document.createElement('b'); event.textContent = `⚠ ${w.event}`;
    const headline = document.createElement('span'); headline.textContent = w.headline || '';
    const meta = document.createElement('span'); meta.className = 'muted';
    meta.textContent = `${w.capSeverity.toLowerCase()} · ${w.affectedDistricts.length} districts`
      + (w.expires ? ` · until ${fmtTime(w.expires)}` : '') + ` · ${w.senderName || w.sender}`;
    li.title = [w.description, w.instruction].filter(Boolean).join('\n');
    li.append(event, headline, meta);
    return li;
  }));
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
  detailFromApi = null;
  renderDetail();
  loadDetailFromApi();
}

function renderDetail() {
  const panel = document.getElementById('detail');
  const i = shownIncidents().get(detailId);
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
    if (t.dueAt && t.status !== 'RESOLVED') events.push([t.dueAt, `${t.department} due: ${humanPhase(t.duePhase)}`]);
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
  body.replaceChildren(title, meta, timeline, ...detailActions(i), ...auditTrail(i));
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
  for (const i of shownIncidents().values()) {
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
  state.perDept = perDept; state.trend = trend;
  renderDepartments();
}

// One tile per department: open incidents, the last hour's trend, today's median times against the
// city's targets (config.json kpiTargets), missed deadlines and the share of incidents closed.
function renderDepartments() {
  if (!state.perDept) return;
  const rows = new Map(state.kpiRows.filter(r => r.department).map(r => [r.department, r]));
  document.getElementById('depts').replaceChildren(...DEPTS.map(d => {
    const r = rows.get(d);
    const target = config.kpiTargets[d] || {};
    const el = document.createElement('div'); el.className = 'dept ' + d; el.dataset.dept = d;
    const head = document.createElement('div'); head.className = 'head';
    const label = document.createElement('label'); label.textContent = d;
    const value = document.createElement('b'); value.className = 'open'; value.textContent = state.perDept[d];
    value.title = 'open incidents involving ' + d;
    head.append(label, value);
    const meta = document.createElement('div'); meta.className = 'meta';
    meta.textContent = `${r ? r.breaches : 0} breaches · ${fmtRate(r ? r.closureRate : null)} closed`;
    meta.title = 'today: deadlines missed; incidents closed / opened';
    el.append(head, sparkline(state.trend[d]),
      kpiLine('ack', 'ack', r && r.acknowledge, target.acknowledge),
      kpiLine('onscene', 'on scene', r && r.onScene, target.onScene), meta);
    return el;
  }));
}

/** "ack 1:40 / 2:00": today's median against its target, green within it, red over it. */
function kpiLine(kind, label, stat, target) {
  const line = document.createElement('div');
  const known = stat && stat.count;
  line.className = 'kpi ' + kind + (known && target ? (stat.median <= target ? ' within' : ' over') : '');
  const name = document.createElement('span'); name.textContent = label;
  const value = document.createElement('span'); value.className = 'value';
  value.textContent = fmtDuration(known ? stat.median : 0, known ? stat.count : 0) + (target ? ` / ${fmtDuration(target, 1)}` : '');
  line.title = `median time to ${label} today${known ? ` (${stat.count} incidents, p90 ${fmtDuration(stat.p90, stat.count)})` : ''}`
    + (target ? `; target ${fmtDuration(target, 1)}` : '');
  line.append(name, value);
  return line;
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
  const latest = [...shownIncidents().values()]
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
  setText('ticker-count', `(${shownIncidents().size} incidents)`);
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

/** The newest day's KPIs (see docs/lifecycle.md): the city's in one line, each department's in its tile. */
function renderResponseTimes(rows) {
  state.kpiRows = rows;
  // a department's staff get their department's row only
  const city = rows.find(r => !r.department) || (rows.length === 1 ? rows[0] : null);
  if (city) {
    setText('city-kpis', `${city.department ? city.department + ', ' : ''}${city.day || 'today'}: ${city.opened} opened · ${city.closed} closed (${fmtRate(city.closureRate)})`
      + ` · ${city.breaches} breaches · ${fmtRate(city.onTimeRate)} closed on time`
      + ` · on scene p50 ${fmtDuration(city.onScene.median, city.onScene.count)}`);
  }
  renderDepartments();
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

/** "onScene" → "on scene". */
function humanPhase(phase) { return (phase || 'next step').replace(/([A-Z])/g, ' $1').toLowerCase(); }

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

// ---- views: a leader's (city-wide, aggregates first) or an operator's (queues, details, actions) --

const config = { apiUrl: null, kpiTargets: {} };

/** Leaders and admins get the leader view; operators, dispatchers and supervisors the operator view
 *  (?view=leader puts an operator's token on a wall). The token decides what the API allows anyway. */
function setView(role, department) {
  const wanted = new URLSearchParams(location.search).get('view');
  const view = role === 'leader' || role === 'admin' || wanted === 'leader' ? 'leader' : 'operator';
  state.role = role; state.department = department || null;
  document.getElementById('role').textContent = department ? `${role} · ${department}` : role;
  if (state.view === view) return;
  state.view = view;
  document.body.classList.toggle('view-operator', view === 'operator');
  document.body.classList.toggle('view-leader', view === 'leader');
  if (view === 'operator') startQueue();
}

/** A call to the dispatch API with this screen's token; rejects with the API's own message. */
async function api(path, options = {}) {
  if (!config.apiUrl) throw new Error('this screen has no dispatch API configured');
  const headers = { Authorization: 'Bearer ' + state.token, ...(options.headers || {}) };
  if (options.body) headers['Content-Type'] = 'application/json';
  const response = await fetch(config.apiUrl + path, { ...options, headers });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error((body && body.error && body.error.message) || `HTTP ${response.status}`);
  return body;
}

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** Sends an action once: the Idempotency-Key makes a retry after a lost answer safe. */
async function act(path, payload, label) {
  const status = document.getElementById('action-status');
  status.className = 'action-status sending'; status.textContent = `${label}…`;
  try {
    const answer = await api(path, { method: 'POST', body: JSON.stringify(payload || {}), headers: { 'Idempotency-Key': newKey() } });
    status.className = 'action-status ok'; status.textContent = `${label}: sent (${answer.actionId})`;
    return true;
  } catch (e) {
    status.className = 'action-status failed'; status.textContent = `${label}: ${e.message}`;
    return false;
  }
}

// The next step of a task, and how a dispatcher may close it.
const NEXT_STEP = { ORDERED: ['acknowledge', 'Acknowledge'], ACKNOWLEDGED: ['en-route', 'En route'],
  EN_ROUTE: ['on-scene', 'On scene'], ON_SCENE: ['resolve', 'Resolve'] };
const DISPOSITIONS = ['Handled on scene', 'Report taken', 'Patient transported', 'Gone on arrival', 'No merit'];

function mayActFor(department) {
  return state.role === 'operator' || ((state.role === 'dispatcher' || state.role === 'supervisor') && state.department === department);
}

/** A button for a task's next step; "Resolve" first asks for the disposition. */
function taskButton(incidentId, task) {
  const next = NEXT_STEP[task.status];
  if (!next || !mayActFor(task.department)) return null;
  const [action, label] = next;
  const button = document.createElement('button');
  button.type = 'button'; button.className = 'act'; button.dataset.action = action; button.dataset.dept = task.department;
  button.textContent = label;
  const path = `/api/v1/incidents/${encodeURIComponent(incidentId)}/tasks/${task.department}/${action}`;
  button.addEventListener('click', async event => {
    event.stopPropagation();
    if (action === 'resolve') { button.replaceWith(resolveForm(path, incidentId, task.department)); return; }
    button.disabled = true;
    if (!await act(path, {}, `${task.department} ${label.toLowerCase()} ${incidentId}`)) button.disabled = false;
  });
  return button;
}

function resolveForm(path, incidentId, department) {
  const form = document.createElement('form'); form.className = 'resolve';
  form.addEventListener('click', e => e.stopPropagation());
  const select = document.createElement('select');
  for (const d of DISPOSITIONS) { const o = document.createElement('option'); o.textContent = d; select.append(o); }
  const ok = document.createElement('button'); ok.type = 'submit'; ok.className = 'act'; ok.textContent = 'Resolve';
  form.append(select, ok);
  form.addEventListener('submit', async e => {
    e.preventDefault(); ok.disabled = true;
    if (!await act(path, { disposition: select.value }, `${department} resolve ${incidentId}`)) ok.disabled = false;
  });
  return form;
}

// ---- the operator's queue: a department's open tasks, most urgent first (GET …/queue) -------------
const queue = { department: null, timer: null, pending: false };

function startQueue() {
  const select = document.getElementById('queue-dept');
  const own = state.department;
  select.replaceChildren(...(own ? [own] : DEPTS).map(d => { const o = document.createElement('option'); o.value = d; o.textContent = d; return o; }));
  select.disabled = !!own;
  queue.department = own || select.value;
  select.onchange = () => { queue.department = select.value; refreshQueue(); };
  refreshQueue();
  clearInterval(queue.timer);
  queue.timer = setInterval(refreshQueue, 10000); // deadlines pass without any delta
}

function scheduleQueueRefresh() {
  if (queue.pending) return;
  queue.pending = true;
  setTimeout(() => { queue.pending = false; refreshQueue(); }, 500);
}

async function refreshQueue() {
  const list = document.getElementById('queue');
  let answer;
  try {
    answer = await api(`/api/v1/departments/${queue.department}/queue?limit=50`);
  } catch (e) {
    list.replaceChildren(Object.assign(document.createElement('li'), { className: 'none failed', textContent: `queue unavailable: ${e.message}` }));
    return;
  }
  setText('queue-count', `(${answer.total} open)`);
  if (!answer.items.length) {
    list.replaceChildren(Object.assign(document.createElement('li'), { className: 'none muted', textContent: 'Nothing waiting' }));
    return;
  }
  list.replaceChildren(...answer.items.map(entry => {
    const li = document.createElement('li');
    li.dataset.id = entry.incidentId; li.dataset.status = entry.task.status;
    if (entry.overdue) li.classList.add('overdue');
    li.addEventListener('click', () => showDetail(entry.incidentId));
    const sev = document.createElement('span'); sev.className = 'sev s' + entry.severity; sev.textContent = entry.severity;
    const text = document.createElement('div');
    const title = document.createElement('span'); title.className = 'title'; title.textContent = entry.title;
    const where = document.createElement('span'); where.className = 'where';
    const phase = humanPhase(entry.task.duePhase);
    const due = entry.task.dueAt ? (entry.overdue ? `overdue: ${phase} was due ${fmtTime(entry.task.dueAt)}`
      : `${phase} due ${fmtTime(entry.task.dueAt)}`) : '';
    where.textContent = `${entry.district || '—'} · ${entry.task.status.toLowerCase().replace('_', ' ')}${due ? ' · ' + due : ''}`;
    text.append(title, where);
    li.append(sev, text);
    const button = taskButton(entry.incidentId, entry.task);
    if (button) li.append(button);
    return li;
  }));
}

// ---- the detail panel's part from the API: who did what (the audit trail) and the actions -------
let detailFromApi = null;
let detailTimer = null;

async function loadDetailFromApi() {
  const id = detailId;
  if (!id || !config.apiUrl) return;
  try {
    const detail = await api(`/api/v1/incidents/${encodeURIComponent(id)}`);
    if (detailId === id) { detailFromApi = detail; renderDetail(); }
  } catch (e) {
    if (detailId === id) { detailFromApi = { error: e.message }; renderDetail(); }
  }
}

function scheduleDetailRefresh() {
  clearTimeout(detailTimer);
  detailTimer = setTimeout(loadDetailFromApi, 300);
}

/** Buttons for what this reader may do now: each task's next step; verify, reopen, cancel (operators). */
function detailActions(i) {
  if (state.view !== 'operator' || CLOSED.has(i.status) && i.status !== 'CLOSED') return [];
  const buttons = (i.tasks || []).map(t => taskButton(i.incidentId, t)).filter(Boolean);
  buttons.forEach(b => { b.textContent = `${b.dataset.dept}: ${b.textContent}`; });
  if (state.role === 'operator') {
    const base = `/api/v1/incidents/${encodeURIComponent(i.incidentId)}`;
    const incidentButton = (action, label, reason) => {
      const b = document.createElement('button'); b.type = 'button'; b.className = 'act ' + action; b.dataset.action = action;
      b.textContent = label;
      b.addEventListener('click', async () => { b.disabled = true; if (!await act(`${base}/${action}`, { reason }, `${label.toLowerCase()} ${i.incidentId}`)) b.disabled = false; });
      return b;
    };
    if (i.status === 'RESOLVED') buttons.push(incidentButton('verify', 'Verify and close', 'verified by the command centre'));
    if (i.status === 'RESOLVED' || i.status === 'CLOSED') buttons.push(incidentButton('reopen', 'Reopen', 'reopened by the command centre'));
    if (!CLOSED.has(i.status)) buttons.push(incidentButton('cancel', 'Cancel', 'cancelled by the command centre'));
  }
  if (!buttons.length) return [];
  const bar = document.createElement('div'); bar.className = 'actions-bar';
  bar.append(...buttons);
  return [bar];
}

/** The incident's audit trail from the API, newest first: every change and refusal, by whom. */
function auditTrail(i) {
  if (!detailFromApi) return [];
  const heading = document.createElement('h4'); heading.textContent = 'Who did what';
  if (detailFromApi.error) {
    const failed = document.createElement('div'); failed.className = 'failed'; failed.textContent = detailFromApi.error;
    return [heading, failed];
  }
  const list = document.createElement('ol'); list.className = 'audit';
  const entries = [...(detailFromApi.actions || []).map(a => [a.at, `${a.action.toLowerCase().replace(/_/g, ' ')} · ${a.actor}`
      + (a.outcome === 'REFUSED' ? ` · refused: ${a.reason || ''}` : a.reason ? ` · ${a.reason}` : ''), a.outcome === 'REFUSED']),
    ...(detailFromApi.escalations || []).map(e => [e.at, `escalated to ${(e.level || '').toLowerCase().replace(/_/g, ' ')}: ${e.message}`, true])]
    .sort((a, b) => new Date(b[0]) - new Date(a[0]));
  for (const [at, text, warn] of entries) {
    const li = document.createElement('li'); if (warn) li.className = 'warn';
    const time = document.createElement('time'); time.textContent = fmtTime(at);
    const what = document.createElement('span'); what.textContent = text;
    li.append(time, what);
    list.append(li);
  }
  return [heading, list];
}

// ---- after-action review: the city as it stood at a past moment, from the Kafka history ----------
// (GET /history on this server). Live updates keep arriving underneath; "Live" returns to them.
// ?review=<ISO instant> opens the screen on that moment (a debrief on the wall).
const review = { on: false, at: 0, incidents: new Map(), timer: null };
const reviewSlider = document.getElementById('review-slider');

function shownIncidents() { return review.on ? review.incidents : state.incidents; }

async function history(query) {
  const response = await fetch('history' + query, { headers: { Authorization: 'Bearer ' + state.token } });
  if (!response.ok) throw new Error(await response.text());
  return response.json();
}

async function openReview(at) {
  let answer;
  try { answer = await history(''); } catch (e) { setText('review-at', e.message); return; }
  if (!answer.span) { setText('review-at', 'no history yet'); return; }
  reviewSlider.min = Date.parse(answer.span.from);
  reviewSlider.max = Date.parse(answer.span.to);
  reviewSlider.value = at || Math.max(Number(reviewSlider.min), Number(reviewSlider.max) - 3600 * 1000);
  document.getElementById('review-panel').hidden = false;
  document.getElementById('review-open').hidden = true;
  await loadReview(Number(reviewSlider.value));
}

async function loadReview(at) {
  const answer = await history('?at=' + encodeURIComponent(new Date(at).toISOString()));
  review.incidents = new Map(answer.incidents.map(i => [i.incidentId, i]));
  review.at = at; review.on = true;
  document.body.classList.add('reviewing');
  setText('review-at', new Date(at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short', timeZone: CITY_TIME_ZONE }));
  renderAll();
}

function backToLive() {
  review.on = false; review.incidents = new Map();
  document.body.classList.remove('reviewing');
  document.getElementById('review-panel').hidden = true;
  document.getElementById('review-open').hidden = false;
  renderAll();
}

document.getElementById('review-open').addEventListener('click', () => openReview());
document.getElementById('review-live').addEventListener('click', backToLive);
reviewSlider.addEventListener('input', () => {
  clearTimeout(review.timer);
  review.timer = setTimeout(() => loadReview(Number(reviewSlider.value)), 250);
});

(async () => {
  state.token = token();
  try {
    Object.assign(config, await (await fetch('config.json')).json());
  } catch (e) { /* the feed works without the API; actions then say why they cannot */ }
  if (!state.token) { document.getElementById('login').hidden = false; return; }
  await drawDistricts();
  state.lastMessage = Date.now();
  connect();
  const reviewAt = new URLSearchParams(location.search).get('review');
  if (reviewAt && !Number.isNaN(Date.parse(reviewAt))) openReview(Date.parse(reviewAt));
})();
