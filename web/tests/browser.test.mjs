// The dashboard in headless Chromium (playwright-core driving /usr/bin/chromium). Every role (public, admin,
// analyst, a county, an enterprise, a signed-in public user) walks every page its menu offers, in Chinese and in
// English, on a desktop (1400x1000) and a phone (390x844): each page renders without an error or a console error
// and is no wider than the screen. Then the content: the warning banner, a bad-now row, the map with its stations,
// the 24-hour trend, exports that open (CSV: BOM and columns; .xlsx: `unzip -t` and a header row), the complete
// roster, targets of the current year with "no data", the ledger's filters, search, paging and task page, the
// status control, the English words. Page-open times are printed (not asserted: docs/performance.md).
// Screenshots of each page go to OUT_DIR.
//   node browser.test.mjs URL OUT_DIR LOGIN PASSWORD      (every test user has PASSWORD)
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, out, login, password] = process.argv.slice(2);
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
};
const timings = [];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
});
const DESKTOP = { width: 1400, height: 1000 };
const PHONE = { width: 390, height: 844 };

// A fresh browser context (cold cache, no cookies) at a size, with its console errors collected.
async function newPage(viewport) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => page.consoleErrors.push(e.message));
  return page;
}

async function signIn(page, user) {
  await page.goto(url);
  await page.waitForSelector('main[data-ready="true"]', { timeout: 120000 });
  if (!user) return;
  await page.fill('#login-form input[name=login]', user);
  await page.fill('#login-form input[name=password]', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#logout:not([hidden])', { timeout: 60000 });
}

async function setLang(page, lang) {
  const now = await page.evaluate(() => document.documentElement.lang);
  if ((lang === 'en') === (now === 'en')) return;
  await page.click('#lang');
  await page.waitForSelector('main[data-ready="true"]');
}

// Opens a page by its hash; checks it rendered, without an error, no wider than the screen.
async function open(page, hash, what, minCharts = 0) {
  const t0 = Date.now();
  await page.goto(`${url}#/${hash}`);
  const id = hash.split('?')[0];
  await page.waitForSelector(`main[data-page="${id}"][data-ready="true"]`, { timeout: 120000 });
  timings.push([what, Date.now() - t0]);
  const errors = await page.locator('main .error').allTextContents();
  check(errors.length === 0, `${what}: no error on the page ${errors.join(' ')}`);
  const charts = await page.locator('main .chart canvas').count();
  if (minCharts) check(charts >= minCharts, `${what}: ${charts} chart canvases (at least ${minCharts})`);
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  check(scroll <= inner, `${what}: no wider than the screen (${scroll} <= ${inner} px)`);
}

const MENUS = {
  '': ['today', 'air', 'water'],
  citizen: ['today', 'air', 'water'],
  e01: ['today', 'air', 'water', 'duty', 'sources'],
  chengqu: ['today', 'air', 'water', 'duty', 'sources', 'audit', 'targets', 'ledger', 'emergency', 'soil', 'reports'],
  analyst: ['today', 'air', 'water', 'duty', 'sources', 'audit', 'targets', 'ledger', 'emergency', 'soil', 'reports'],
};

// The same API query the page's export link names, fetched in the page (its cookie), as bytes.
async function download(page, selector) {
  const href = await page.getAttribute(selector, 'href');
  const bytes = await page.evaluate(async (h) => {
    const r = await fetch(h, { credentials: 'same-origin' });
    return { status: r.status, disposition: r.headers.get('content-disposition'), body: Array.from(new Uint8Array(await r.arrayBuffer())) };
  }, href);
  return { href, ...bytes, buffer: Buffer.from(bytes.body) };
}

const tmp = mkdtempSync(join(tmpdir(), 'ecomon-browser-'));
try {
  // ---- 1. every role, every page of its menu, both languages, desktop and phone
  for (const user of Object.keys(MENUS)) {
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await newPage(viewport);
      await signIn(page, user);
      const offered = await page.locator('nav a').evaluateAll((as) => as.map((a) => a.dataset.page));
      check(JSON.stringify(offered) === JSON.stringify(MENUS[user]), `${user || 'public'}: the menu offers ${offered.join(',')}`);
      for (const lang of ['zh', 'en']) {
        await setLang(page, lang);
        for (const id of MENUS[user]) await open(page, id, `${user || 'public'} ${lang} ${viewport.width}px ${id}`);
      }
      await setLang(page, 'zh');
      check(page.consoleErrors.length === 0, `${user || 'public'} ${viewport.width}px: no console errors ${page.consoleErrors.join(' | ')}`);
      await page.context().close();
    }
  }

  // ---- 2. the admin's walk: content, writes, exports
  const page = await newPage(DESKTOP);
  const staticHeaders = {};
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/charts.') && !staticHeaders.echarts) [staticHeaders.echarts, staticHeaders.chartsPath] = [r.headers(), path];
    if (path === '/' && !staticHeaders.index) staticHeaders.index = r.headers();
  });
  await signIn(page, '');
  await open(page, 'today', 'public today', 2);
  check(/^\/charts\.[0-9a-f]{12}\.js$/.test(staticHeaders.chartsPath || ''),
    `static: ECharts (our build, charts.js) under its content-hashed name (${staticHeaders.chartsPath})`);
  check(staticHeaders.echarts?.['cache-control'] === 'public, max-age=31536000, immutable',
    `static: ECharts cached for a year (${staticHeaders.echarts?.['cache-control']})`);
  check(['br', 'gzip'].includes(staticHeaders.echarts?.['content-encoding']),
    `static: ECharts precompressed (${staticHeaders.echarts?.['content-encoding']})`);
  check(staticHeaders.index?.['cache-control'] === 'no-cache', 'static: index.html revalidated (no-cache)');
  // Every figure says how old it is: the demo's last hour is 2025-12-31 24:00, long before today.
  check(/数据截至 2025-12-31 24:00 \(滞后 \d+ 天\)/.test(await page.textContent('main .age')), 'today: the figure carries its age');
  // The map: a station per point and a station table of 5 (the reference station 北山 has no position? it has; 6 stations
  // with one reference) — every station with a position is drawn.
  check(await page.locator('main table tbody tr').count() >= 5, 'today: the stations are listed');
  // The map: the demo city's six counties drawn offline, its five assessment stations coloured by AQI level;
  // no enterprises for the public.
  const mapOf = () => page.evaluate(() => {
    const c = ecomonCharts.getInstanceByDom(document.querySelector('#map .chart'));
    const o = c.getOption();
    return {
      counties: ecomonCharts.getMap(o.geo[0].map).geoJSON.features.map((f) => f.properties.name).sort().join(),
      series: o.series.map((x) => [x.coordinateSystem, x.data.length, x.data.map((d) => d.itemStyle.color).join()]),
    };
  });
  const publicMap = await mapOf();
  check(publicMap.counties === '东阳县,北山县,南河县,城区,西山县,高新区', `map: the six counties drawn (${publicMap.counties})`);
  check(publicMap.series.length === 1 && publicMap.series[0][0] === 'geo' && publicMap.series[0][1] === 5 &&
    publicMap.series[0][2].split(',').every((c) => ['#00E400', '#FFFF00', '#FF7E00', '#FF0000', '#99004C', '#7E0023'].includes(c)),
  `map: five stations on the county map in AQI level colours, no enterprises for the public (${JSON.stringify(publicMap.series)})`);
  // Drill down on the map: a click on 市监测站 opens its 24 hours (city -> station -> hourly series).
  const at = await page.evaluate(() => {
    const box = document.querySelector('#map .chart');
    const [x, y] = ecomonCharts.getInstanceByDom(box).convertToPixel({ geoIndex: 0 }, [112.8502, 35.4981]);
    const r = box.getBoundingClientRect();
    return [r.left + x, r.top + y];
  });
  await page.mouse.click(at[0], at[1]);
  await page.waitForFunction(() => location.hash.includes('station=9160A'), null, { timeout: 60000 });
  await page.waitForSelector('main[data-page="today"][data-ready="true"]');
  check((await page.textContent('#station-trend h2')).includes('市监测站') && await page.locator('#station-trend canvas').count() === 1,
    'map: a click on a station opens its hourly series');
  await page.screenshot({ path: join(out, 'today-public.png'), fullPage: true });
  // Drill down: a station's 24 hours, by the URL (bookmarkable).
  await open(page, 'today?date=2025-12-31&station=9160A', 'today: a station', 3);
  check((await page.textContent('#station-trend h2')).includes('市监测站'), 'today: the station trend of 市监测站');
  // Compare stations: two picked by the URL, a third by a click (the URL follows).
  await open(page, 'today?date=2025-12-31&compare=9160A,9161A', 'today: compare two stations');
  const legendOf = () => page.evaluate(() => ecomonCharts.getInstanceByDom(document.querySelector('#compare .chart')).getOption().legend[0].data);
  check(JSON.stringify(await legendOf()) === JSON.stringify(['市监测站', '城东公园']), 'today: two stations compared');
  await page.check('#compare input[value="9162A"]');
  await page.waitForFunction(() => location.hash.includes('compare=9160A%2C9161A%2C9162A'));
  await page.waitForSelector('main[data-page="today"][data-ready="true"]');
  check((await legendOf()).length === 3, 'today: a third station added to the comparison');

  await signIn(page, login);
  // Staff see the enterprises on the map, each in its county, coloured by the worst state of its devices, and
  // the demo's 65 TSP points (run-browser-test.sh imports them) as a third series.
  await open(page, 'today', 'admin today (map)');
  const staffMap = await mapOf();
  check(staffMap.series.length === 3 && staffMap.series[1][1] === 12 &&
    staffMap.series[1][2].split(',').every((c) => ['#2e7d32', '#9e9e9e', '#b00020', '#e0e0e0'].includes(c)),
  `map: the 12 enterprises by device state for staff (${JSON.stringify(staffMap.series[1])})`);
  check(staffMap.series[2] && staffMap.series[2][1] === 65, `map: the 65 TSP points for staff (${JSON.stringify(staffMap.series[2])})`);
  await page.locator('#map').screenshot({ path: join(out, 'map.png') });
  await open(page, 'air', 'admin air', 3);
  await page.screenshot({ path: join(out, 'air.png'), fullPage: true });
  // The three-year moving average of 2025 (HJ 663-2026): 2023 has no data, so each mean is "-"; PM2.5's years
  // 2024 and 2025 are the annual means 50 and 46 (as /api/air/period?moving_average=2 gives them).
  await page.waitForSelector('#moving-average table', { timeout: 60000 }); // filled after the page is ready
  const mvHead = await page.locator('#moving-average thead th').allTextContents();
  const pm25Row = await page.locator('#moving-average tbody tr:has(td:text-is("PM2.5")) td').allTextContents();
  check(mvHead.slice(2, 5).join() === '2023,2024,2025' && pm25Row.slice(2, 6).join() === '-,50,46,-',
    `air: the three-year moving average card (${mvHead.join('|')} / ${pm25Row.join('|')})`);
  const legend = await page.evaluate(() => ecomonCharts.getInstanceByDom(document.querySelector('main .chart')).getOption().visualMap[0].pieces.map((p) => p.label));
  check(legend[0] === '优 (0–50)' && legend[5] === '严重污染 (>300)', `air: the calendar legend names the levels (${legend.join(', ')})`);
  // The period control goes into the URL: Q1 2025.
  await page.selectOption('main select[name=period-kind]', 'quarter');
  await page.fill('main input[name=year]', '2025');
  await page.selectOption('main select[name=quarter]', 'Q1');
  await page.click('main .period-go');
  await page.waitForFunction(() => location.hash === '#/air?quarter=2025-Q1');
  await page.waitForSelector('main[data-page="air"][data-ready="true"]');
  check((await page.textContent('main .card h2')).includes('2025-Q1'), 'air: the quarter picked is shown and in the URL');

  // Exports: CSV with a BOM and flat columns, named; xlsx that unzips, with a header row in Chinese.
  const csv = await download(page, 'main .card .export a.csv');
  check(csv.status === 200 && csv.buffer.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), `export: CSV starts with the UTF-8 BOM (${csv.href})`);
  const csvText = csv.buffer.toString('utf8').slice(1);
  const header = csvText.split('\n')[0];
  check(header.startsWith('AQI,类别') && header.includes('浓度 PM2.5(µg/m³)') && !csvText.includes('{'), `export: CSV columns named and flat (${header.slice(0, 60)}…)`);
  check(csvText.trim().split('\n').length === 1 + 90, `export: CSV of Q1 2025 has 90 days (${csvText.trim().split('\n').length - 1})`);
  check(/filename="air-daily-___-2025-Q1\.csv"/.test(csv.disposition || ''), `export: CSV file name (${csv.disposition})`);
  const xlsx = await download(page, 'main .card .export a.xlsx');
  const xlsxPath = join(tmp, 'air.xlsx');
  writeFileSync(xlsxPath, xlsx.buffer);
  let unzipOk = true;
  try { execFileSync('unzip', ['-tq', xlsxPath]); } catch { unzipOk = false; }
  check(xlsx.status === 200 && unzipOk, 'export: the .xlsx passes unzip -t');
  // libxlsxwriter's constant-memory mode writes the strings inline in the sheet.
  const sheet = execFileSync('unzip', ['-p', xlsxPath, 'xl/worksheets/sheet1.xml']).toString('utf8');
  check(sheet.includes('<t>类别</t>') && sheet.includes('<t>浓度 PM2.5(µg/m³)</t>') && sheet.includes('<row r="91"'),
    'export: the .xlsx has a Chinese header row and 90 rows');

  await open(page, 'water', 'admin water', 1);
  check(await page.locator('main td:has-text("Ⅴ"), main td:has-text("Ⅱ")').count() > 0, 'water: class cells in Roman numerals');
  // The glyphs of the pages are in the first font of the stack (no blank Ⅴ).
  const glyphs = await page.evaluate(async () => {
    const family = getComputedStyle(document.body).fontFamily.split(',')[0].trim();
    await document.fonts.ready;
    return document.fonts.check(`16px ${family}`, 'ⅠⅡⅢⅣⅤµ℃³');
  });
  check(glyphs, 'fonts: the first font of the stack is there for Ⅰ–Ⅴ, µ, ℃, ³');

  await open(page, 'sources', 'admin sources', 2);
  check((await page.textContent('#rates-period')).startsWith('本月截至'), 'sources: this month\'s rates are month to date');
  // HJ 212-2025 provisioning: the admin's card of loggers awaiting an MN (the demo has none; POST
  // /api/sources/provision is tested over HTTP in api_http_test).
  check((await page.textContent('#pending-devices')).includes('无待分配的数采仪'), 'sources: the admin sees the loggers awaiting an MN');
  // One enterprise, three networks (issue 22): E01 on the day its power modules 200..204 reported 10:50..11:15
  // (run-browser-test.sh, POWER_DAY). Module 204 = E01/P5 and E01/T5 (demo/power_demo.h), by hand
  // (gateway/simulator.h's pattern; kWh = Σ tenths of kW / 10 × 60 s / 3600 = Σ tenths / 600):
  //   E01/P5: 26 readings of 248.0 kW plus Σ (7m + 2652) mod 50 = 577 tenths over m = 650..675 -> 65057 / 600 =
  //           108.43 -> 108.4 kWh;
  //   E01/T5: 10:50..10:59 at 840 + (3m + 204) mod 10 tenths, from 11:00 off at (m + 204) mod 5 tenths ->
  //           8479 / 600 = 14.13 -> 14.1 kWh; treatment_not_running opened 11:00, open (off until 13:00).
  // Its TSP point T001 (E01's boundary) has no readings; its emissions are its outlets' loads (0 kg: no uploads).
  const powerDay = process.env.POWER_DAY;
  await open(page, `sources?enterprise=E01&date=${powerDay}`, 'admin sources E01 three networks', 3);
  check((await page.textContent('#networks-span')).includes(`${powerDay} 00:00`), `networks: the day of the URL (${await page.textContent('#networks-span')})`);
  check(await page.inputValue('#networks select[name=network-enterprise]') === 'E01', 'networks: E01 picked by the URL');
  const powerRows = await page.locator('#net-power table').first().locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  check(powerRows.length === 12, `networks: E01's 12 metered lines (${powerRows.length})`);
  const row = (id) => JSON.stringify(powerRows.find((r) => r[0] === id));
  check(row('E01/P5') === JSON.stringify(['E01/P5', '5#磨煤机', '生产设施', '26', '108.4']), `networks: E01/P5 26 readings, 108.4 kWh (${row('E01/P5')})`);
  check(row('E01/T5') === JSON.stringify(['E01/T5', '5#磨煤机脱硫', '治污设施', '26', '14.1']), `networks: E01/T5 26 readings, 14.1 kWh (${row('E01/T5')})`);
  check(row('E01/P6') === JSON.stringify(['E01/P6', '6#磨煤机', '生产设施', '0', '0.0']), `networks: E01/P6 sent nothing (${row('E01/P6')})`);
  const powerEvents = await page.textContent('#net-power table:nth-of-type(2)');
  check(powerEvents.includes('治污设施未同步运行') && powerEvents.includes('E01/T5') && powerEvents.includes(`${powerDay} 11:00`) && powerEvents.includes('持续中'),
    `networks: the treatment line's event, opened 11:00, open (${powerEvents})`);
  check((await page.textContent('#net-tsp')).includes('T001'), 'networks: E01\'s boundary TSP point');
  check(await page.locator('#net-emissions table').first().locator('tbody tr:not(.empty)').count() > 0, 'networks: E01\'s loads per pollutant');
  check(await page.locator('#net-emissions canvas, #net-power canvas').count() === 2, 'networks: the loads and the lines\' kWh charted');
  await page.screenshot({ path: join(out, 'sources-networks.png'), fullPage: true });
  await setLang(page, 'en');
  check((await page.textContent('#networks h2')).includes('One enterprise, three networks') && (await page.textContent('#net-power')).includes('treatment off while producing'), 'networks: in English');
  await setLang(page, 'zh');

  await open(page, 'targets', 'admin targets', 1);
  const year = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear();
  check((await page.textContent('main .card h2')).includes(String(year)), `targets: the current year (${year}) by default`);
  const targetsText = await page.textContent('main table');
  check((targetsText.includes('无数据') || targetsText.includes('无当年目标')) && !targetsText.includes('有风险') && !targetsText.includes('pm25'), 'targets: no valid day says 无数据 (no target of the year: 无当年目标), not at-risk; names in Chinese');
  await open(page, 'targets?year=2025', 'admin targets 2025', 1);
  check((await page.textContent('main table')).includes('PM2.5年均浓度'), 'targets: 2025 by the URL');

  // Emergency: the roster complete (every one of its rows, a page at a time), then declare: the banner on every page.
  await open(page, 'emergency', 'admin emergency', 1);
  check((await page.textContent('#roster .pager .count')).includes('共 486 条'), 'emergency: the roster counts all 486 rows');
  await page.click('#roster .pager .next');
  check((await page.textContent('#roster .pager .count')).startsWith('第 51–100 条'), 'emergency: the roster pages on');
  check((await page.textContent('#compliance')).includes('尚无'), 'emergency: no compliance before a warning ended');
  await page.click('#advice-go');
  await page.waitForFunction(() => document.querySelector('#advice-out')?.textContent.includes('黄色'), null, { timeout: 60000 });
  check(true, 'emergency: the forecast advice says yellow');
  check(/连续 \d+ 天 AQI > 200/.test(await page.textContent('#advice-out')), `emergency: the advice's reason in Chinese (${await page.textContent('#advice-out')})`);
  await page.fill('main input[name=grades]', 'JC0001=A');
  await page.click('#what-if-go');
  await page.waitForSelector('#what-if-table', { timeout: 60000 });
  check((await page.textContent('#what-if-msg')).length > 0, 'emergency: the what-if is shown');
  await page.selectOption('main select[name=level]', 'yellow');
  await page.fill('main input[name=at]', '2025-12-01 00:00');
  await page.click('#warning-declare');
  await page.waitForFunction(() => document.querySelector('#warning-now')?.textContent.includes('2025-12-01 00:00'), null, { timeout: 60000 });
  await page.waitForSelector('main[data-page="emergency"][data-ready="true"]', { timeout: 120000 });
  await open(page, 'duty', 'admin duty');
  check((await page.textContent('#banner')).includes('黄色预警'), 'duty: the warning banner on every page');
  check((await page.textContent('#duty-warning')).includes('2025-12-01 00:00'), 'duty: the warning in force');
  check(await page.locator('#bad-now tbody tr:not(.empty)').count() > 0, 'duty: a bad-now row (a silent device, since when)');
  const dutyPower = await page.evaluate(async () => (await (await fetch('/api/sources/events?limit=1000')).json()).items
    .filter((e) => e.kind === 'treatment_not_running' && !e.closed_at).map((e) => `${e.enterprise}|${e.pollutant}`));
  check(JSON.stringify(dutyPower) === JSON.stringify(['演示第一发电有限公司|E01/T5>E01/P5']), `duty: the open power event among what is bad now, under its enterprise (${dutyPower})`);
  // Acknowledge the first: who, when and the note shown after the page reloads from the server.
  await page.fill('#bad-now tbody tr:first-child input[name=ack-note]', '已通知企业');
  await page.click('#bad-now tbody tr:first-child button.ack');
  await page.waitForFunction(() => document.querySelector('#bad-now tbody tr:first-child .acked')?.textContent.includes('已通知企业'), null, { timeout: 60000 });
  check((await page.textContent('#bad-now tbody tr:first-child .acked')).includes(`已确认 ${login}`), 'duty: the event acknowledged, by whom and the note');
  // The per-device trend: a device of the open events to pick, its hourly values (the demo store has no
  // uploads, so 无数据) under the card's title.
  check((await page.textContent('#device-trend h2')).includes('设备24小时小时值'), 'duty: the device trend card');
  check(await page.locator('#device-trend select[name=trend-device] option').count() > 0, 'duty: the devices of the open events to pick');
  check((await page.textContent('#device-trend')).includes('无数据') || await page.locator('#device-trend canvas').count() > 0, 'duty: the device trend drawn or 无数据');
  await page.screenshot({ path: join(out, 'duty.png'), fullPage: true });
  await open(page, 'emergency', 'admin emergency (warning)');
  await page.fill('main input[name=at]', '2025-12-03 00:00');
  await page.click('#warning-lift');
  await page.waitForSelector('#compliance table', { timeout: 120000 });
  const compliance = await page.textContent('#compliance');
  check(compliance.includes('2025-12-01'), 'emergency: compliance of the lifted warning');
  check(!/no online monitoring|cut as required|valid hours|load cut/.test(compliance), 'emergency: the compliance reasons in Chinese');
  await page.screenshot({ path: join(out, 'emergency-compliance.png'), fullPage: true });

  // Ledger: filters in the URL, the search, pages, a task's page; the status change.
  await open(page, 'ledger', 'admin ledger', 1);
  await page.check('main input[name=overdue]');
  await page.selectOption('main select[name=plan]', 'autumn-winter-2020');
  await page.click('#ledger-filter');
  await page.waitForFunction(() => location.hash.includes('overdue=true') && location.hash.includes('plan=autumn-winter-2020'));
  await page.waitForSelector('main[data-page="ledger"][data-ready="true"]');
  const ids = await page.locator('main tr[data-task] td:first-child').allTextContents();
  check(ids.length > 0 && ids.every((i) => i.startsWith('autumn-winter-2020/')), `ledger: the plan filter (${ids.length} overdue tasks)`);
  await page.fill('main input[name=search]', '加油站');
  await page.click('#ledger-filter');
  await page.waitForFunction(() => location.hash.includes('q='));
  await page.waitForSelector('main[data-page="ledger"][data-ready="true"]');
  const found = await page.locator('main tr[data-task]').allTextContents();
  check(found.length > 0 && found.every((r) => r.includes('加油站')), `ledger: the search finds ${found.length} tasks with 加油站`);
  await open(page, 'ledger', 'admin ledger (all)', 1);
  check((await page.textContent('main .paged .count')).startsWith('第 1–50 条'), 'ledger: a page of 50 tasks with the count');
  const task = 'autumn-winter-2020/17';
  await page.selectOption('main select[name=task]', task);
  await page.selectOption('main select[name=to]', 'in-progress');
  await page.click('#ledger-apply');
  await page.waitForFunction(() => document.querySelector('#ledger-msg')?.textContent.includes('进行中'), null, { timeout: 60000 });
  check(true, 'ledger: the status change is confirmed');
  await open(page, `task?id=${encodeURIComponent(task)}`, 'admin task');
  const taskText = await page.textContent('main');
  check(taskText.includes('加油站') && taskText.includes('进行中') && taskText.includes('状态记录'), 'task: its page with the new status and its history');
  await page.screenshot({ path: join(out, 'task.png'), fullPage: true });

  // English: the words of the standards in English, levels and advice too.
  await setLang(page, 'en');
  await open(page, 'targets?year=2025', 'admin en targets');
  const en = await page.textContent('main');
  check(en.includes('PM2.5 annual mean') && !/[\u4e00-\u9fff]/.test(await page.textContent('main table thead')), 'English: targets named and headed in English');
  await open(page, 'water?year=2025', 'admin en water');
  const waterEn = await page.textContent('main');
  check(!/良好|无明显变化|较差/.test(waterEn) && /good|no marked change/.test(waterEn), 'English: the water words in English');
  await open(page, 'today', 'admin en today');
  check((await page.textContent('main .card')).includes('Everyone can be active outdoors'), 'English: the advice in English');
  // (from here, not the page: a 400 in the page is a console error)
  const err = await (await fetch(new URL('/api/air/daily?city=x&month=2025-13', url))).json();
  check(err.error.message.includes("query parameter month='2025-13'"), `API errors name the query parameter (${err.error.message})`);
  await setLang(page, 'zh');

  await page.click('#logout');
  await page.waitForFunction(() => !document.querySelector('nav a[data-page="sources"]'), null, { timeout: 60000 });
  check(!(await page.isHidden('#login')), 'logged out: the login form is back');
  check(page.consoleErrors.length === 0, `admin walk: no console errors ${page.consoleErrors.join(' | ')}`);

  // ---- 3. a county user: the status control lists only tasks whose units name its county
  const county = await newPage(DESKTOP);
  await signIn(county, 'chengqu');
  await open(county, 'sources', 'county sources');
  check(await county.locator('#pending-devices').count() === 0, 'county: no provisioning card (admins only)');
  await open(county, 'ledger', 'county ledger');
  const options = await county.locator('main select[name=task] option').allTextContents();
  const tos = await county.locator('main select[name=to] option').evaluateAll((os) => os.map((o) => o.value));
  check(!tos.includes('closed'), 'county: 销号 is not offered (the bureau closes tasks)');
  const units = await county.evaluate(async () => {
    const r = await (await fetch('/api/ledger/tasks?limit=1000&as_of=2026-01-01')).json();
    return Object.fromEntries(r.items.map((x) => [x.id, [...x.lead_units, ...x.responsible_units]]));
  });
  const allowed = options.every((id) => (units[id] || []).some((u) => u.startsWith('城区')));
  const readable = Object.keys(units).length;
  check(options.length > 0 && options.length < readable && allowed,
    `county: ${options.length} of the ${readable} readable tasks offered for a status change, each naming 城区`);
  await county.screenshot({ path: join(out, 'ledger-county.png'), fullPage: true });
  await county.context().close();

  // ---- code splitting: a page without charts (audit) never loads ECharts; the first page with charts does
  {
    const p = await newPage(DESKTOP);
    const loaded = [];
    p.on('request', (r) => loaded.push(new URL(r.url()).pathname));
    const r = await p.context().request.post(new URL('/api/session', url).toString(), { data: { login, password } });
    check(r.ok(), 'splitting: signed in through the API');
    await p.goto(`${url}#/audit`);
    await p.waitForSelector('main[data-page="audit"][data-ready="true"]', { timeout: 120000 });
    check(!loaded.some((x) => /^\/(charts|map)\./.test(x)), `splitting: the audit page loads no chart code (${loaded.filter((x) => x.endsWith('.js')).join(' ')})`);
    await p.click('nav a[data-page="air"]');
    await p.waitForSelector('main[data-page="air"][data-ready="true"]', { timeout: 120000 });
    check(loaded.some((x) => /^\/charts\.[0-9a-f]{12}\.js$/.test(x)) && !loaded.some((x) => /^\/map\./.test(x)) &&
      (await p.locator('main .chart canvas').count()) >= 3, 'splitting: the air page loads the charts, not the map');
    await p.context().close();
  }

  // ---- 4. the audit page (数据审核): the admin invalidates, corrects, restores, closes and reopens a month
  const auditor = await newPage(DESKTOP);
  await signIn(auditor, login);
  const auditHash = 'audit?station=9160A&date=2025-12-31&pollutant=PM2.5';
  await open(auditor, auditHash, 'admin audit');
  const stateOf = (hh) => auditor.textContent(`#audit-hours tr[data-hour="${hh}"] .audit-state`);
  const auditedOf = (hh) => auditor.textContent(`#audit-hours tr[data-hour="${hh}"] td:nth-child(3)`);
  check((await auditor.locator('main select[name=station] option').count()) === 6, 'audit: the bureau may audit all six stations');
  check(await auditor.locator('#audit-hours tr[data-hour]').count() === 24 && (await stateOf('03:00')) === '实时', 'audit: the 24 hours of the day, real-time');
  // An audit change through the form; waits for the page to come back with its message.
  const change = async (action, from, to, fields = {}) => {
    await auditor.selectOption('#audit-change select[name=action]', action);
    await auditor.selectOption('#audit-change select[name=from]', `2025-12-31 ${from}`);
    await auditor.selectOption('#audit-change select[name=to]', `2025-12-31 ${to}`);
    if (fields.reason) await auditor.selectOption('#audit-change select[name=reason]', fields.reason);
    if (fields.value) await auditor.fill('#audit-change input[name=value]', fields.value);
    await auditor.fill('#audit-change input[name=note]', fields.note || '');
    await auditor.click('#audit-apply');
    await auditor.waitForFunction(() => document.querySelector('#audit-msg')?.textContent, null, { timeout: 60000 });
    return auditor.textContent('#audit-msg');
  };
  // Three PM2.5 hours invalidated: three versions, the hours without a value.
  const inv = await change('invalidate', '03:00', '05:00', { reason: 'power-cut', note: '停电检修' });
  check(inv.includes('已记录 3 个版本'), `audit: three hours invalidated (${inv})`);
  check((await stateOf('03:00')) === '已无效' && (await stateOf('05:00')) === '已无效' && (await stateOf('06:00')) === '实时' &&
    (await auditedOf('04:00')) === '-', 'audit: the invalidated hours have no audited value');
  check((await auditor.textContent('#audit-hours tr[data-hour="04:00"]')).includes('停电检修'), 'audit: the reason and note shown on the hour');
  // One hour corrected to 200 µg/m³.
  const cor = await change('correct', '06:00', '06:00', { reason: 'calibration', value: '200', note: '校准后修正' });
  check(cor.includes('已记录 1 个版本') && (await stateOf('06:00')) === '已修正' && (await auditedOf('06:00')) === '200 µg/m³',
    `audit: an hour corrected to 200 µg/m³ (${cor})`);
  // Restored: the real-time values back, the hours now audited (reviewed, kept as measured); the trail keeps all
  // seven versions, newest first.
  await change('restore', '03:00', '05:00');
  const realtime4 = await auditor.textContent('#audit-hours tr[data-hour="04:00"] td:nth-child(2)');
  check((await stateOf('04:00')) === '已审核' && (await auditedOf('04:00')) === realtime4 && realtime4.endsWith('µg/m³'),
    `audit: restored to the real-time value (${realtime4}), audited`);
  const trailRows = await auditor.locator('#audit-trail tbody tr').count();
  check(trailRows === 7 && (await auditor.textContent('#audit-trail tbody tr:first-child')).includes('恢复实时值') &&
    (await auditor.textContent('#audit-trail')).includes('校准后修正'), `audit: the trail of 3 + 1 + 3 versions (${trailRows} rows)`);
  // The month closed: hours without changes read 已审核, a change is refused with the API's message; reopened.
  await auditor.fill('#audit-months input[name=month]', '2025-12');
  await auditor.click('#month-close');
  await auditor.waitForSelector('#audit-months tbody tr td:has-text("关账")', { timeout: 60000 });
  await auditor.waitForSelector('main[data-page="audit"][data-ready="true"]');
  check((await stateOf('10:00')) === '已审核', 'audit: a closed month\'s hours read as audited');
  const refused = await change('invalidate', '10:00', '10:00', { reason: 'other' });
  check(/closed|关账|已关/.test(refused) && (await stateOf('10:00')) === '已审核', `audit: no change in a closed month (${refused})`);
  // The refusal (422) in each language: the API's English mapped to Chinese by the page (web/src/refusals.js),
  // the month and hour kept; in English the API's own words.
  check(refused === '2025-12 已关账（已审核）：2025-12-31 10:00 的数据在重新开账之前不能修改', `audit: the refusal in Chinese (${refused})`);
  await auditor.click('#lang');
  await auditor.waitForSelector('main[data-page="audit"][data-ready="true"]');
  const refusedEn = await change('invalidate', '10:00', '10:00', { reason: 'other' });
  check(refusedEn === 'month 2025-12 is closed (audited): 2025-12-31 10:00 cannot change until the month is reopened (ecomon audit reopen)',
    `audit: the refusal in English (${refusedEn})`);
  await auditor.click('#lang');
  await auditor.waitForSelector('main[data-page="audit"][data-ready="true"]');
  await auditor.fill('#audit-months input[name=month]', '2025-12');
  await auditor.fill('#audit-months input[name=month-reason]', '复核');
  await auditor.click('#month-reopen');
  await auditor.waitForSelector('#audit-months tbody tr td:has-text("重新开账")', { timeout: 60000 });
  await auditor.waitForSelector('main[data-page="audit"][data-ready="true"]');
  check((await stateOf('10:00')) === '实时', 'audit: reopened, the hours are real-time again');
  await auditor.screenshot({ path: join(out, 'audit.png'), fullPage: true });
  // (the refused changes' 422s, one in each language, are the console errors expected)
  const unexpected = auditor.consoleErrors.filter((e) => !e.includes('422'));
  check(unexpected.length === 0 && auditor.consoleErrors.length === 2, `audit walk: no console errors but the refusals' 422s ${auditor.consoleErrors.join(' | ')}`);
  await auditor.context().close();

  // A county user: only its county's station offered, no month closing; its own station audited.
  const cq = await newPage(DESKTOP);
  await signIn(cq, 'chengqu');
  await open(cq, 'audit?date=2025-12-31', 'county audit');
  const cqStations = await cq.locator('main select[name=station] option').evaluateAll((os) => os.map((o) => o.value));
  check(JSON.stringify(cqStations) === JSON.stringify(['9161A']), `audit: the county user is offered only 城区's station (${cqStations})`);
  check(await cq.locator('#month-close, #month-reopen').count() === 0, 'audit: the county user is not offered month closing');
  await cq.selectOption('#audit-change select[name=action]', 'invalidate');
  await cq.selectOption('#audit-change select[name=from]', '2025-12-31 08:00');
  await cq.selectOption('#audit-change select[name=to]', '2025-12-31 08:00');
  await cq.selectOption('#audit-change select[name=which]', '');
  await cq.click('#audit-apply');
  await cq.waitForFunction(() => document.querySelector('#audit-msg')?.textContent, null, { timeout: 60000 });
  check((await cq.textContent('#audit-msg')).includes('已记录 6 个版本') &&
    (await cq.textContent('#audit-hours tr[data-hour="08:00"] .audit-state')) === '已无效', 'audit: the county user invalidates an hour of its station (six pollutants)');
  await cq.screenshot({ path: join(out, 'audit-county.png'), fullPage: true });
  await cq.context().close();
  // The enterprise user: its power event in its duty view and its own three networks (another enterprise refused).
  const ent = await newPage(DESKTOP);
  await signIn(ent, 'e01');
  await open(ent, 'duty', 'e01 duty');
  check((await ent.textContent('#bad-now')).includes('治污设施未同步运行'), 'duty: the enterprise user sees its power event');
  await open(ent, `sources?date=${process.env.POWER_DAY}`, 'e01 sources three networks', 1);
  check(await ent.inputValue('#networks select[name=network-enterprise]') === 'E01', 'networks: the enterprise user\'s own enterprise');
  check((await ent.textContent('#net-power')).includes('E01/T5'), 'networks: the enterprise user sees its lines');
  const otherRefused = await ent.evaluate(async () => (await fetch('/api/enterprises/E02/networks')).status);
  check(otherRefused === 403, `networks: another enterprise refused to the enterprise user (${otherRefused})`);
  await ent.context().close();
  // Public and enterprise users: no menu entry (above), and the address falls back to today.
  for (const user of ['', 'e01']) {
    const p = await newPage(DESKTOP);
    await signIn(p, user);
    await p.goto(`${url}#/audit`);
    await p.waitForSelector('main[data-ready="true"]');
    check(await p.getAttribute('main', 'data-page') === 'today', `audit: not shown to ${user || 'the public'} (today instead)`);
    await p.context().close();
  }

  // ---- 5. phone screenshots
  const phone = await newPage(PHONE);
  await signIn(phone, login);
  for (const id of ['today', 'duty', 'emergency', 'audit']) {
    await open(phone, id, `phone ${id}`);
    await phone.screenshot({ path: join(out, `${id}-phone.png`), fullPage: true });
  }
  await phone.context().close();
} catch (e) {
  failures.push(String(e));
  console.log(`FAIL ${e}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
  await browser.close();
}
console.log('page-open times (ms, first open in a cold context, then switches):');
for (const [what, ms] of timings) console.log(`  ${String(ms).padStart(6)}  ${what}`);
if (failures.length) {
  console.log(`${failures.length} failure(s)`);
  process.exit(1);
}
console.log('browser test passed');
