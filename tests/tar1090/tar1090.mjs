// SPDX-License-Identifier: BSD-2-Clause
//
// tar1090.mjs - tar1090's own web front-end (GPL, served from the shared
// test data by `orbat serve --tar1090 DIR`, never copied into orbat) in a
// real headless Chromium (playwright-core, executablePath /usr/bin/chromium)
// against orbat's /data/receiver.json and /data/aircraft.json with a replay
// clock. argv: base URL of the server, artifacts directory, and the hexes
// (comma-separated) that orbat's aircraft.json lists at the replay time.
// Checks: the page loads without tar1090's "Problem fetching data" banner,
// its aircraft table lists those aircraft with the type and registration
// orbat sends, its clock follows the replay, and saves a screenshot.
// Prints "ok - ..." / "not ok - ..." lines.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.argv[2];
const artifacts = process.argv[3] || 'tests/artifacts';
const want = (process.argv[4] || '').split(',').filter(Boolean);
let failed = 0;
function check(cond, what) {
  console.log(`${cond ? 'ok' : 'not ok'} - ${what}`);
  if (!cond) failed++;
}

const profile = mkdtempSync(join(tmpdir(), 'orbat-tar1090-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const dataFails = [];
  const external = [];
  page.on('response', (r) => {
    if (/\/data\/(aircraft|receiver)\.json/.test(r.url()) && r.status() !== 200)
      dataFails.push(`${r.status()} ${r.url()}`);
  });
  // tar1090 asks for map tiles and fonts elsewhere: refuse them (the test
  // machine has no network, and the table does not need them).
  await page.route((url) => !url.href.startsWith(base), (route) => {
    external.push(route.request().url());
    return route.abort();
  });
  // noVanish: keep an aircraft listed between its reports (orbat's data has
  // minutes between positions; tar1090 hides after 58 s otherwise).
  await page.goto(base + '/tar1090/?noVanish', { waitUntil: 'load' });
  // The table fills once the first aircraft.json is processed.
  let rows = [];
  try {
    await page.waitForFunction((w) => w.every((h) => document.getElementById(h)),
      want, { timeout: 30000 });
  } catch (e) { /* reported below */ }
  rows = await page.$$eval('#planesTable tbody tr', (trs) => trs.map((t) => t.id));
  for (const h of want)
    check(rows.includes(h), `tar1090's table lists ${h} (rows: ${rows.join(' ')})`);
  check(want.length > 0 && rows.every((h) => want.includes(h) || /^[0-9a-f]{6}$/.test(h)),
    `every table row is an ICAO address (${rows.length} rows)`);
  if (want.length) {
    const txt = await page.textContent(`#${want[0]}`).catch(() => '');
    console.log(`# row ${want[0]}: ${txt.replace(/\s+/g, ' ').trim()}`);
  }
  // Let a few refreshes pass (tar1090 polls every receiver.json refresh).
  const t0 = await page.evaluate(() => g.now);
  await page.waitForTimeout(4000);
  const t1 = await page.evaluate(() => g.now);
  check(t1 > t0 + 4, `tar1090's clock follows orbat's replay (${t0} -> ${t1})`);
  const banner = await page.$eval('#update_error', (e) => getComputedStyle(e).display !== 'none'
    ? e.textContent.replace(/\s+/g, ' ').trim() : '');
  check(banner === '', `no "Problem fetching data" banner (${banner || 'hidden'})`);
  check(dataFails.length === 0, `receiver.json and aircraft.json answered 200 (${dataFails.join(' ')})`);
  const site = await page.evaluate(() => [SiteLat, SiteLon]);
  check(Math.abs(site[0]) > 0 && Math.abs(site[1]) > 0, `site position from receiver.json (${site})`);
  await page.screenshot({ path: join(artifacts, 'tar1090.png') });
  check(errors.length === 0, `no page errors (${errors.slice(0, 3).join(' | ')})`);
  console.log(`# ${external.length} requests outside the server refused (map tiles, fonts)`);
} catch (e) {
  check(false, `tar1090 page: ${e}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
