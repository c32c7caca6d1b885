// SPDX-License-Identifier: BSD-2-Clause
//
// app.js - orbat's web map. Reads the JSON API of `orbat serve`
// (docs/server.md): /api/timeline for the time range, /api/assets and
// /api/tracks as of the slider's time, /api/events, /api/assets/ID for the
// evidence, /api/claims for the claims panel and /api/claims/ID for a
// claim's check (its geometry goes into its own pane, claimPane). The base layer is drawn from the shipped Natural Earth
// countries GeoJSON (/geo/...), so the map works with no tile server;
// OpenStreetMap tiles are an optional layer. Every string from the API is
// escaped before it reaches the DOM.
'use strict';

const ROLE_COLOURS = [
  [/destroyer/i, '#c0392b'],
  [/cruiser/i, '#8e44ad'],
  [/frigate|littoral|corvette/i, '#e67e22'],
  [/amphib|dock|landing/i, '#27ae60'],
  [/submarine/i, '#2c3e50'],
  [/carrier/i, '#d35400'],
  [/patrol|isr|surveillance|reconnaissance/i, '#00acc1'],
  [/tanker|transport|cargo|airlift/i, '#7f8c8d'],
  [/bomber|fighter|strike/i, '#e74c3c'],
];
const CATEGORY_COLOURS = { 'warship': '#a93226', 'military aircraft': '#2471a3',
  'law enforcement': '#b7950b', 'government': '#6c3483', 'civil': '#95a5a6' };

function colourOf(a) {
  for (const [re, c] of ROLE_COLOURS) if (a.role && re.test(a.role)) return c;
  return CATEGORY_COLOURS[a.category] || '#566573';
}

