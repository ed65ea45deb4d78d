// The dashboard's first open in headless Chromium, timed (bench/dashboard_bench.sh runs it): per run a fresh
// browser context (empty cache) opens URL#/today and waits for the page to be ready (cold), then a second tab in
// the same context opens it again (warm: what the cache keeps). Prints each run and the medians.
//   node dashboard_bench.mjs URL RUNS
import { chromium } from 'playwright-core';

const [url, runsText] = process.argv.slice(2);
const runs = Number(runsText || 5);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
});

// Opens the page in `page`: ms to the load event and to the dashboard's first page being ready, bytes over the
// wire, and the ECharts script's time to first byte.
async function open(page) {
  const t0 = Date.now();
  await page.goto(`${url}#/today`, { waitUntil: 'load', timeout: 120000 });
  const load = Date.now() - t0;
  await page.waitForSelector('main[data-page="today"][data-ready="true"]', { timeout: 120000 });
  const ready = Date.now() - t0;
  const net = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    const echarts = res.find((r) => /\/(charts\.|vendor\/echarts\.)/.test(r.name)); // ours (charts.<hash>.js) or the old full build
    return {
      bytes: res.reduce((s, r) => s + r.transferSize, nav ? nav.transferSize : 0),
      echartsTtfb: echarts ? echarts.responseStart - echarts.requestStart : -1,
      fromCache: res.filter((r) => r.transferSize === 0).length,
      files: res.length,
    };
  });
  return { load, ready, ...net };
}

const rows = { cold: [], warm: [] };
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const cold = await open(await context.newPage());
  const warm = await open(await context.newPage());
  await context.close();
  rows.cold.push(cold);
  rows.warm.push(warm);
  for (const [kind, r] of [['cold', cold], ['warm', warm]]) {
    console.log(`run ${i + 1} ${kind}: load ${r.load} ms, ready ${r.ready} ms, ${r.bytes} bytes over the wire, ` +
      `echarts TTFB ${r.echartsTtfb.toFixed(1)} ms, ${r.fromCache}/${r.files} resources from cache`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const kind of ['cold', 'warm']) {
  const r = rows[kind];
  console.log(`RESULT ${kind}: median load ${median(r.map((x) => x.load))} ms, ready ${median(r.map((x) => x.ready))} ms, ` +
    `${median(r.map((x) => x.bytes))} bytes, echarts TTFB ${median(r.map((x) => x.echartsTtfb)).toFixed(1)} ms`);
}
await browser.close();
