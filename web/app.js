// SPDX-License-Identifier: BSD-2-Clause
//
// app.js - orbat's web map. Reads the JSON API of `orbat serve`
// (docs/server.md): /api/timeline for the time range and the chart,
// /api/assets as of the replay time (the order of battle), /api/tracks and
// /api/events once for the whole range (the replay draws positions, tracks
// and events up to the current time from them), /api/assets/ID?to=T for the
// asset page's evidence, /api/claims for the claims panel and
// /api/claims/ID for a claim's check (its geometry goes into its own pane,
// claimPane). The base layer is drawn from the shipped Natural Earth
// countries GeoJSON (/geo/...), so the map works with no tile server;
// OpenStreetMap tiles are an optional layer. Every view (time, window,
// filters, selection, map position) is kept in the URL's fragment
// (#/asset/KEY?t=...), and downloads of the current view (CSV, GeoJSON,
// KML, the chart as SVG/PNG) are made in the page. Every string from the
// API is escaped before it reaches the DOM.
'use strict';

// ---- colours (Okabe-Ito, distinguishable with the common colour-vision
// deficiencies) and shapes: the shape tells ship from aircraft and the
// role's family, the colour repeats it ----
const OI = { orange: '#E69F00', sky: '#56B4E9', green: '#009E73', yellow: '#F0E442',
  blue: '#0072B2', vermillion: '#D55E00', purple: '#CC79A7', black: '#000000', grey: '#8a8f96' };
const STYLES = [
  // [test on role, key, legend name, colour, ship shape, aircraft shape]
  [/carrier/i, 'carrier', 'aircraft carrier', OI.vermillion, 'carrier', 'plane'],
  [/submarine/i, 'submarine', 'submarine', OI.black, 'sub', 'plane'],
  [/destroyer/i, 'destroyer', 'destroyer', OI.blue, 'hull', 'plane'],
  [/cruiser/i, 'cruiser', 'cruiser', OI.purple, 'hull', 'plane'],
  [/frigate|littoral|corvette/i, 'frigate', 'frigate / LCS', OI.sky, 'hull', 'plane'],
  [/amphib|dock|landing/i, 'amphib', 'amphibious', OI.green, 'amphib', 'plane'],
  [/bomber/i, 'bomber', 'bomber', OI.vermillion, 'hull', 'bomber'],
  [/fighter|strike/i, 'fighter', 'fighter / strike', OI.purple, 'hull', 'fighter'],
  [/patrol|isr|surveillance|reconnaissance/i, 'patrol', 'patrol / ISR', OI.orange, 'hull', 'patrol'],
  [/tanker|transport|cargo|airlift/i, 'transport', 'tanker / transport', OI.yellow, 'hull', 'plane'],
];
function styleOf(a) {
  const civil = a.category === 'civil' || a.military === false;
  if (!civil)
    for (const [re, key, , col, ship, air] of STYLES)
      if (a.role && re.test(a.role)) return { key, col, shape: a.kind === 'aircraft' ? air : ship };
  if (civil) return { key: 'civil-' + a.kind, col: '#ffffff', shape: a.kind === 'aircraft' ? 'plane' : 'hull', civil: true };
  if (a.kind === 'sighted') return { key: 'sighted', col: OI.grey, shape: 'sighted' };
  return { key: 'other-' + a.kind, col: a.kind === 'aircraft' ? OI.sky : OI.grey, shape: a.kind === 'aircraft' ? 'plane' : 'hull' };
}
function colourOf(a) { const s = styleOf(a); return s.civil ? '#9aa3ad' : s.col; }
// Shapes drawn pointing north in a 24x24 box (rotated by course).
const SHAPES = {
  hull: 'M12 1 L16 8 L16 21 L14 23 L10 23 L8 21 L8 8 Z',
  amphib: 'M12 2 L17 7 L17 23 L7 23 L7 7 Z',
  carrier: 'M11 1 L15 3 L18 8 L18 22 L15 23 L7 23 L6 20 L6 5 Z M8 9 L15 5',
  sub: 'M12 1 C15 4 15.5 9 15.5 14 C15.5 19 14 23 12 23 C10 23 8.5 19 8.5 14 C8.5 9 9 4 12 1 Z M10.5 9 h3 v4 h-3 Z',
  plane: 'M12 1 L13.5 8 L22 13 L22 15 L13.5 12.5 L13 19 L16 21.5 L16 23 L12 22 L8 23 L8 21.5 L11 19 L10.5 12.5 L2 15 L2 13 L10.5 8 Z',
  bomber: 'M12 2 L13.5 9 L23 17 L23 19 L13.5 15 L13 20 L15.5 22.5 L12 22 L8.5 22.5 L11 20 L10.5 15 L1 19 L1 17 L10.5 9 Z',
  fighter: 'M12 1 L14 9 L21 18 L21 20 L13.5 17.5 L14.5 22 L12 21 L9.5 22 L10.5 17.5 L3 20 L3 18 L10 9 Z',
  patrol: 'M12 1 L13.2 7 L23 9 L23 11 L13.2 11.5 L12.8 19 L16.5 20.5 L16.5 22.5 L12 21.5 L7.5 22.5 L7.5 20.5 L11.2 19 L10.8 11.5 L1 11 L1 9 L10.8 7 Z',
  sighted: 'M12 3 L21 12 L12 21 L3 12 Z',
};
function iconSvg(st, deg, size) {
  const stroke = st.civil ? '#4a5560' : (st.col === OI.black ? '#ffffff' : '#111111');
  const rot = deg == null || st.shape === 'sighted' ? '' : ` transform="rotate(${Math.round(deg)} 12 12)"`;
  return `<svg viewBox="0 0 24 24" width="${size}" height="${size}" aria-hidden="true"><path d="${SHAPES[st.shape] || SHAPES.hull}"${rot} fill="${st.col}" stroke="${stroke}" stroke-width="1.3" stroke-linejoin="round"/></svg>`;
}
const EVENT_COLOURS = { enter: OI.green, leave: OI.vermillion, arrival: OI.blue, departure: OI.sky,
  approach: OI.orange, loiter: OI.purple, emergency: '#000000' };
function eventColour(t) { return EVENT_COLOURS[t] || OI.yellow; }

