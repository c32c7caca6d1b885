// SPDX-License-Identifier: BSD-2-Clause
//
// map.mjs - browser test of orbat's web map: a real headless Chromium
// (playwright-core, executablePath /usr/bin/chromium) loads the page from
// the test server given as argv[2], checks the asset markers, the order of
// battle panel, the timeline chart and the time slider, opens an asset's
// evidence, and saves screenshots into argv[3]. Prints "ok - ..." /
// "not ok - ..." lines.
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
  check(errors.length === 0, `no page errors (${errors.join('; ')})`);
} catch (e) {
  check(false, `browser run: ${e.message}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