function esc(s) {
  return String(s == null ? '' : s).replace(/[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function iso(ms) { return new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z'); }

async function getJSON(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
  return r.json();
}

const state = { asOf: 0, first: 0, last: 0, window: '7d', all: false, selected: null,
  markers: new Map(), days: [] };

const map = L.map('map', { zoomControl: true, preferCanvas: false, worldCopyJump: true })
  .setView([14, -68], 5);
// Assets above events above tracks, whatever order they are redrawn in.
map.createPane('trackPane').style.zIndex = 410;
map.createPane('eventPane').style.zIndex = 420;
map.createPane('assetPane').style.zIndex = 430;
map.createPane('claimPane').style.zIndex = 440;
const layers = {
  land: L.layerGroup().addTo(map),
  theatre: L.layerGroup().addTo(map),
  tracks: L.layerGroup().addTo(map),
  events: L.layerGroup().addTo(map),
  assets: L.layerGroup().addTo(map),
  claim: L.featureGroup().addTo(map),
};
const osm = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  { maxZoom: 18, attribution: '&copy; OpenStreetMap contributors' });
L.control.layers({ 'Offline (Natural Earth)': L.layerGroup(), 'OpenStreetMap tiles': osm },
  { 'Theatre': layers.theatre, 'Tracks': layers.tracks, 'Events': layers.events,
    'Assets': layers.assets, 'Claim': layers.claim }, { collapsed: true }).addTo(map);
L.control.scale({ imperial: false }).addTo(map);

const legend = L.control({ position: 'bottomleft' });
legend.onAdd = () => {
  const d = L.DomUtil.create('div', 'legend');
  d.innerHTML = [['destroyer', '#c0392b'], ['cruiser', '#8e44ad'], ['frigate / LCS', '#e67e22'],
    ['amphibious', '#27ae60'], ['patrol / ISR', '#00acc1'], ['other aircraft', '#2471a3'],
    ['other', '#566573']].map(([n, c]) => `<div><i style="background:${c}"></i>${n}</div>`).join('');
  return d;
};
legend.addTo(map);

async function loadBase() {
  const style = {
    land: { color: '#9aa5a0', weight: 0.6, fillColor: '#ece8dc', fillOpacity: 1 },
    sea: { color: '#1d5f8a', weight: 1.5, dashArray: '6 4', fill: true, fillColor: '#1d5f8a',
      fillOpacity: 0.04 },
    tw: { color: '#b03a2e', weight: 1, dashArray: '2 3', fill: false },
  };
  const files = [['theatre_countries_ne10m.geojson', layers.land, style.land],
    ['caribbean_sea.geojson', layers.theatre, style.sea],
    ['venezuela_maritime.geojson', layers.theatre, style.tw]];
  await Promise.all(files.map(async ([f, layer, st]) => {
    try {
      const g = await getJSON('geo/' + f);
      L.geoJSON(g, { style: st, interactive: false }).addTo(layer);
    } catch (e) { console.warn('base layer', f, e); }
  }));
}

function setStatus(s) { document.getElementById('status').textContent = s; }

function drawTimeline() {
  const box = document.getElementById('timeline');
  const days = state.days;
  if (!days.length) { box.innerHTML = '<div class="muted">no data</div>'; return; }
  const W = 368, H = 120, pad = 18;
  const max = Math.max(1, ...days.map((d) => d.total));
  const bw = (W - pad) / days.length;
  let svg = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="assets per day">`;
  days.forEach((d, i) => {
    const x = pad + i * bw;
    let y = H - 16;
    const cats = d.by_category || {};
    for (const [cat, n] of Object.entries(cats)) {
      const h = (H - 32) * n / max;
      const cls = cat === 'warship' ? 'bar-warship' : /aircraft/.test(cat) ? 'bar-aircraft' : 'bar-other';
      y -= h;
      svg += `<rect class="${cls}" x="${x + 1}" y="${y}" width="${Math.max(1, bw - 2)}" height="${h}"><title>${esc(d.day)} ${esc(cat)}: ${n}</title></rect>`;
    }
    svg += `<text x="${x + bw / 2}" y="${y - 3}" text-anchor="middle">${d.total}</text>`;
    if (days.length <= 14 || i % Math.ceil(days.length / 7) === 0)
      svg += `<text x="${x + bw / 2}" y="${H - 4}" text-anchor="middle">${esc(d.day.slice(5))}</text>`;
  });
  const span = state.last - state.first || 1;
  const cx = pad + (W - pad) * (state.asOf - state.first) / span;
  svg += `<line class="cur" x1="${cx}" x2="${cx}" y1="4" y2="${H - 14}"/>`;
  svg += `<text x="0" y="12">${max}</text></svg>`;
  box.innerHTML = svg;
}

function renderOob(data) {
  document.getElementById('total').textContent = data.total;
  const byCat = new Map();
  for (const a of data.assets) {
    if (!byCat.has(a.category)) byCat.set(a.category, []);
    byCat.get(a.category).push(a);
  }
  const counts = document.getElementById('counts');
  counts.innerHTML = [...byCat].map(([c, l]) => `<li><strong>${l.length}</strong> ${esc(c || 'unclassified')}</li>`).join('');
  let html = '';
  for (const [cat, list] of byCat) {
    html += `<div class="cat">${esc(cat || 'unclassified')}</div>`;
    for (const a of list) {
      const label = a.name || a.callsign || a.hull || a.id;
      html += `<div class="asset${state.selected === a.asset_id ? ' sel' : ''}" data-id="${a.asset_id}">
        <span class="dot" style="background:${colourOf(a)}"></span>
        <span class="name">${esc(label)}${a.hull ? ' <span class="muted">' + esc(a.hull) + '</span>' : ''}</span>
        <span class="conf">${Number(a.confidence).toFixed(2)}</span>
        <span class="meta">${esc(a.role || 'role unknown')} &middot; ${esc(a.country)} &middot; ${a.observations} obs &middot; last ${esc(a.last_seen.slice(5, 16).replace('T', ' '))}</span>
      </div>`;
    }
  }
  const oob = document.getElementById('oob');
  oob.innerHTML = html || '<div class="muted">nothing in the window</div>';
  oob.querySelectorAll('.asset').forEach((el) =>
    el.addEventListener('click', () => selectAsset(Number(el.dataset.id))));
}

function renderAssets(data) {
  layers.assets.clearLayers();
  state.markers.clear();
  for (const a of data.assets) {
    if (a.lat == null) continue;
    const label = a.name || a.callsign || a.id;
    const m = L.circleMarker([a.lat, a.lon], {
      radius: a.kind === 'aircraft' ? 6 : 8, color: '#1d2a3a', weight: 1.2,
      fillColor: colourOf(a), fillOpacity: 0.95, className: 'asset-marker', pane: 'assetPane',
    });
    m.bindTooltip(esc(label), { permanent: true, direction: 'right', offset: [8, 0], className: 'lbl' });
    m.bindPopup(`<strong>${esc(label)}</strong> ${esc(a.hull)}<br>${esc(a.role || a.category)} &middot; ${esc(a.country)}<br>last seen ${esc(a.last_seen)}<br>confidence ${Number(a.confidence).toFixed(2)}`);
    m.on('click', () => selectAsset(a.asset_id));
    m.addTo(layers.assets);
    state.markers.set(a.asset_id, m);
  }
}

function renderTracks(data) {
  layers.tracks.clearLayers();
  for (const t of data.tracks) {
    if (t.points.length < 2) continue;
    L.polyline(t.points.map((p) => [p[1], p[2]]), {
      color: colourOf(t), weight: state.selected === t.asset_id ? 3.5 : 2,
      opacity: state.selected && state.selected !== t.asset_id ? 0.35 : 0.8, interactive: false,
      pane: 'trackPane',
    }).addTo(layers.tracks);
  }
}

function renderEvents(data) {
  layers.events.clearLayers();
  const shown = data.events.filter((e) => e.type !== 'first_seen' &&
    (state.all || !e.asset || e.asset.category !== 'civil'));
  const ul = document.getElementById('events');
  ul.innerHTML = shown.slice(-200).reverse().map((e) => {
    const who = e.asset ? (e.asset.name || e.asset.callsign || e.asset.id) : '';
    return `<li><span class="t">${esc(e.time.slice(5, 16).replace('T', ' '))}</span><span class="etype">${esc(e.type)}</span> ${esc(who)} <span class="muted">${esc(e.theatre)} ${esc(e.detail)}</span></li>`;
  }).join('') || '<li class="muted">no events in the window</li>';
  for (const e of shown) {
    if (e.lat == null || e.lon == null) continue;
    L.circleMarker([e.lat, e.lon], { radius: 3, color: '#1d2a3a', weight: 1, fillColor: '#f4d03f',
      fillOpacity: 1, pane: 'eventPane' }).bindTooltip(esc(e.type + ' ' + (e.asset ? e.asset.name : ''))).addTo(layers.events);
  }
}

async function refresh() {
  const q = `as_of=${encodeURIComponent(iso(state.asOf))}&window=${state.window}${state.all ? '&all=1' : ''}`;
  document.getElementById('asof').textContent = iso(state.asOf).replace('T', ' ');
  drawTimeline();
  try {
    const [assets, tracks, events] = await Promise.all([
      getJSON('api/assets?' + q), getJSON('api/tracks?' + q), getJSON('api/events?' + q)]);
    renderOob(assets);
    renderAssets(assets);
    renderTracks(tracks);
    renderEvents(events);
    if (!state.fitted && state.markers.size) {
      state.fitted = true;
      const b = L.latLngBounds([...state.markers.values()].map((m) => m.getLatLng()));
      map.fitBounds(b.pad(0.6), { maxZoom: 7 });
    }
    setStatus(`${assets.total} assets, ${tracks.points} track points, window ${assets.from.slice(0, 16)} to ${assets.as_of.slice(0, 16)}`);
    // Label simulated data (orbat simulate) as such, as every other output does.
    const sim = document.getElementById('simulated');
    sim.hidden = !assets.simulated_sources;
    sim.textContent = assets.simulated_sources ? 'SIMULATED DATA \u2014 not real broadcasts' : '';
    // The stored sources' attribution and licence lines (archives, live
    // providers): their terms ask for them wherever the data is shown.
    const ds = assets.data_sources || [];
    document.getElementById('datasources').hidden = !ds.length;
    document.getElementById('datasrc').textContent = ds.join('; ');
  } catch (e) {
    setStatus('error: ' + e.message);
  }
}

async function selectAsset(id) {
  state.selected = id;
  document.querySelectorAll('.asset').forEach((el) => el.classList.toggle('sel', Number(el.dataset.id) === id));
  const m = state.markers.get(id);
  if (m) { m.openPopup(); }
  const sec = document.getElementById('evidence');
  sec.hidden = false;
  sec.scrollIntoView({ block: 'start' });
  const body = document.getElementById('evbody');
  body.innerHTML = '<div class="muted">loading evidence...</div>';
  try {
    const ev = await getJSON('api/assets/' + id);
    const a = ev.assets[0];
    const obs = a.observations || [];
    // reasons: [{rule, evidence}] (the shape `orbat identify` writes)
    const reasons = Array.isArray(a.reasons)
      ? a.reasons.map((r) => (r.rule ? r.rule + ': ' : '') + (r.evidence || ''))
      : (a.reasons || '').split(/; (?=[A-Z][A-Z0-9_.]*:)/).filter(Boolean);
    let h = `<div><strong>${esc(a.name || a.id)}</strong> ${esc(a.hull)} &middot; ${esc(a.kind)} ${esc(a.id)}<br>
      ${esc(a.category)} / ${esc(a.role)} &middot; ${esc(a.country)} &middot; confidence ${Number(a.confidence).toFixed(2)}</div>`;
    h += `<ul class="reasons">${reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>`;
    if (a.identified_from)
      h += `<div class="muted">identified from ${esc(a.identified_from.source)} @${a.identified_from.offset}: <code>${esc(a.identified_from.raw)}</code></div>`;
    h += `<table><tr><td colspan="2"><strong>${obs.length}</strong> observations (latest 25), each with its raw message</td></tr>`;
    for (const o of obs.slice(-25).reverse())
      h += `<tr><td>${esc(o.time.slice(5, 19).replace('T', ' '))}<br>${Number(o.lat).toFixed(3)}, ${Number(o.lon).toFixed(3)}</td><td><code>${esc(o.raw || '')}</code><br><span class="muted">${esc(o.source || '')}${o.offset != null ? ' @' + o.offset : ''}</span></td></tr>`;
    h += '</table>';
    body.innerHTML = h;
  } catch (e) {
    body.innerHTML = `<div class="muted">${esc(e.message)}</div>`;
  }
  refresh();
}

// ---- claims (docs/claims.md) ----

const VERDICT_COLOURS = { 'supported': '#1e8449', 'contradicted': '#c0392b',
  'partly supported': '#d68910', 'no public data': '#7f8c8d' };

function verdictClass(v) { return 'v-' + String(v || 'none').toLowerCase().replace(/[^a-z]+/g, '-'); }

function verdictBadge(v) {
  return `<span class="verdict ${verdictClass(v)}">${esc(v || 'not checked')}</span>`;
}

function finite(x) { return typeof x === 'number' && Number.isFinite(x); }

async function loadClaims() {
  const ul = document.getElementById('claims');
  let claims = [];
  try {
    claims = (await getJSON('api/claims')).claims || [];
  } catch (e) {
    ul.innerHTML = `<li class="muted">${esc(e.message)}</li>`;
    return;
  }
  document.getElementById('nclaims').textContent = claims.length;
  ul.innerHTML = claims.map((c) => {
    const m = c.measured ? c.measured.text : '';
    return `<li class="claim" data-id="${Number(c.id)}">${verdictBadge(c.verdict)}<span class="etype">${esc(c.kind)}</span>
      <span class="ctext">${esc(c.text || c.spec)}</span>
      <span class="meta">${esc(c.claim)}${c.claimant ? ' &middot; ' + esc(c.claimant) : ''} &middot; measured: <span class="measured">${esc(m || '-')}</span></span></li>`;
  }).join('') || '<li class="muted">no claims in the store (orbat claim add / import)</li>';
  ul.querySelectorAll('li.claim').forEach((el) =>
    el.addEventListener('click', () => selectClaim(Number(el.dataset.id))));
}

function fixRow(what, f) {
  const d = finite(f.nm) ? `${f.nm.toFixed(2)} nm (${f.km.toFixed(2)} km)` : '';
  return `<tr><td>${esc(what)}<br>${esc((f.time || '').slice(5, 19).replace('T', ' '))}<br>${Number(f.lat).toFixed(4)}, ${Number(f.lon).toFixed(4)}</td>
    <td><strong>${esc(f.asset)}</strong> ${esc(d)}<br><code>${esc(f.raw || '-')}</code><br><span class="muted">${esc(f.source)} raw #${Number(f.raw_id)}</span></td></tr>`;
}

// The claim's geometry: its area (circle, box), its reference point with
// the claimed distance around it, the closest approach (the fix pair, the
// line between them, the line to the reference) and the evidence fixes.
function drawClaim(c) {
  layers.claim.clearLayers();
  const col = VERDICT_COLOURS[c.verdict] || '#34495e';
  const opt = (o) => Object.assign({ pane: 'claimPane', color: col, weight: 2, className: 'claim-geom' }, o);
  const add = (l, tip) => { if (tip) l.bindTooltip(esc(tip)); l.addTo(layers.claim); };
  const a = c.area;
  if (a && typeof a === 'object' && finite(a.radius_nm))
    add(L.circle([a.lat, a.lon], opt({ radius: a.radius_nm * 1852, fillOpacity: 0.12, dashArray: '6 4' })),
      `claim area: ${a.radius_nm.toFixed(1)} nm around ${a.lat.toFixed(3)}, ${a.lon.toFixed(3)}`);
  else if (a && Array.isArray(a.bbox))
    add(L.rectangle([[a.bbox[0], a.bbox[1]], [a.bbox[2], a.bbox[3]]], opt({ fillOpacity: 0.08, dashArray: '6 4' })),
      'claim area');
  const r = c.ref;
  if (r && typeof r === 'object') {
    add(L.circleMarker([r.lat, r.lon], opt({ radius: 6, fillColor: '#fff', fillOpacity: 1 })), 'reference point');
    if (finite(c.claim_nm))
      add(L.circle([r.lat, r.lon], opt({ radius: c.claim_nm * 1852, fill: false, dashArray: '4 4' })),
        `claimed: ${c.claim}`);
  }
  const cl = c.closest;
  if (cl) {
    add(L.polyline([[cl.lat, cl.lon], [cl.ref_lat, cl.ref_lon]], opt({ weight: 3, dashArray: '2 4' })),
      `closest approach: ${c.measured ? c.measured.text : ''}`);
    add(L.circleMarker([cl.ref_lat, cl.ref_lon], opt({ radius: 4, fillColor: col, fillOpacity: 1 })),
      `nearest point of ${typeof r === 'string' ? r : 'the reference'}`);
  }
  const pair = c.fix_pair || [];
  if (pair.length === 2)
    add(L.polyline(pair.map((f) => [f.lat, f.lon]), opt({ weight: 3 })), 'fix pair');
  pair.forEach((f, i) => add(L.circleMarker([f.lat, f.lon], opt({ radius: 6, fillColor: '#fff', fillOpacity: 1 })),
    `fix ${i + 1}: ${f.asset} ${f.time}`));
  for (const f of c.evidence || [])
    add(L.circleMarker([f.lat, f.lon], opt({ radius: 5, fillColor: col, fillOpacity: 0.9 })), `${f.asset} ${f.time}`);
  for (const as of c.assets || [])
    if (as.fix)
      add(L.circleMarker([as.fix.lat, as.fix.lon], opt({ radius: as.military ? 6 : 4,
        fillColor: as.military ? col : '#fff', fillOpacity: 0.9 })), `${as.name || as.callsign} ${as.fix.time}`);
  const n = layers.claim.getLayers().length;
  if (n) map.fitBounds(layers.claim.getBounds().pad(0.4), { maxZoom: 9 });
  return n;
}

async function selectClaim(id) {
  document.querySelectorAll('#claims li.claim').forEach((el) =>
    el.classList.toggle('sel', Number(el.dataset.id) === id));
  const sec = document.getElementById('claimev');
  const body = document.getElementById('claimbody');
  sec.hidden = false;
  body.innerHTML = '<div class="muted">checking the claim...</div>';
  let c;
  try {
    c = await getJSON('api/claims/' + id);
  } catch (e) {
    body.innerHTML = `<div class="muted">${esc(e.message)}</div>`;
    return;
  }
  const shapes = drawClaim(c);
  const link = /^https?:\/\//.test(c.source_url || '')
    ? ` <a href="${esc(c.source_url)}" target="_blank" rel="noopener noreferrer">source</a>` : '';
  let h = `<p>${verdictBadge(c.verdict)} <strong>${esc(c.kind)}</strong> claim #${Number(c.id)}</p>`;
  h += `<p>&ldquo;${esc(c.text || c.spec)}&rdquo;<br><span class="muted">${esc(c.claimant || 'unnamed source')}${c.published ? ', ' + esc(c.published.slice(0, 10)) : ''}${link}</span></p>`;
  h += `<p class="muted">${esc(c.asset)} ${esc(c.claim)} ${typeof c.ref === 'string' ? 'from ' + esc(c.ref) : ''} ${typeof c.area === 'string' ? 'in ' + esc(c.area) : ''}, ${esc((c.from || '').slice(0, 16))} to ${esc((c.to || '').slice(0, 16))}</p>`;
  h += `<p>measured: <strong>${esc(c.measured ? c.measured.text : '-')}</strong>`;
  if (c.margin && typeof c.margin === 'object' && finite(c.margin.nm))
    h += `<br>margin: ${c.margin.nm >= 0 ? '+' : ''}${c.margin.nm.toFixed(2)} nm in the claim's favour`;
  h += '</p>';
  if (c.note) h += `<p class="muted">${esc(c.note)}</p>`;
  const cov = c.coverage || {};
  h += `<p class="muted">coverage: ${esc((cov.sources || []).join(', ') || 'no source')}`;
  for (const g of cov.not_covered || []) h += `<br>not covered ${esc(g.from)} .. ${esc(g.to)}`;
  for (const g of cov.track_gaps || []) h += `<br>track gap ${esc(g.from)} .. ${esc(g.to)}`;
  h += `</p><p class="muted">${shapes} shapes on the map</p>`;
  const rows = [];
  for (const f of c.fix_pair || []) rows.push(fixRow('fix pair', f));
  for (const f of c.evidence || []) rows.push(fixRow('evidence', f));
  for (const as of c.assets || []) if (as.fix) rows.push(fixRow(as.military ? 'military' : 'asset', as.fix));
  h += rows.length ? `<table class="claimev">${rows.join('')}</table>` : '<div class="muted">no evidence rows</div>';
  body.innerHTML = h;
}

async function main() {
  const slider = document.getElementById('slider');
  await loadBase();
  try {
    const tl = await getJSON('api/timeline');
    state.days = tl.days || [];
  } catch (e) { setStatus('error: ' + e.message); }
  const oob = await getJSON('api/oob').catch(() => null);
  const now = oob ? Date.parse(oob.as_of) : Date.now();
  state.first = state.days.length ? Date.parse(state.days[0].day + 'T00:00:00Z') : now - 7 * 864e5;
  state.last = Math.max(now, state.first + 3600000);
  state.asOf = state.last;
  slider.min = state.first;
  slider.max = state.last;
  slider.value = state.asOf;
  let timer = null;
  slider.addEventListener('input', () => {
    state.asOf = Number(slider.value);
    document.getElementById('asof').textContent = iso(state.asOf).replace('T', ' ');
    clearTimeout(timer);
    timer = setTimeout(refresh, 120);
  });
  document.getElementById('window').addEventListener('change', (e) => { state.window = e.target.value; refresh(); });
  document.getElementById('all').addEventListener('change', (e) => { state.all = e.target.checked; refresh(); });
  document.getElementById('closeev').addEventListener('click', () => {
    document.getElementById('evidence').hidden = true; state.selected = null; refresh();
  });
  document.getElementById('closeclaim').addEventListener('click', () => {
    document.getElementById('claimev').hidden = true;
    layers.claim.clearLayers();
    document.querySelectorAll('#claims li.claim').forEach((el) => el.classList.remove('sel'));
  });
  await Promise.all([refresh(), loadClaims()]);
  document.body.dataset.ready = '1';
}

main();