function esc(s) {
  return String(s == null ? '' : s).replace(/[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
function iso(ms) { return new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z'); }
function isoS(ms) { return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'); }
function apiTime(ms) { return '@' + Math.floor(ms / 1000); }
const WINDOWS = { '1d': 864e5, '3d': 3 * 864e5, '7d': 7 * 864e5, '30d': 30 * 864e5 };
function winMs() { return WINDOWS[S.window] || WINDOWS['7d']; }
function label(a) { return a.name || a.callsign || a.id || '#' + a.asset_id; }
function keyOf(a) { return a.id || String(a.asset_id); }
// A permalink's KEY is keyOf: an aircraft's hex address or a ship's MMSI.
// The database's key ("air:ae6bd1", "ship:369970634") and upper-case hex
// name the same asset.
function normKey(k) {
  const m = /^(?:air|aircraft|ship|sighted):(.+)$/i.exec(k.trim());
  const v = m ? m[1] : k.trim();
  return /^[0-9a-f]{6}$/i.test(v) ? v.toLowerCase() : v;
}
// A permalink's WINDOW: one of the Window menu's values (1d, 3d, 7d, 30d);
// a number of days ("1"), hours ("24h") or weeks ("1w") equal to one of them
// is read as it. Returns [window, note]: note says what was changed, shown
// in the page (S.urlNote) rather than a silent 7d.
function parseWindow(w) {
  if (w == null || w === '') return ['7d', ''];
  if (WINDOWS[w]) return [w, ''];
  const m = /^\s*(\d+(?:\.\d+)?)\s*(d|day|days|h|hours?|w|weeks?)?\s*$/i.exec(w);
  if (m) {
    const u = (m[2] || 'd')[0].toLowerCase();
    const days = Number(m[1]) * (u === 'h' ? 1 / 24 : u === 'w' ? 7 : 1);
    const k = days + 'd';
    if (WINDOWS[k]) return [k, `window w=${w} read as ${k}`];
  }
  return ['7d', `window w=${w} is not one of 1d, 3d, 7d, 30d: showing 7d`];
}

async function getJSON(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
  return r.json();
}

// ---- state: everything in the URL comes from here ----
const S = { asOf: 0, first: 0, last: 0, window: '7d', all: false, theatre: '', q: '', kind: '',
  category: '', role: '', country: '', conf: 0, sel: null, claim: null, playing: false, speed: 600, step: 36e5,
  days: [], simulated: 0, sources: [], fitted: false, urlNote: '' };
const data = { assets: [], shown: [], tracks: new Map(), events: [], truncated: false };
const markers = new Map(); // asset_id -> L.Marker
const trackLines = new Map(); // asset_id -> L.Polyline
const eventDots = new Map(); // event id -> L.CircleMarker

const map = L.map('map', { zoomControl: true, worldCopyJump: true, maxZoom: 18, minZoom: 2 }).setView([14, -68], 5);
// Assets above events above tracks, whatever order they are redrawn in.
map.createPane('trackPane').style.zIndex = 410;
map.createPane('eventPane').style.zIndex = 420;
map.createPane('assetPane').style.zIndex = 430;
map.createPane('claimPane').style.zIndex = 440;
const cluster = L.markerClusterGroup({ maxClusterRadius: 22, disableClusteringAtZoom: 7,
  showCoverageOnHover: false, clusterPane: 'assetPane', chunkedLoading: false });
const layers = {
  land: L.layerGroup().addTo(map),
  theatre: L.layerGroup().addTo(map),
  tracks: L.layerGroup().addTo(map),
  events: L.layerGroup().addTo(map),
  assets: cluster.addTo(map),
  claim: L.featureGroup().addTo(map),
};
const osm = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  { maxZoom: 18, attribution: '&copy; OpenStreetMap contributors' });
L.control.layers({ 'Offline (Natural Earth)': L.layerGroup(), 'OpenStreetMap tiles': osm },
  { 'Theatre': layers.theatre, 'Tracks': layers.tracks, 'Events': layers.events,
    'Assets': layers.assets, 'Claim': layers.claim }, { collapsed: true }).addTo(map);
L.control.scale({ imperial: false }).addTo(map);
const simCtl = L.control({ position: 'topright' });
simCtl.onAdd = () => { const d = L.DomUtil.create('div', 'map-sim'); d.id = 'mapsim'; d.hidden = true; return d; };
simCtl.addTo(map);

const legend = L.control({ position: 'bottomleft' });
legend.onAdd = () => {
  const d = L.DomUtil.create('details', 'legend');
  d.id = 'legend';
  // Collapsed: open, its 30 rows hid a third of the map at 1400x900.
  let h = '<summary>Legend</summary>';
  for (const [, key, name, col, ship, air] of STYLES) {
    const shape = /bomber|fighter|patrol/.test(key) ? air : ship;
    h += `<div data-key="${key}">${iconSvg({ col, shape }, 0, 18)}${esc(name)}${shape === 'plane' || /bomber|fighter|patrol/.test(key) ? ' (aircraft)' : ''}</div>`;
  }
  h += `<div data-key="other-aircraft">${iconSvg({ col: OI.sky, shape: 'plane' }, 0, 18)}other military aircraft</div>`;
  h += `<div data-key="other-ship">${iconSvg({ col: OI.grey, shape: 'hull' }, 0, 18)}other warship / government</div>`;
  h += `<div data-key="civil">${iconSvg({ col: '#ffffff', shape: 'hull', civil: true }, 0, 18)}${iconSvg({ col: '#ffffff', shape: 'plane', civil: true }, 0, 18)}civil (not order of battle)</div>`;
  h += `<div data-key="sighted">${iconSvg({ col: OI.grey, shape: 'sighted' }, 0, 18)}reported sighting</div>`;
  h += '<div class="muted">icons point along the course</div>';
  for (const [t, c] of Object.entries(EVENT_COLOURS))
    h += `<div data-key="event-${t}"><svg viewBox="0 0 18 18" aria-hidden="true"><circle cx="9" cy="9" r="4" fill="${c}" stroke="#111" stroke-width="1.2"/></svg>event: ${t}</div>`;
  h += '<div data-key="track"><svg viewBox="0 0 18 18" aria-hidden="true"><path d="M1 14 L8 6 L17 9" fill="none" stroke="#555" stroke-width="2"/></svg>track up to the time shown</div>';
  h += '<div data-key="cluster"><svg viewBox="0 0 18 18" aria-hidden="true"><circle cx="9" cy="9" r="7" fill="#b5e28c" stroke="#6ecc39" stroke-width="2"/></svg>group of assets (zoom in)</div>';
  d.innerHTML = h;
  L.DomEvent.disableClickPropagation(d);
  L.DomEvent.disableScrollPropagation(d);
  return d;
};
legend.addTo(map);

// Land in the system's light or dark colours (followed when it changes).
const darkQuery = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
function landStyle() {
  return darkQuery && darkQuery.matches
    ? { color: '#5b6670', weight: 0.6, fillColor: '#2b3238', fillOpacity: 1 }
    : { color: '#9aa5a0', weight: 0.6, fillColor: '#ece8dc', fillOpacity: 1 };
}
if (darkQuery && darkQuery.addEventListener)
  darkQuery.addEventListener('change', () => layers.land.eachLayer((l) => l.setStyle(landStyle())));

async function loadBase() {
  const style = {
    land: landStyle(),
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
// What readURL changed in the fragment (a window it did not know), shown
// until the next fragment.
function showURLNote() {
  const e = document.getElementById('urlnote');
  if (!e) return;
  e.textContent = S.urlNote || '';
  e.hidden = !S.urlNote;
}

// ---- timeline chart: stacked bars per day, sparse labels, a tooltip per bar ----
const TL_COLOURS = { 'warship': OI.blue, 'military aircraft': OI.orange, 'civil': '#9aa3ad' };
function timelineSvg(forExport) {
  const days = S.days;
  const W = 388, H = 130, left = 26, bottom = 18, top = forExport ? 20 : 8;
  const max = Math.max(1, ...days.map((d) => d.total));
  const bw = (W - left) / Math.max(1, days.length);
  const ink = forExport ? '#1d2733' : 'currentColor';
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W * (forExport ? 2 : 1)}" height="${H * (forExport ? 2 : 1)}" role="img" aria-label="assets per day, ${days.length} days">`;
  if (forExport) svg += `<rect width="${W}" height="${H}" fill="#ffffff"/>`;
  svg += `<g font-family="system-ui, sans-serif" font-size="9" fill="${ink}">`;
  if (forExport) {
    svg += `<text x="${left}" y="12" font-size="10" font-weight="bold">orbat: assets per day${S.theatre ? ' in ' + esc(S.theatre) : ''}</text>`;
    if (S.simulated) svg += `<text x="${W - 4}" y="12" font-size="10" font-weight="bold" fill="#b03a2e" text-anchor="end">SIMULATED DATA</text>`;
  }
  const ph = H - bottom - top;
  for (const v of [max, Math.round(max / 2)]) {
    const y = top + ph - ph * v / max;
    svg += `<line x1="${left}" x2="${W}" y1="${y}" y2="${y}" stroke="${ink}" stroke-opacity=".2"/><text x="${left - 3}" y="${y + 3}" text-anchor="end">${v}</text>`;
  }
  const every = Math.max(1, Math.ceil(days.length / 6));
  days.forEach((d, i) => {
    const x = left + i * bw;
    let y = top + ph;
    const cats = d.by_category || {};
    const tip = `${d.day}: ${d.total} assets` + Object.entries(cats).map(([c, n]) => `, ${c} ${n}`).join('');
    for (const [cat, n] of Object.entries(cats)) {
      const h = ph * n / max;
      y -= h;
      const cls = cat === 'warship' ? 'bar-warship' : /aircraft/.test(cat) ? 'bar-aircraft' : 'bar-other';
      svg += `<rect class="${cls}" data-day="${esc(d.day)}" x="${(x + (bw > 3 ? 0.5 : 0)).toFixed(2)}" y="${y.toFixed(2)}" width="${Math.max(0.6, bw - (bw > 3 ? 1 : 0)).toFixed(2)}" height="${h.toFixed(2)}" fill="${TL_COLOURS[cat] || OI.grey}"><title>${esc(tip)}</title></rect>`;
    }
    if (i % every === 0)
      svg += `<text x="${x + bw / 2}" y="${H - 5}" text-anchor="middle">${esc(d.day.slice(5))}</text>`;
  });
  if (!forExport && S.last > S.first) {
    const cx = left + (W - left) * (S.asOf - S.first) / (S.last - S.first);
    svg += `<line class="cur" x1="${cx}" x2="${cx}" y1="${top}" y2="${top + ph}" stroke="${OI.vermillion}" stroke-width="1.5" stroke-dasharray="3 2"/>`;
  }
  if (forExport) {
    let lx = left;
    for (const [c, col] of Object.entries(TL_COLOURS)) {
      svg += `<rect x="${lx + 150}" y="4" width="8" height="8" fill="${col}"/><text x="${lx + 161}" y="11.5">${c}</text>`;
      lx += 62;
    }
  }
  return svg + '</g></svg>';
}
function drawTimeline() {
  const box = document.getElementById('timeline');
  if (!S.days.length) { box.innerHTML = '<div class="muted">no data</div>'; return; }
  box.innerHTML = timelineSvg(false);
}

// ---- filters ----
function matches(a) {
  if (S.kind && a.kind !== S.kind) return false;
  if (S.category && a.category !== S.category) return false;
  if (S.role && a.role !== S.role) return false;
  if (S.country && a.country !== S.country) return false;
  if (S.conf && !(Number(a.confidence) >= S.conf)) return false;
  if (S.q) {
    const q = S.q.toLowerCase().replace(/\s+/g, ' ').trim();
    const hay = [a.name, a.hull, a.callsign, a.id, a.registration, a.country, a.role]
      .filter(Boolean).join(' | ').toLowerCase();
    const hayNoDash = hay.replace(/[-\s]/g, '');
    if (!hay.includes(q) && !hayNoDash.includes(q.replace(/[-\s]/g, ''))) return false;
  }
  return true;
}
function fillSelect(id, values, cur) {
  const sel = document.getElementById(id);
  const vals = [...new Set(values.filter(Boolean))].sort();
  if (cur && !vals.includes(cur)) vals.push(cur);
  const want = '<option value="">all</option>' + vals.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join('');
  if (sel.dataset.opts !== want) { sel.innerHTML = want; sel.dataset.opts = want; }
  sel.value = cur || '';
}

// ---- positions from the track cache ----
function pointsUpTo(id, t) {
  const tr = data.tracks.get(id);
  if (!tr) return [];
  const p = tr.points;
  let lo = 0, hi = p.length; // first index with time > t
  while (lo < hi) { const m = (lo + hi) >> 1; if (p[m][0] <= t) lo = m + 1; else hi = m; }
  return p.slice(0, lo);
}
function bearing(a, b) {
  const r = Math.PI / 180;
  const y = Math.sin((b[2] - a[2]) * r) * Math.cos(b[1] * r);
  const x = Math.cos(a[1] * r) * Math.sin(b[1] * r) - Math.sin(a[1] * r) * Math.cos(b[1] * r) * Math.cos((b[2] - a[2]) * r);
  return (Math.atan2(y, x) / r + 360) % 360;
}
// Where the asset is at S.asOf: its last fix at or before it (the map shows
// fixes, never interpolated positions), and its course over ground: the one
// the fix reports (/api/tracks point [t, lat, lon, alt, cog]), else the
// bearing from the fixes before it.
function fixAt(a) {
  const pts = pointsUpTo(a.asset_id, S.asOf);
  const from = S.asOf - winMs();
  const last = pts.length ? pts[pts.length - 1] : null;
  let course = null, courseFrom = null;
  if (last && typeof last[4] === 'number' && Number.isFinite(last[4])) { course = last[4]; courseFrom = 'reported'; }
  for (let i = pts.length - 2; course == null && last && i >= 0 && i >= pts.length - 30; i--) {
    const p = pts[i];
    if (Math.abs(p[1] - last[1]) + Math.abs(p[2] - last[2]) > 1e-4) { course = bearing(p, last); courseFrom = 'computed'; }
  }
  if (last && last[0] >= from) return { lat: last[1], lon: last[2], t: last[0], course, courseFrom, pts };
  if (a.lat != null) return { lat: a.lat, lon: a.lon, t: a.last_seen_ms, course, courseFrom, pts };
  return null;
}
// Whether an asset's data is simulated: the API's per-asset flag (true,
// false, or null for a mix / unknown, which counts as simulated when the
// store holds any simulation); without the flag, the whole store's.
function simOf(a) {
  if (a && a.simulated === true) return true;
  if (a && a.simulated === false) return false;
  return S.simulated > 0;
}

// ---- rendering ----
function renderOob() {
  const mil = data.shown.filter((a) => a.military !== false && a.category !== 'civil');
  const civ = data.shown.filter((a) => !(a.military !== false && a.category !== 'civil'));
  document.getElementById('total').textContent = mil.length;
  document.getElementById('ncivil').textContent = civ.length ? `+ ${civ.length} civil (not counted)` : '';
  const byCat = new Map();
  for (const a of mil) {
    if (!byCat.has(a.category)) byCat.set(a.category, []);
    byCat.get(a.category).push(a);
  }
  if (civ.length) byCat.set('civil traffic (not order of battle)', civ);
  const counts = [];
  for (const [cat, list] of byCat) if (!/^civil/.test(cat)) counts.push(`<li><strong>${list.length}</strong> ${esc(cat)}</li>`);
  const hidden = data.assets.length - data.shown.length;
  if (hidden > 0) counts.push(`<li class="muted">${hidden} more hidden by the filters</li>`);
  document.getElementById('counts').innerHTML = counts.join('');
  let html = '';
  for (const [cat, list] of byCat) {
    html += `<div class="cat" role="presentation">${esc(cat)} (${list.length})</div>`;
    for (const a of list) {
      const st = styleOf(a);
      const k = keyOf(a);
      html += `<div class="asset${S.sel === k ? ' sel' : ''}" role="button" tabindex="0" aria-pressed="${S.sel === k}" data-id="${a.asset_id}" data-key="${esc(k)}">
        <span class="ico">${iconSvg(st, 0, 20)}</span>
        <span class="name">${esc(label(a))}${a.hull ? ' <span class="muted">' + esc(a.hull) + '</span>' : ''}${simOf(a) ? ' <span class="simbadge" title="simulated data (orbat simulate), not real broadcasts">SIM</span>' : ''}</span>
        <span class="conf" title="confidence">${Number(a.confidence).toFixed(2)}</span>
        <span class="meta">${esc(a.role || 'role unknown')} &middot; ${esc(a.country)} &middot; ${esc(a.id)} &middot; ${a.observations} obs &middot; last ${esc((a.last_seen || '').slice(5, 16).replace('T', ' '))}</span>
      </div>`;
    }
  }
  const oob = document.getElementById('oob');
  const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('#oob .asset');
  const fkey = focused ? focused.dataset.key : null;
  oob.innerHTML = html || '<div class="muted">nothing in the window matches</div>';
  if (fkey) { const el = oob.querySelector(`.asset[data-key="${CSS.escape(fkey)}"]`); if (el) el.focus(); }
}

function popupHtml(a, fx) {
  return `<strong>${esc(label(a))}</strong> ${esc(a.hull)}<br>${esc(a.role || a.category)} &middot; ${esc(a.country)}<br>` +
    `${esc(a.kind)} ${esc(a.id)}<br>fix ${esc(fx && fx.t ? isoS(fx.t) : a.last_seen)}` +
    `${fx && fx.course != null ? ' &middot; course ' + Math.round(fx.course) + '&deg;' + (fx.courseFrom === 'computed' ? ' (from fixes)' : '') : ''}<br>confidence ${Number(a.confidence).toFixed(2)}` +
    `${simOf(a) ? '<br><strong class="popsim">SIMULATED DATA</strong>' : ''}`;
}

function renderAssets() {
  const keep = new Set();
  const add = [];
  for (const a of data.shown) {
    const fx = fixAt(a);
    if (!fx) continue;
    keep.add(a.asset_id);
    const st = styleOf(a);
    const sel = S.sel === keyOf(a);
    const ikey = `${st.key}|${fx.course == null ? '-' : Math.round(fx.course / 5)}|${sel}`;
    let m = markers.get(a.asset_id);
    if (!m) {
      m = L.marker([fx.lat, fx.lon], { pane: 'assetPane', keyboard: false, title: label(a) });
      m.bindTooltip(esc(label(a)), { permanent: true, direction: 'right', offset: [10, 0], className: 'lbl' });
      m.bindPopup(popupHtml(a, fx), { autoPan: false });
      m.on('click', () => selectAsset(keyOf(a), { pan: false }));
      m._orbat = {};
      markers.set(a.asset_id, m);
      add.push(m);
    } else {
      const ll = m.getLatLng();
      if (ll.lat !== fx.lat || ll.lng !== fx.lon) m.setLatLng([fx.lat, fx.lon]);
      if (m.isPopupOpen()) m.setPopupContent(popupHtml(a, fx));
      else m.getPopup().setContent(popupHtml(a, fx));
    }
    if (m._orbat.ikey !== ikey) {
      const size = a.kind === 'aircraft' ? 24 : 22;
      m.setIcon(L.divIcon({ className: 'asset-marker' + (sel ? ' sel' : ''), html: iconSvg(st, fx.course, size),
        iconSize: [size, size], iconAnchor: [size / 2, size / 2] }));
      m._orbat.ikey = ikey;
    }
    m._orbat.asset = a;
    m._orbat.fix = fx;
    const tt = m.getTooltip();
    if (tt && tt.getElement()) tt.getElement().classList.toggle('sel', sel);
    if (tt) tt.options.className = 'lbl' + (sel ? ' sel' : '');
  }
  const gone = [];
  for (const [id, m] of markers) if (!keep.has(id)) { gone.push(m); markers.delete(id); }
  if (gone.length) cluster.removeLayers(gone);
  if (add.length) cluster.addLayers(add);
}

function nearestPoint(pts, ll) {
  let best = null, bd = Infinity;
  for (const p of pts) {
    const d = (p[1] - ll.lat) ** 2 + (p[2] - ll.lng) ** 2;
    if (d < bd) { bd = d; best = p; }
  }
  return best;
}

function renderTracks() {
  const from = S.asOf - winMs();
  const keep = new Set();
  for (const a of data.shown) {
    const pts = pointsUpTo(a.asset_id, S.asOf).filter((p) => p[0] >= from);
    if (pts.length < 2) continue;
    keep.add(a.asset_id);
    const sel = S.sel === keyOf(a);
    const style = { color: colourOf(a), weight: sel ? 4 : 2, opacity: S.sel && !sel ? 0.35 : 0.85 };
    let l = trackLines.get(a.asset_id);
    const lls = pts.map((p) => [p[1], p[2]]);
    if (!l) {
      l = L.polyline(lls, Object.assign({ pane: 'trackPane', className: 'track' }, style));
      // Per-point times: the tooltip follows the pointer to the nearest fix.
      l.bindTooltip('', { sticky: true });
      l.on('mousemove', (e) => {
        const p = nearestPoint(l._orbatPts || [], e.latlng);
        if (p) l.setTooltipContent(`${esc(label(l._orbatAsset))} ${isoS(p[0])}` + (p[3] != null ? ` ${p[3]} ft` : ''));
      });
      l.addTo(layers.tracks);
      trackLines.set(a.asset_id, l);
    } else {
      l.setLatLngs(lls);
      l.setStyle(style);
    }
    l._orbatPts = pts;
    l._orbatAsset = a;
  }
  for (const [id, l] of trackLines) if (!keep.has(id)) { layers.tracks.removeLayer(l); trackLines.delete(id); }
  // The selected asset's fixes, each with its time.
  layers.fixes = layers.fixes || L.layerGroup().addTo(map);
  layers.fixes.clearLayers();
  const sa = data.shown.find((a) => keyOf(a) === S.sel);
  if (sa) {
    const pts = pointsUpTo(sa.asset_id, S.asOf).filter((p) => p[0] >= from).slice(-400);
    for (const p of pts)
      L.circleMarker([p[1], p[2]], { pane: 'trackPane', radius: 2.5, weight: 1, color: '#111', fillColor: colourOf(sa),
        fillOpacity: 1, className: 'fix' }).bindTooltip(`${esc(label(sa))} ${isoS(p[0])}`).addTo(layers.fixes);
  }
}

function eventsInView() {
  const from = S.asOf - winMs();
  const ids = new Set(data.shown.map((a) => a.asset_id));
  const filtering = S.q || S.kind || S.category || S.role || S.country || S.conf;
  return data.events.filter((e) => e.t > from && e.t <= S.asOf && e.type !== 'first_seen' &&
    (!S.theatre || e.theatre === S.theatre) &&
    (S.all || !e.asset || e.asset.category !== 'civil') &&
    (!filtering || (e.asset && ids.has(e.asset.asset_id))));
}

let lastEventSig = '';
function renderEvents() {
  const shown = eventsInView();
  const keep = new Set();
  for (const e of shown) {
    if (e.lat == null || e.lon == null) continue;
    keep.add(e.id);
    if (eventDots.has(e.id)) continue;
    const who = e.asset ? label(e.asset) : '';
    const d = L.circleMarker([e.lat, e.lon], { radius: 4, color: '#111', weight: 1.2, fillColor: eventColour(e.type),
      fillOpacity: 1, pane: 'eventPane', className: 'event-dot' })
      .bindTooltip(esc(`${e.type} ${who} ${e.time.slice(0, 16).replace('T', ' ')}Z ${e.detail || ''}`));
    d.addTo(layers.events);
    eventDots.set(e.id, d);
  }
  for (const [id, d] of eventDots) if (!keep.has(id)) { layers.events.removeLayer(d); eventDots.delete(id); }
  const sig = shown.length + ':' + (shown.length ? shown[shown.length - 1].id + ':' + shown[0].id : '');
  document.getElementById('nevents').textContent = shown.length;
  if (sig === lastEventSig) return;
  lastEventSig = sig;
  document.getElementById('events').innerHTML = shown.slice(-200).reverse().map((e) => {
    const who = e.asset ? label(e.asset) : '';
    return `<li data-id="${Number(e.id)}"><span class="t">${esc(e.time.slice(5, 16).replace('T', ' '))}</span><span class="etype" style="border-left:4px solid ${eventColour(e.type)};padding-left:3px">${esc(e.type)}</span> ${esc(who)} <span class="muted">${esc(e.theatre)} ${esc(e.detail)}</span></li>`;
  }).join('') || '<li class="muted">no events in the window</li>';
}

function renderSimulated() {
  const on = S.simulated > 0;
  const text = on ? `SIMULATED DATA \u2014 not real broadcasts (${S.simulated} simulated source${S.simulated > 1 ? 's' : ''})` : '';
  const sim = document.getElementById('simulated');
  sim.hidden = !on;
  sim.textContent = on ? 'SIMULATED DATA \u2014 not real broadcasts' : '';
  const ms = document.getElementById('mapsim');
  if (ms) { ms.hidden = !on; ms.textContent = on ? 'SIMULATED DATA' : ''; ms.title = text; }
  document.getElementById('datasources').hidden = !S.sources.length;
  document.getElementById('datasrc').textContent = S.sources.join('; ');
}

// Everything drawn from what is already loaded (no request): cheap enough
// for every replay tick.
function render() {
  data.shown = data.assets.filter(matches);
  document.getElementById('asof').textContent = iso(S.asOf).replace('T', ' ');
  const slider = document.getElementById('slider');
  if (Number(slider.value) !== S.asOf) slider.value = S.asOf;
  renderOob();
  renderAssets();
  renderTracks();
  renderEvents();
  drawTimeline();
  renderSimulated();
  map.getContainer().classList.toggle('lowzoom', map.getZoom() < 7);
  writeURL();
}

let seq = 0, inflight = null;
// The order of battle as of S.asOf from the API, then render().
async function refresh() {
  const my = ++seq;
  const q = `as_of=${encodeURIComponent(apiTime(S.asOf))}&window=${S.window}&all=1${S.theatre ? '&theatre=' + encodeURIComponent(S.theatre) : ''}`;
  const p = getJSON('api/assets?' + q);
  inflight = p;
  // Over the API's point cap the whole range does not fit: then the tracks
  // of the window only, asked again at each refresh.
  const tp = data.truncated ? getJSON('api/tracks?' + q).catch(() => null) : null;
  try {
    const res = await p;
    const tr = tp ? await tp : null;
    if (my !== seq) return;
    if (tr) {
      data.tracks.clear();
      for (const t of tr.tracks) data.tracks.set(t.asset_id, t);
    }
    data.assets = res.assets.filter((a) => S.all || (a.military !== false && a.category !== 'civil'));
    data.allAssets = res.assets;
    S.simulated = res.simulated_sources || 0;
    S.sources = res.data_sources || [];
    fillSelect('f-category', res.assets.map((a) => a.category), S.category);
    fillSelect('f-role', res.assets.map((a) => a.role), S.role);
    fillSelect('f-country', res.assets.map((a) => a.country), S.country);
    render();
    const mil = data.shown.filter((a) => a.military !== false && a.category !== 'civil').length;
    setStatus(`${mil} in the order of battle${data.shown.length > mil ? ` (+${data.shown.length - mil} civil)` : ''}, window ${res.from.slice(0, 16)} to ${res.as_of.slice(0, 16)}` +
      (data.truncated ? '; tracks of the window only (too many points for the whole range)' : ''));
    if (!S.fitted && markers.size) {
      // First view: the theatre where assets are inside it (outliers such
      // as aircraft on their way stay reachable by panning), else all.
      S.fitted = true;
      const all = L.latLngBounds([...markers.values()].map((m) => m.getLatLng()));
      let th = null;
      layers.theatre.eachLayer((l) => { if (l.getBounds && !th) th = l.getBounds(); });
      const inside = th ? [...markers.values()].filter((m) => th.contains(m.getLatLng())).length : 0;
      map.fitBounds(inside >= markers.size / 2 ? th.pad(0.05) : all.pad(0.3), { maxZoom: 7 });
    }
    if (S.sel) updateAssetPage();
  } catch (e) {
    if (my === seq) setStatus('error: ' + e.message);
  } finally {
    if (inflight === p) inflight = null;
  }
}

// The whole range's tracks and events, once: the replay draws from them.
async function loadRange() {
  const q = `from=${encodeURIComponent(apiTime(S.first - 30 * 864e5))}&to=${encodeURIComponent(apiTime(S.last + 1000))}`;
  const [tr, ev] = await Promise.all([getJSON('api/tracks?all=1&' + q).catch(() => null),
    getJSON('api/events?' + q).catch(() => null)]);
  data.tracks.clear();
  if (tr) {
    for (const t of tr.tracks) data.tracks.set(t.asset_id, t);
    data.truncated = !!tr.truncated;
  }
  data.events = ev ? ev.events.map((e) => Object.assign(e, { t: Date.parse(e.time) })) : [];
  const th = new Set(data.events.map((e) => e.theatre).filter(Boolean));
  fillSelect('f-theatre', [...th], S.theatre);
}

// ---- the asset page ----
let evTimer = null, evShown = '';
function updateAssetPage() {
  clearTimeout(evTimer);
  evTimer = setTimeout(() => loadAssetPage(false), S.playing ? 1500 : 200);
}
function outsideLinks(a) {
  const links = [];
  const day = new Date(S.asOf).toISOString().slice(0, 10);
  if (a.kind === 'aircraft' && /^[0-9a-f]{6}$/i.test(a.id)) {
    links.push([`https://globe.adsbexchange.com/?icao=${a.id}&showTrace=${day}`, 'ADS-B Exchange globe']);
    links.push([`https://globe.adsb.lol/?icao=${a.id}&showTrace=${day}`, 'adsb.lol globe']);
  }
  if (a.kind === 'ship' && /^\d{9}$/.test(a.id)) {
    links.push([`https://www.marinetraffic.com/en/ais/details/ships/mmsi:${a.id}`, 'MarineTraffic']);
    links.push([`https://www.vesselfinder.com/vessels/details/${a.id}`, 'VesselFinder']);
  }
  if (typeof a.source_url === 'string' && /^https?:\/\//.test(a.source_url))
    links.push([a.source_url, 'registry source' + (a.registry ? ` (${a.registry})` : '')]);
  return links.map(([u, n]) => `<a href="${esc(u)}" target="_blank" rel="noopener noreferrer">${esc(n)}</a>`).join(' ');
}
async function loadAssetPage(scroll) {
  const key = S.sel;
  if (!key) return;
  const a = (data.allAssets || []).find((x) => keyOf(x) === key) || data.assets.find((x) => keyOf(x) === key);
  const sec = document.getElementById('evidence');
  const body = document.getElementById('evbody');
  sec.hidden = false;
  document.getElementById('permalink').href = location.hash || '#';
  if (scroll) sec.scrollIntoView({ block: 'start' });
  if (!a) {
    // Known (it has a track somewhere in the range) but not in this window,
    // or no asset at all: say which, and what a KEY is.
    const known = [...data.tracks.values()].some((t) => keyOf(t) === key);
    body.innerHTML = known
      ? `<div class="muted">${esc(key)} is not seen in the ${esc(S.window)} window up to ${esc(iso(S.asOf))}</div>`
      : `<div class="muted" id="nokey">no asset ${esc(key)}: a permalink's KEY is the asset's id, an aircraft's hex address (ae6bd1) or a ship's MMSI (369970634)</div>`;
    evShown = '';
    return;
  }
  const want = key + '@' + S.asOf;
  if (want === evShown) return;
  if (!body.textContent) body.innerHTML = '<div class="muted">loading evidence...</div>';
  let ev;
  try {
    ev = await getJSON(`api/assets/${a.asset_id}?to=${encodeURIComponent(apiTime(S.asOf))}`);
  } catch (e) {
    body.innerHTML = `<div class="muted">${esc(e.message)}</div>`;
    return;
  }
  if (S.sel !== key) return;
  evShown = want;
  const d = ev.assets[0];
  // Evidence as of the time shown: nothing after it (also if the server
  // sent more).
  const obs = (d.observations || []).filter((o) => Date.parse(o.time) <= S.asOf);
  const reasons = Array.isArray(d.reasons)
    ? d.reasons.map((r) => (r.rule ? r.rule + ': ' : '') + (r.evidence || ''))
    : (d.reasons || '').split(/; (?=[A-Z][A-Z0-9_.]*:)/).filter(Boolean);
  const fx = fixAt(a);
  const pts = fx ? fx.pts.filter((p) => p[0] >= S.asOf - winMs()) : [];
  const evs = data.events.filter((e) => e.asset && e.asset.asset_id === a.asset_id && e.t <= S.asOf).slice(-20).reverse();
  // The asset's own label (the evidence answer's, else the list's).
  const sim = ev.simulated === true || (ev.simulated !== false && simOf(a));
  let h = sim ? '<div class="simulated">SIMULATED DATA</div>' : '';
  h += `<div class="ident"><strong>${esc(d.name || d.id)}</strong> ${esc(d.hull)} &middot; ${esc(d.kind)} <code>${esc(d.id)}</code>${d.callsign ? ' &middot; callsign ' + esc(d.callsign) : ''}<br>
    ${esc(d.category)} / ${esc(d.role || 'role unknown')} &middot; ${esc(d.country)} &middot; confidence ${Number(d.confidence).toFixed(2)}<br>
    <span class="muted">first seen ${esc(d.first_seen)} &middot; last seen ${esc(d.last_seen)}</span></div>`;
  const links = outsideLinks(Object.assign({}, d, { source_url: ev.source_url || a.source_url,
    registry: ev.registry || a.registry }));
  if (links) h += `<div class="links">${links}</div>`;
  h += `<div class="muted">why: </div><ul class="reasons">${reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>`;
  if (d.identified_from)
    h += `<div class="muted">identified from ${esc(d.identified_from.source)} @${d.identified_from.offset}: <code>${esc(d.identified_from.raw)}</code></div>`;
  h += `<p class="muted">track: ${pts.length} fixes in the window${pts.length ? `, ${esc(isoS(pts[0][0]))} to ${esc(isoS(pts[pts.length - 1][0]))}` : ''}${fx && fx.course != null ? `, course ${Math.round(fx.course)}&deg; (${fx.courseFrom === 'reported' ? 'reported' : 'from fixes'})` : ''}</p>`;
  if (evs.length)
    h += `<div class="muted">events up to ${esc(iso(S.asOf))}:</div><ul class="reasons">${evs.map((e) => `<li>${esc(e.time.slice(5, 16).replace('T', ' '))} ${esc(e.type)} ${esc(e.detail)}</li>`).join('')}</ul>`;
  h += `<table><colgroup><col class="when"><col></colgroup><tr><td colspan="2" class="head"><strong>${obs.length}</strong> observations up to ${esc(iso(S.asOf))} (latest 25), each with its raw message</td></tr>`;
  for (const o of obs.slice(-25).reverse())
    h += `<tr><td>${esc(o.time.slice(5, 19).replace('T', ' '))}<br>${Number(o.lat).toFixed(3)}, ${Number(o.lon).toFixed(3)}</td><td><code>${esc(o.raw || '')}</code><br><span class="muted">${esc(o.source || '')}${o.offset != null ? ' @' + o.offset : ''}</span></td></tr>`;
  h += '</table>';
  body.innerHTML = h;
  body.dataset.asof = String(S.asOf);
}

function selectAsset(key, opt) {
  const o = Object.assign({ pan: true, scroll: true }, opt);
  S.sel = key;
  evShown = '';
  document.getElementById('evbody').innerHTML = '';
  render();
  loadAssetPage(o.scroll);
  const a = data.shown.find((x) => keyOf(x) === key);
  const m = a && markers.get(a.asset_id);
  if (!m) return;
  // The cluster layer adds a marker only once it is in view and unclustered:
  // zoomToShowLayer waits for that when the marker is not on the map yet.
  // zoomToShowLayer does not always call back (a cluster that needs no
  // zoom change, an animation cut short by a refresh): after 1.5 s the
  // popup opens on its own at the marker's position, so a selection always
  // shows one.
  const standalone = () => {
    const p = m.getPopup();
    if (!p || S.sel !== key) return;
    L.popup({ autoPan: false }).setLatLng(m.getLatLng()).setContent(p.getContent()).openOn(map);
  };
  const popup = () => {
    if (S.sel !== key) return;
    if (m._map) { m.openPopup(); return; }
    if (!cluster.hasLayer(m)) { standalone(); return; }
    let done = false;
    cluster.zoomToShowLayer(m, () => { done = true; if (S.sel === key) m.openPopup(); });
    setTimeout(() => {
      if (done || S.sel !== key) return;
      if (m._map) m.openPopup();
      else standalone();
    }, 1500);
  };
  if (o.pan) {
    map.setView(m.getLatLng(), Math.max(map.getZoom(), 7), { animate: false });
    setTimeout(popup, 60);
  } else popup();
}

// ---- the URL: #/asset/KEY?t=...&w=...&q=...&map=lat,lon,zoom ----
let urlTimer = null;
function urlOf() {
  const p = new URLSearchParams();
  p.set('t', isoS(S.asOf));
  if (S.window !== '7d') p.set('w', S.window);
  if (S.all) p.set('all', '1');
  for (const [k, v] of [['q', S.q], ['kind', S.kind], ['cat', S.category], ['role', S.role],
    ['country', S.country], ['th', S.theatre]]) if (v) p.set(k, v);
  if (S.conf) p.set('conf', String(S.conf));
  if (S.speed !== 600) p.set('speed', String(S.speed));
  if (S.claim) p.set('claim', String(S.claim));
  if (S.playing) p.set('play', '1');
  const c = map.getCenter();
  p.set('map', `${c.lat.toFixed(4)},${c.lng.toFixed(4)},${map.getZoom()}`);
  return '#/' + (S.sel ? 'asset/' + encodeURIComponent(S.sel) : '') + '?' + p.toString();
}
function writeURL() {
  if (urlTimer) return; // throttled, not debounced: the replay renders every 100 ms
  urlTimer = setTimeout(() => {
    urlTimer = null;
    const u = urlOf();
    if (location.hash !== u) history.replaceState(null, '', u);
    const pl = document.getElementById('permalink');
    if (pl) pl.href = u;
  }, S.playing ? 500 : 50);
}
// Reads the fragment into S; returns the map view it asks for, if any.
function readURL() {
  const h = decodeURIComponent(location.hash.replace(/^#/, '').split('?')[0] || '');
  const p = new URLSearchParams(location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?') + 1) : '');
  const m = /^\/?asset\/(.+)$/.exec(h);
  S.sel = m ? normKey(m[1]) : null;
  const t = p.get('t') ? Date.parse(p.get('t')) : NaN;
  if (Number.isFinite(t)) S.asOf = Math.min(S.last, Math.max(S.first, t));
  [S.window, S.urlNote] = parseWindow(p.get('w'));
  showURLNote();
  S.all = p.get('all') === '1';
  S.q = p.get('q') || '';
  S.kind = p.get('kind') || '';
  S.category = p.get('cat') || '';
  S.role = p.get('role') || '';
  S.country = p.get('country') || '';
  S.theatre = p.get('th') || '';
  S.conf = Number(p.get('conf')) || 0;
  S.speed = Number(p.get('speed')) || 600;
  S.claim = /^\d+$/.test(p.get('claim') || '') ? Number(p.get('claim')) : null;
  S.wantPlay = p.get('play') === '1';
  const mv = (p.get('map') || '').split(',').map(Number);
  return mv.length === 3 && mv.every(Number.isFinite) ? mv : null;
}
function syncControls() {
  document.getElementById('window').value = S.window;
  document.getElementById('all').checked = S.all;
  document.getElementById('q').value = S.q;
  document.getElementById('f-kind').value = S.kind;
  document.getElementById('f-conf').value = String(S.conf);
  document.getElementById('speed').value = String(S.speed);
  for (const [id, v] of [['f-category', S.category], ['f-role', S.role], ['f-country', S.country], ['f-theatre', S.theatre]])
    fillSelect(id, [...document.getElementById(id).options].map((o) => o.value), v);
}

// ---- replay ----
let playTimer = null, lastTick = 0, lastFetch = 0;
function setPlaying(on) {
  S.playing = on;
  const b = document.getElementById('play');
  b.classList.toggle('on', on);
  b.innerHTML = on ? '&#10074;&#10074;' : '&#9654;';
  b.title = on ? 'pause' : 'play';
  b.setAttribute('aria-label', b.title);
  clearInterval(playTimer);
  writeURL();
  if (!on) { refresh(); return; }
  if (S.asOf >= S.last) S.asOf = S.first;
  lastTick = performance.now();
  playTimer = setInterval(() => {
    const now = performance.now();
    S.asOf = Math.min(S.last, S.asOf + (now - lastTick) * S.speed);
    lastTick = now;
    render(); // positions, tracks and events from the loaded range
    if (!inflight && now - lastFetch > 400) { lastFetch = now; refresh(); } // the list
    if (S.asOf >= S.last) setPlaying(false);
  }, 100);
}
function stepBy(dir) {
  S.asOf = Math.min(S.last, Math.max(S.first, S.asOf + dir * S.step));
  render();
  refresh();
}

// ---- downloads of the current view, made in the page ----
function stamp() { return iso(S.asOf).replace(/[-:]/g, '').replace('T', '-').replace('Z', 'Z'); }
function fileBase() { return `orbat-${stamp()}${S.simulated ? '-SIMULATED' : ''}`; }
function save(name, type, content) {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}
function viewRows() {
  return data.shown.map((a) => ({ a, fx: fixAt(a) }));
}
const SIM_NOTE = 'SIMULATED DATA - not real broadcasts';
function csvCell(v) {
  const s = String(v == null ? '' : v);
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
function exportCSV() {
  const cols = ['key', 'asset_id', 'kind', 'name', 'callsign', 'hull', 'country', 'category', 'role',
    'military', 'confidence', 'first_seen', 'last_seen', 'fix_time', 'lat', 'lon', 'course_deg', 'as_of', 'data'];
  const lines = [cols.join(',')];
  for (const { a, fx } of viewRows())
    lines.push([keyOf(a), a.asset_id, a.kind, a.name, a.callsign, a.hull, a.country, a.category, a.role,
      a.military !== false && a.category !== 'civil', Number(a.confidence).toFixed(2), a.first_seen, a.last_seen,
      fx && fx.t ? isoS(fx.t) : '', fx ? fx.lat.toFixed(5) : '', fx ? fx.lon.toFixed(5) : '',
      fx && fx.course != null ? Math.round(fx.course) : '', isoS(S.asOf), simOf(a) ? 'SIMULATED' : 'broadcast'].map(csvCell).join(','));
  save(fileBase() + '.csv', 'text/csv', lines.join('\r\n') + '\r\n');
}
function geojsonOf() {
  const from = S.asOf - winMs();
  const features = [];
  for (const { a, fx } of viewRows()) {
    const props = { key: keyOf(a), asset_id: a.asset_id, kind: a.kind, name: a.name, callsign: a.callsign,
      hull: a.hull, country: a.country, category: a.category, role: a.role, confidence: Number(a.confidence),
      military: a.military !== false && a.category !== 'civil', last_seen: a.last_seen, simulated: simOf(a) };
    if (!fx) continue;
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [fx.lon, fx.lat] },
      properties: Object.assign({ feature: 'position', fix_time: fx.t ? isoS(fx.t) : null, course_deg: fx.course }, props) });
    const pts = fx.pts.filter((p) => p[0] >= from);
    if (pts.length >= 2)
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: pts.map((p) => [p[2], p[1]]) },
        properties: Object.assign({ feature: 'track', times: pts.map((p) => isoS(p[0])) }, props) });
  }
  for (const e of eventsInView())
    if (e.lat != null)
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [e.lon, e.lat] },
        properties: { feature: 'event', type: e.type, time: e.time, detail: e.detail, theatre: e.theatre,
          asset: e.asset ? keyOf(e.asset) : null, simulated: !!(S.simulated || e.simulated) } });
  const fc = { type: 'FeatureCollection', as_of: isoS(S.asOf), window: S.window, view: location.href,
    simulated: !!S.simulated, features };
  if (S.simulated) fc.notice = SIM_NOTE;
  return fc;
}
function exportGeoJSON() { save(fileBase() + '.geojson', 'application/geo+json', JSON.stringify(geojsonOf(), null, 1)); }
function xml(s) { return esc(s); }
function exportKML() {
  const from = S.asOf - winMs();
  const title = `orbat as of ${iso(S.asOf)}${S.simulated ? ' - ' + SIM_NOTE : ''}`;
  let k = `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n<name>${xml(title)}</name>\n`;
  if (S.simulated) k += `<description>${xml(SIM_NOTE)}</description>\n`;
  for (const { a, fx } of viewRows()) {
    if (!fx) continue;
    const desc = `${a.kind} ${keyOf(a)} ${a.hull || ''} ${a.category}/${a.role || ''} ${a.country}; confidence ${Number(a.confidence).toFixed(2)}; fix ${fx.t ? isoS(fx.t) : ''}${simOf(a) ? '; ' + SIM_NOTE : ''}`;
    k += `<Placemark><name>${xml(label(a))}</name><description>${xml(desc)}</description>` +
      `<Point><coordinates>${fx.lon},${fx.lat}</coordinates></Point></Placemark>\n`;
    const pts = fx.pts.filter((p) => p[0] >= from);
    if (pts.length >= 2)
      k += `<Placemark><name>${xml(label(a) + ' track')}</name><LineString><coordinates>${pts.map((p) => `${p[2]},${p[1]}`).join(' ')}</coordinates></LineString></Placemark>\n`;
  }
  k += '</Document>\n</kml>\n';
  save(fileBase() + '.kml', 'application/vnd.google-earth.kml+xml', k);
}
function exportSVG() { save(fileBase() + '-timeline.svg', 'image/svg+xml', timelineSvg(true)); }
function exportPNG() {
  const svg = timelineSvg(true);
  const img = new Image();
  img.onload = () => {
    const c = document.createElement('canvas');
    c.width = img.width || 776;
    c.height = img.height || 260;
    const g = c.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, c.width, c.height);
    g.drawImage(img, 0, 0, c.width, c.height);
    c.toBlob((b) => save(fileBase() + '-timeline.png', 'image/png', b), 'image/png');
  };
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
}
// ---- claims (docs/claims.md) ----

