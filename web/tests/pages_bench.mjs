// Page-open times of every dashboard page (issue 20), timed in headless Chromium: per page a fresh browser context
// (empty cache), signed in through the API, opens URL#/<page> and waits until the page is ready (cold); then, in one
// tab, every page after the other by the menu (page switches). Prints the medians of RUNS runs (each run in
// brackets), and per cold open the renderer's main-thread busy time (CDP Performance.getMetrics TaskDuration: the
// CPU the page's scripts, layout and drawing took, less sensitive to the machine's load than the wall time) and
// the bytes over the wire; and when the page was ready from the navigation's start (the page's own mark, app.js:
// without the new tab's renderer process starting, which the wall time includes; -1 for a build without it).
//   node pages_bench.mjs URL LOGIN PASSWORD RUNS [LABEL=URL ...]
// With more than one server (LABEL=URL, e.g. before=http://... after=http://...), each run does every step on
// each server one right after the other, so a change of the machine's load falls on both alike; a table per label.
import { chromium } from 'playwright-core';

const [firstUrl, login, password, runsText, ...more] = process.argv.slice(2);
const runs = Number(runsText || 3);
const servers = more.length ? more.map((x) => x.split(/=(.*)/s).slice(0, 2)) : [['', firstUrl]];
const PAGES = ['today', 'air', 'water', 'duty', 'sources', 'audit', 'targets', 'ledger', 'emergency'];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
});

async function signedIn(url) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const r = await context.request.post(new URL('/api/session', url).toString(), { data: { login, password } });
  if (!r.ok()) throw new Error(`sign-in failed: ${r.status()}`);
  return context;
}

const table = () => Object.fromEntries(PAGES.map((p) => [p, []]));
const stats = Object.fromEntries(servers.map(([label]) => [label, { cold: table(), inPage: table(), busy: table(), bytes: table(), switches: table() }]));
for (let run = 0; run < runs; ++run) {
  for (const id of PAGES) {
    for (const [label, url] of servers) {
      const context = await signedIn(url);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const t0 = Date.now();
      await page.goto(`${url}#/${id}`, { timeout: 120000 });
      await page.waitForSelector(`main[data-page="${id}"][data-ready="true"]`, { timeout: 120000 });
      stats[label].cold[id].push(Date.now() - t0);
      stats[label].inPage[id].push(Math.round(await page.evaluate((p) => {
        const m = performance.getEntriesByName(`ready ${p}`);
        return m.length ? m[0].startTime : -1;  // -1: a build without the mark
      }, id)));
      const { metrics } = await cdp.send('Performance.getMetrics');
      const task = metrics.find((m) => m.name === 'TaskDuration');
      stats[label].busy[id].push(Math.round((task ? task.value : 0) * 1000));
      stats[label].bytes[id].push(await page.evaluate(() => performance.getEntriesByType('resource')
        .reduce((s, r) => s + r.transferSize, performance.getEntriesByType('navigation')[0]?.transferSize || 0)));
      await context.close();
    }
  }
  for (const [label, url] of servers) {
    const context = await signedIn(url);
    const page = await context.newPage();
    await page.goto(`${url}#/today`);
    await page.waitForSelector('main[data-page="today"][data-ready="true"]', { timeout: 120000 });
    for (const id of [...PAGES.slice(1), 'today']) {
      const t0 = Date.now();
      await page.click(`nav a[data-page="${id}"]`);
      await page.waitForSelector(`main[data-page="${id}"][data-ready="true"]`, { timeout: 120000 });
      stats[label].switches[id].push(Date.now() - t0);
    }
    await context.close();
  }
}
await browser.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [label] of servers) {
  const s = stats[label];
  if (label) console.log(`\n${label}:`);
  console.log('| page | first open, cold cache (median ms) | of it from the navigation\'s start | main thread busy | bytes over the wire | switch from the previous page (median ms) | runs |');
  console.log('|---|---|---|---|---|---|---|');
  for (const id of PAGES) {
    console.log(`| ${id} | ${median(s.cold[id])} (${s.cold[id].join(', ')}) | ${median(s.inPage[id])} | ${median(s.busy[id])} | ${median(s.bytes[id])} | ` +
      `${median(s.switches[id])} (${s.switches[id].join(', ')}) | ${runs} |`);
  }
}
