// SPDX-License-Identifier: BSD-2-Clause
//
// app.js - orbat's web map. Reads the JSON API of `orbat serve`
// (docs/server.md): /api/timeline for the time range, /api/assets and
// /api/tracks as of the slider's time, /api/events, /api/assets/ID for the
// evidence. The base layer is drawn from the shipped Natural Earth
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
const layers = {
  land: L.layerGroup().addTo(map),
  theatre: L.layerGroup().addTo(map),
  tracks: L.layerGroup().addTo(map),
  events: L.layerGroup().addTo(map),
  assets: L.layerGroup().addTo(map),
};
const osm = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  { maxZoom: 18, attribution: '&copy; OpenStreetMap contributors' });
L.control.layers({ 'Offline (Natural Earth)': L.layerGroup(), 'OpenStreetMap tiles': osm },
  { 'Theatre': layers.theatre, 'Tracks': layers.tracks, 'Events': layers.events,
    'Assets': layers.assets }, { collapsed: true }).addTo(map);
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
  await refresh();
  document.body.dataset.ready = '1';
}

main();