const VERDICT_COLOURS = { 'supported': '#1e8449', 'contradicted': '#c0392b',
  'partly supported': '#9c640c', 'no public data': '#5d6d7e' };

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
    return `<li class="claim" tabindex="0" data-id="${Number(c.id)}">${verdictBadge(c.verdict)}<span class="etype">${esc(c.kind)}</span>
      <span class="ctext">${esc(c.text || c.spec)}</span>
      <span class="meta">${esc(c.claim)}${c.claimant ? ' &middot; ' + esc(c.claimant) : ''} &middot; measured: <span class="measured">${esc(m || '-')}</span></span></li>`;
  }).join('') || '<li class="muted">no claims in the store (orbat claim add / import)</li>';
  ul.querySelectorAll('li.claim').forEach((el) => {
    el.addEventListener('click', () => selectClaim(Number(el.dataset.id)));
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); selectClaim(Number(el.dataset.id)); }
    });
  });
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
  S.claim = id;
  writeURL();
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
    S.days = tl.days || [];
    S.simulated = tl.simulated_sources || 0;
  } catch (e) { setStatus('error: ' + e.message); }
  const oob = await getJSON('api/oob').catch(() => null);
  const now = oob ? Date.parse(oob.as_of) : Date.now();
  S.first = S.days.length ? Date.parse(S.days[0].day + 'T00:00:00Z') : now - 7 * 864e5;
  S.last = Math.max(now, S.first + 3600000);
  S.asOf = S.last;
  slider.min = S.first;
  slider.max = S.last;
  const view = readURL();
  await loadRange();
  syncControls();
  if (view) { map.setView([view[0], view[1]], view[2], { animate: false }); S.fitted = true; }
  slider.value = S.asOf;
  let timer = null;
  slider.addEventListener('input', () => {
    S.asOf = Number(slider.value);
    render();
    clearTimeout(timer);
    timer = setTimeout(refresh, 120);
  });
  const on = (id, ev, f) => document.getElementById(id).addEventListener(ev, f);
  on('window', 'change', (e) => { S.window = e.target.value; S.urlNote = ''; showURLNote(); refresh(); });
  on('all', 'change', (e) => { S.all = e.target.checked; refresh(); });
  on('f-theatre', 'change', (e) => { S.theatre = e.target.value; refresh(); });
  let qTimer = null;
  on('q', 'input', (e) => { clearTimeout(qTimer); qTimer = setTimeout(() => { S.q = e.target.value; render(); }, 150); });
  for (const [id, k] of [['f-kind', 'kind'], ['f-category', 'category'], ['f-role', 'role'], ['f-country', 'country']])
    on(id, 'change', (e) => { S[k] = e.target.value; render(); });
  on('f-conf', 'change', (e) => { S.conf = Number(e.target.value) || 0; render(); });
  on('clearf', 'click', () => {
    Object.assign(S, { q: '', kind: '', category: '', role: '', country: '', conf: 0, theatre: '' });
    syncControls();
    refresh();
  });
  on('play', 'click', () => setPlaying(!S.playing));
  on('stepback', 'click', () => stepBy(-1));
  on('stepfwd', 'click', () => stepBy(1));
  on('speed', 'change', (e) => { S.speed = Number(e.target.value) || 1; writeURL(); });
  on('step', 'change', (e) => { S.step = Number(e.target.value) || 36e5; });
  on('dl-csv', 'click', exportCSV);
  on('dl-geojson', 'click', exportGeoJSON);
  on('dl-kml', 'click', exportKML);
  on('dl-svg', 'click', exportSVG);
  on('dl-png', 'click', exportPNG);
  const oobEl = document.getElementById('oob');
  oobEl.addEventListener('click', (e) => {
    const el = e.target.closest('.asset');
    if (el) selectAsset(el.dataset.key);
  });
  oobEl.addEventListener('keydown', (e) => {
    const el = e.target.closest('.asset');
    if (!el) return;
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); selectAsset(el.dataset.key); }
    else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const all = [...oobEl.querySelectorAll('.asset')];
      const i = all.indexOf(el) + (e.key === 'ArrowDown' ? 1 : -1);
      if (all[i]) all[i].focus();
    }
  });
  document.getElementById('timeline').addEventListener('click', (e) => {
    const d = e.target.closest('rect[data-day]');
    if (!d) return;
    S.asOf = Math.min(S.last, Date.parse(d.dataset.day + 'T23:59:59Z'));
    render();
    refresh();
  });
  on('closeev', 'click', () => {
    document.getElementById('evidence').hidden = true;
    S.sel = null;
    map.closePopup();
    render();
  });
  on('closeclaim', 'click', () => {
    document.getElementById('claimev').hidden = true;
    S.claim = null;
    writeURL();
    layers.claim.clearLayers();
    document.querySelectorAll('#claims li.claim').forEach((el) => el.classList.remove('sel'));
  });
  map.on('moveend zoomend', () => {
    map.getContainer().classList.toggle('lowzoom', map.getZoom() < 7);
    writeURL();
  });
  window.addEventListener('hashchange', () => {
    if (location.hash === urlOf()) return;
    const wasClaim = document.getElementById('claimev').hidden ? null : S.claim;
    const v = readURL();
    syncControls();
    if (v) map.setView([v[0], v[1]], v[2], { animate: false });
    refresh().then(() => { if (S.sel) selectAsset(S.sel, { pan: !v }); });
    if (S.claim && S.claim !== wasClaim) selectClaim(S.claim);
    else if (!S.claim && wasClaim) document.getElementById('closeclaim').click();
    if (S.wantPlay !== S.playing) setPlaying(S.wantPlay);
  });
  await Promise.all([refresh(), loadClaims()]);
  if (S.sel) {
    loadAssetPage(true);
    if (!view) selectAsset(S.sel);
    else {
      const a = data.shown.find((x) => keyOf(x) === S.sel);
      const m = a && markers.get(a.asset_id);
      if (m && m._map) m.openPopup();
    }
  }
  // A claim and the replay state from the URL (after the view: the claim
  // fits the map to its geometry unless the URL gives the map position).
  if (S.claim) {
    const keepView = view ? map.getCenter() : null, keepZoom = map.getZoom();
    await selectClaim(S.claim);
    if (keepView) map.setView(keepView, keepZoom, { animate: false });
  }
  if (S.wantPlay) setPlaying(true);
  document.body.dataset.ready = '1';
}

// For the browser test and the console: the current view, read-only.
window.orbat = {
  state: S,
  shown: () => data.shown.map((a) => ({ key: keyOf(a), asset_id: a.asset_id, name: a.name, hull: a.hull })),
  position: (key) => {
    const a = data.shown.find((x) => keyOf(x) === key);
    const m = a && markers.get(a.asset_id);
    if (!m) return null;
    const ll = m.getLatLng();
    return { lat: ll.lat, lon: ll.lng, t: m._orbat.fix ? m._orbat.fix.t : null, course: m._orbat.fix ? m._orbat.fix.course : null };
  },
  trackEnd: (key) => {
    const a = data.shown.find((x) => keyOf(x) === key);
    const l = a && trackLines.get(a.asset_id);
    if (!l) return null;
    const ll = l.getLatLngs();
    return { lat: ll[ll.length - 1].lat, lon: ll[ll.length - 1].lng, n: ll.length };
  },
  chart: (days) => { const keep = S.days; S.days = days; const svg = timelineSvg(false); S.days = keep; return svg; },
  setTime: (ms) => { S.asOf = Math.min(S.last, Math.max(S.first, ms)); render(); return refresh(); },
};

main();
