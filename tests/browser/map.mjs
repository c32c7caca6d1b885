// SPDX-License-Identifier: BSD-2-Clause
//
// map.mjs - browser test of orbat's web map: a real headless Chromium
// (playwright-core, executablePath /usr/bin/chromium) loads the page from
// the test server given as argv[2], checks the asset markers, the order of
// battle panel, the timeline chart and the time slider, opens an asset's
// evidence, checks the claims panel (verdicts, measured values) and the
// geometry a claim draws into its own Leaflet pane, and saves screenshots
// into argv[3]. Prints "ok - ..." / "not ok - ..." lines.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.argv[2];
const artifacts = process.argv[3] || 'tests/artifacts';
let failed = 0;
function check(cond, what) {
  console.log(`${cond ? 'ok' : 'not ok'} - ${what}`);
  if (!cond) failed++;
}

const profile = mkdtempSync(join(tmpdir(), 'orbat-chromium-'));
// A fresh profile directory (playwright passes it as --user-data-dir).
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 860 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const external = [];
  page.on('request', (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
  await page.goto(base + '/', { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
  const markers = await page.locator('.asset-marker').count();
  const total = Number(await page.textContent('#total'));
  check(total > 0, `order of battle lists ${total} assets`);
  check(markers > 0 && markers <= total, `${markers} asset markers on the map`);
  const rows = await page.locator('#oob .asset').count();
  check(rows === total, `panel has one row per asset (${rows})`);
  const sim = await page.$eval('#simulated', (e) => (e.hidden ? '' : e.textContent));
  check(/SIMULATED DATA/.test(sim), `simulated fixture labelled in the page ("${sim}")`);
  const dsrc = await page.$eval('#datasources', (e) => (e.hidden ? '' : e.textContent));
  check(/SIMULATION: written by orbat simulate/.test(dsrc),
    `the stored sources' attribution lines are in the page footer ("${dsrc.trim()}")`);
  const bars = await page.locator('#timeline rect').count();
  check(bars > 0, `timeline chart has ${bars} bars`);
  const land = await page.locator('.leaflet-overlay-pane path').count();  // base layer + theatre
  check(land > 10, `offline base layer drawn (${land} paths)`);
  check(external.length === 0, `no request leaves the server (${external.slice(0, 3).join(' ')})`);
  await page.screenshot({ path: join(artifacts, 'map.png') });

  // Slider to the start: fewer (or equal) assets in a 1-day window.
  const slider = page.locator('#slider');
  const min = await slider.getAttribute('min');
  const asof0 = await page.textContent('#asof');
  await page.selectOption('#window', '1d');
  await slider.evaluate((el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }, min);
  await page.waitForFunction((a) => document.querySelector('#asof').textContent !== a, asof0);
  await page.waitForTimeout(800);
  const asof1 = await page.textContent('#asof');
  const total1 = Number(await page.textContent('#total'));
  check(asof1 !== asof0, `slider moves the as-of time (${asof0} -> ${asof1})`);
  check(total1 <= total, `earlier 1-day window lists ${total1} <= ${total} assets`);

  // Back to the end, select the first asset: evidence with raw messages.
  const max = await slider.getAttribute('max');
  await page.selectOption('#window', '7d');
  await slider.evaluate((el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }, max);
  await page.waitForTimeout(800);
  await page.locator('#oob .asset').first().click();
  await page.waitForSelector('#evbody table', { timeout: 10000 });
  const ev = await page.textContent('#evbody');
  check(/observations/.test(ev) && /AIVDM|\*[0-9A-F]{2}|MSG/.test(ev), 'evidence shows observations with raw messages');
  await page.screenshot({ path: join(artifacts, 'map-evidence.png') });

  // Claims panel: the fixture (tests/integration/browser.sh) holds the five
  // claims of data/claims/caribbean-2025.csv, an incident and a claim about
  // an asset never seen: one row each, every verdict colour-coded.
  const claimPane = '.leaflet-claim-pane path'; // map.createPane('claimPane')
  const claimRows = page.locator('#claims li.claim');
  const nclaims = await claimRows.count();
  check(nclaims === 7 && Number(await page.textContent('#nclaims')) === 7,
    `claims panel lists the 7 fixture claims (${nclaims})`);
  const verdicts = await page.$$eval('#claims li.claim .verdict', (l) => l.map((e) => e.className + '|' + e.textContent));
  for (const v of ['supported', 'contradicted', 'partly supported', 'no public data']) {
    const cls = 'v-' + v.replace(/ /g, '-');
    const hit = verdicts.filter((x) => x.split('|')[1] === v && x.includes(cls));
    check(hit.length > 0, `a claim shows the verdict "${v}" (class ${cls})`);
  }
  const colours = await page.$$eval('#claims li.claim .verdict', (l) =>
    [...new Set(l.map((e) => getComputedStyle(e).backgroundColor))]);
  check(colours.length === 4, `four verdict colours (${colours.join(' ')})`);
  const within = claimRows.filter({ hasText: 'within 6 nmi' });
  const withinText = await within.textContent();
  check(/supported/.test(withinText) && /closest approach 5\.1 nm/.test(withinText),
    `"within 6 nmi" claim: supported, measured value shown (${withinText.replace(/\s+/g, ' ').trim().slice(0, 120)})`);
  check(await page.locator(claimPane).count() === 0, 'no claim geometry before a claim is clicked');

  // Distance claim: the fix pair, the line between them, the line from the
  // closest point to the coast and its end point, in the claim pane.
  await within.click();
  await page.waitForSelector('#claimbody table', { timeout: 10000 });
  await page.waitForTimeout(500);
  const dPaths = await page.locator(claimPane).count();
  check(dPaths === 5, `distance claim draws 5 shapes in the claim pane (${dPaths}: fix pair, 2 lines, reference point)`);
  const strokes = await page.$$eval(claimPane, (l) => [...new Set(l.map((e) => e.getAttribute('stroke')))]);
  check(strokes.length === 1 && strokes[0] === '#1e8449', `its geometry has the verdict's colour (${strokes.join(' ')})`);
  const lines = await page.$$eval(claimPane, (l) => l.filter((e) => !/a/.test(e.getAttribute('d') || '')).length);
  check(lines === 2, `two lines among them (fix pair, closest approach): ${lines}`);
  const dBody = await page.textContent('#claimbody');
  check(/fix pair/.test(dBody) && (dBody.match(/MSG,3/g) || []).length === 2 && /AE6BD1/.test(dBody),
    'distance claim: evidence rows with both raw messages of the fix pair');
  check(/margin: \+0\.8\d nm/.test(dBody), `distance claim: margin shown (${(dBody.match(/margin:[^\n]*?nm/) || [''])[0]})`);
  await page.screenshot({ path: join(artifacts, 'map-claim.png') });

  // Incident: the circle of its uncertainty and the assets seen inside it.
  await claimRows.filter({ hasText: 'small boat' }).click();
  await page.waitForFunction(() => /incident/.test(document.querySelector('#claimbody').textContent) &&
    document.querySelector('#claimbody table'), null, { timeout: 10000 });
  await page.waitForTimeout(500);
  const iPaths = await page.locator(claimPane).count();
  const circles = await page.$$eval(claimPane, (l) => l.filter((e) => /a/.test(e.getAttribute('d') || '')).length);
  const iBody = await page.textContent('#claimbody');
  const nAssets = await page.$$eval('#claimbody tr', (l) => l.filter((e) => /^military/.test(e.textContent.trim())).length);
  check(nAssets >= 1 && iPaths === 1 + nAssets && circles === iPaths,
    `incident draws its circle and ${nAssets} military assets (${iPaths} shapes)`);
  check(/partly supported/.test(iBody) && /MSG,3/.test(iBody), 'incident: verdict and raw messages of the assets inside');

  // No public data: nothing to draw, said plainly.
  await claimRows.filter({ hasText: 'never seen' }).click();
  await page.waitForFunction(() => /no public data/.test(document.querySelector('#claimbody').textContent),
    null, { timeout: 10000 });
  const nPaths = await page.locator(claimPane).count();
  check(nPaths === 0, `a claim with no public data draws nothing (${nPaths})`);
  await page.click('#closeclaim');
  check(await page.isHidden('#claimev'), 'the claim check closes');
  check(errors.length === 0, `no page errors (${errors.join('; ')})`);
} catch (e) {
  check(false, `browser run: ${e.message}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
