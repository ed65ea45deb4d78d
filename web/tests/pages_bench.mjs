// Page-open times of every dashboard page (issue 20), timed in headless Chromium: per page a fresh browser context
// (empty cache), signed in through the API, opens URL#/<page> and waits until the page is ready (cold); then, in one
// tab, every page after the other by the menu (page switches). Prints each figure and the medians of RUNS runs.
//   node pages_bench.mjs URL LOGIN PASSWORD RUNS
import { chromium } from 'playwright-core';

const [url, login, password, runsText] = process.argv.slice(2);
const runs = Number(runsText || 3);
const PAGES = ['today', 'air', 'water', 'duty', 'sources', 'targets', 'ledger', 'emergency'];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
});

async function signedIn() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const r = await context.request.post(new URL('/api/session', url).toString(), { data: { login, password } });
  if (!r.ok()) throw new Error(`sign-in failed: ${r.status()}`);
  return context;
}

const cold = Object.fromEntries(PAGES.map((p) => [p, []]));
const switches = Object.fromEntries(PAGES.map((p) => [p, []]));
for (let run = 0; run < runs; ++run) {
  for (const id of PAGES) {
    const context = await signedIn();
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(`${url}#/${id}`, { timeout: 120000 });
    await page.waitForSelector(`main[data-page="${id}"][data-ready="true"]`, { timeout: 120000 });
    cold[id].push(Date.now() - t0);
    await context.close();
  }
  const context = await signedIn();
  const page = await context.newPage();
  await page.goto(`${url}#/today`);
  await page.waitForSelector('main[data-page="today"][data-ready="true"]', { timeout: 120000 });
  for (const id of [...PAGES.slice(1), 'today']) {
    const t0 = Date.now();
    await page.click(`nav a[data-page="${id}"]`);
    await page.waitForSelector(`main[data-page="${id}"][data-ready="true"]`, { timeout: 120000 });
    switches[id].push(Date.now() - t0);
  }
  await context.close();
}
await browser.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('| page | first open, cold cache (median ms) | switch from the previous page (median ms) | runs |');
console.log('|---|---|---|---|');
for (const id of PAGES) {
  console.log(`| ${id} | ${median(cold[id])} (${cold[id].join(', ')}) | ${median(switches[id])} (${switches[id].join(', ')}) | ${runs} |`);
}
