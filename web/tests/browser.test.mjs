// The dashboard in headless Chromium (playwright-core driving /usr/bin/chromium): open today's page as the
// public, log in, open every page and check its charts rendered (a canvas per chart, no console errors, no error
// message on the page), switch to English, log out. Screenshots of each page go to OUT_DIR.
//   node browser.test.mjs URL OUT_DIR LOGIN PASSWORD
import { chromium } from 'playwright-core';
import { join } from 'node:path';

const [url, out, login, password] = process.argv.slice(2);
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const consoleErrors = [];
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.on('pageerror', (e) => consoleErrors.push(e.message));
// The static files' headers as the browser got them (the first load, before anything is cached).
const staticHeaders = {};
page.on('response', (r) => {
  const path = new URL(r.url()).pathname;
  if (path.startsWith('/vendor/echarts.') && !staticHeaders.echarts) staticHeaders.echarts = r.headers();
  if (path === '/' && !staticHeaders.index) staticHeaders.index = r.headers();
});

async function open(id, minCharts) {
  await page.goto(`${url}#/${id}`);
  await page.waitForSelector(`main[data-page="${id}"][data-ready="true"]`, { timeout: 120000 });
  const charts = await page.locator('main .chart canvas').count();
  const errors = await page.locator('main .error').allTextContents();
  check(errors.length === 0, `${id}: no error on the page ${errors.join(' ')}`);
  check(charts >= minCharts, `${id}: ${charts} chart canvases (at least ${minCharts})`);
  await page.screenshot({ path: join(out, `${id}.png`), fullPage: true });
}

try {
  await open('today', 1);
  check(await page.locator('nav a[data-page="sources"]').count() === 0, 'public: no sources page in the menu');
  check(/^vendor\/echarts\.[0-9a-f]{12}\.min\.js$/.test(await page.getAttribute('script[src*="echarts"]', 'src')),
    'static: ECharts under its content-hashed name');
  check(staticHeaders.echarts?.['cache-control'] === 'public, max-age=31536000, immutable',
    `static: ECharts cached for a year (${staticHeaders.echarts?.['cache-control']})`);
  check(['br', 'gzip'].includes(staticHeaders.echarts?.['content-encoding']),
    `static: ECharts precompressed (${staticHeaders.echarts?.['content-encoding']})`);
  check(staticHeaders.index?.['cache-control'] === 'no-cache', 'static: index.html revalidated (no-cache)');

  await page.fill('#login-form input[name=login]', login);
  await page.fill('#login-form input[name=password]', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('nav a[data-page="sources"]', { timeout: 60000 });
  check((await page.textContent('#who')).includes(login), 'signed in: the user is shown');

  await open('today', 1);
  await open('air', 3);      // calendar, monthly trend, composite index
  await open('water', 1);    // sections per class
  await open('sources', 2);  // device states, rates
  await open('targets', 1);
  check(await page.locator('main table').count() > 0, 'targets: the table is there');
  await open('emergency', 1);  // roster per county
  check((await page.textContent('#warning-now')).length > 0, 'emergency: the warning in force is shown');
  check(await page.locator('main table').count() === 2, 'emergency: the list check and the roster');
  check((await page.textContent('#compliance')).includes('尚无'), 'emergency: no compliance before a warning ended');
  // Forecast advice: 150, 210, 230, 180 from today: two days > 200 -> yellow (spec 08).
  await page.click('#advice-go');
  await page.waitForFunction(() => document.querySelector('#advice-out')?.textContent.includes('黄色'), null, { timeout: 60000 });
  check(true, 'emergency: the forecast advice says yellow');
  // What-if: JC0001 becomes A (voluntary): a second table with the what-if shares.
  await page.fill('main input[name=grades]', 'JC0001=A');
  await page.click('#what-if-go');
  await page.waitForSelector('#what-if-table', { timeout: 60000 });
  check((await page.textContent('#what-if-msg')).length > 0, 'emergency: the what-if is shown');
  // Declare yellow, then lift: the page shows the warning, then the compliance of that warning.
  await page.selectOption('main select[name=level]', 'yellow');
  await page.fill('main input[name=at]', '2025-12-01 00:00');
  await page.click('#warning-declare');
  await page.waitForFunction(() => document.querySelector('#warning-now')?.textContent.includes('2025-12-01 00:00'), null, { timeout: 60000 });
  await page.waitForSelector('main[data-page="emergency"][data-ready="true"]', { timeout: 120000 });
  await page.fill('main input[name=at]', '2025-12-03 00:00');
  await page.click('#warning-lift');
  await page.waitForSelector('#compliance table', { timeout: 120000 });
  check((await page.textContent('#compliance')).includes('2025-12-01'), 'emergency: compliance of the lifted warning');
  await page.screenshot({ path: join(out, 'emergency-compliance.png'), fullPage: true });
  await open('ledger', 1);     // scorecard
  // Change a task's status through the page as admin; the row shows it (进行中).
  const task = 'autumn-winter-2020/17';
  await page.selectOption('main select[name=task]', task);
  await page.selectOption('main select[name=to]', 'in-progress');
  await page.click('#ledger-apply');
  await page.waitForFunction((id) => document.querySelector(`tr[data-task="${id}"] td.status`)?.textContent === '进行中',
    task, { timeout: 60000 });
  check((await page.textContent('#ledger-msg')).includes('进行中'), 'ledger: the status change is confirmed');
  await page.reload();  // read back from the server
  await page.waitForSelector('main[data-page="ledger"][data-ready="true"]', { timeout: 120000 });
  check(await page.textContent(`tr[data-task="${task}"] td.status`) === '进行中', 'ledger: the change is stored');

  await page.click('#lang');
  await page.waitForSelector('main[data-ready="true"]');
  check((await page.textContent('nav')).includes('Targets'), 'English switch: the menu is in English');
  await page.click('#lang');

  await page.click('#logout');
  await page.waitForFunction(() => !document.querySelector('nav a[data-page="sources"]'), null, { timeout: 60000 });
  check(!(await page.isHidden('#login')), 'logged out: the login form is back');
  check(consoleErrors.length === 0, `no console errors ${consoleErrors.join(' | ')}`);
} catch (e) {
  failures.push(String(e));
  console.log(`FAIL ${e}`);
  await page.screenshot({ path: join(out, 'failure.png'), fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}
if (failures.length) {
  console.log(`${failures.length} failure(s)`);
  process.exit(1);
}
console.log('browser test passed');
