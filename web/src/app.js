// The dashboard: a hash router over the pages (#/page?key=value: the view's period and filters are in the URL,
// so a view can be bookmarked and shared), the session (cookie + CSRF token), the API calls, the warning banner.
import { t, toggleLang, applyStatic, currentLang } from './i18n.js';
import { pages } from './pages.js';
import { refusalText } from './refusals.js';

const state = { user: null, csrf: '', city: '', warning: null, warningAt: 0 };

// Calls the API in the user's language; throws an Error with the API's message (in the user's language:
// refusals.js) and status on failure.
export async function api(path, options = {}) {
  const headers = { 'Accept-Language': currentLang() === 'zh' ? 'zh-CN' : 'en', ...(options.headers || {}) };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.method && options.method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  const res = await fetch(path, {
    method: options.method || 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: 'same-origin',
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(body.error ? refusalText(res.status, body.error, currentLang()) : res.statusText);
    err.status = res.status;
    throw err;
  }
  return body;
}

export function session() {
  return state;
}

// Who sees which page: the menu offers only what the role may open (the API's access, docs/accounts.md).
const STAFF = ['admin', 'analyst', 'county'];
const SIGNED_IN = [...STAFF, 'enterprise', 'public'];
const menu = [
  { id: 'today' },
  { id: 'air' },
  { id: 'water' },
  { id: 'duty', roles: [...STAFF, 'enterprise'] },
  { id: 'sources', roles: [...STAFF, 'enterprise'] },
  { id: 'audit', roles: STAFF },
  { id: 'targets', roles: STAFF },
  { id: 'ledger', roles: STAFF },
  { id: 'emergency', roles: STAFF },
  { id: 'soil', roles: STAFF },
  { id: 'reports', roles: STAFF },
  { id: 'task', roles: STAFF, hidden: true },
];
export function mayOpen(id) {
  const m = menu.find((x) => x.id === id);
  if (!m) return false;
  if (!m.roles) return true;
  return !!state.user && m.roles.includes(state.user.role) && SIGNED_IN.includes(state.user.role);
}

function renderNav(current) {
  const nav = document.getElementById('nav');
  nav.replaceChildren();
  for (const m of menu) {
    if (m.hidden || !mayOpen(m.id)) continue;
    const a = document.createElement('a');
    a.href = `#/${m.id}`;
    a.textContent = t(m.id);
    a.dataset.page = m.id;
    if (m.id === current) a.className = 'active';
    nav.append(a);
  }
}

function renderAccount() {
  document.getElementById('who').textContent = state.user ? `${state.user.login} (${state.user.role})` : t('guest');
  document.getElementById('logout').hidden = !state.user;
  document.getElementById('login').hidden = !!state.user;
  document.getElementById('lang').textContent = currentLang() === 'zh' ? 'English' : '中文';
}

// The warning in force on every page (staff may read warnings); refreshed at most once a minute.
async function renderBanner() {
  const banner = document.getElementById('banner');
  if (!state.user || !STAFF.includes(state.user.role)) {
    banner.hidden = true;
    return;
  }
  if (!state.warning || Date.now() - state.warningAt > 60000) {
    try {
      state.warning = (await api('/api/emergency/warnings?limit=1')).in_force;
      state.warningAt = Date.now();
    } catch {
      state.warning = null;
    }
  }
  const w = state.warning;
  banner.hidden = !w || w.level === 'none';
  if (!banner.hidden) {
    banner.className = `banner ${w.level}`;
    banner.textContent = t('warning_banner', { level: t(w.level), since: w.since });
  }
}
export function warningChanged() {
  state.warning = null;
}

let charts = [];
// The pages that draw charts (the others never load ECharts).
const CHART_PAGES = new Set(['today', 'air', 'water', 'duty', 'sources', 'targets', 'ledger', 'emergency']);
// ECharts (only the parts the pages use: charts.js) is loaded on the first page that makes a chart, not with the
// app: a page without charts never fetches it, and a page with charts fetches it while its API calls run.
let chartLib = null;
let chartLoad = null;
// The chunks a lazily loaded module imports, as web/build.mjs lists them in index.html: fetched beside it, not
// after it has arrived and named them.
function preload(entry) {
  const list = document.getElementById('lazy-chunks');
  for (const href of list ? JSON.parse(list.textContent)[entry] || [] : []) {
    if (document.querySelector(`link[href="${href}"]`)) continue;
    document.head.append(Object.assign(document.createElement('link'), { rel: 'modulepreload', href }));
  }
}
function loadCharts() {
  if (!chartLoad) {
    preload('charts');
    chartLoad = import('./charts.js').then((m) => {
      chartLib = m;
      window.ecomonCharts = m;  // for the browser test and the console: getInstanceByDom, getMap
      return m;
    }).catch((e) => {
      chartLoad = null;  // the next page tries again
      throw e;
    });
  }
  return chartLoad;
}
// ECharts' geo component (map.js), for the pages that draw a map.
export function loadMap() {
  preload('map');
  return import('./map.js');
}
// Registers a chart so that it is disposed when the page changes and resized with the window; returns at once.
// Until ECharts has arrived, its calls (setOption, on) wait in order and run when it has; route() waits for that
// before it marks the page ready. Charts draw without animation: what a reader (or a screenshot) sees first is
// the final picture.
export function chart(el) {
  const c = { navigation, real: null, calls: [], disposed: false };
  const call = (name, args) => (c.real ? c.real[name](...args) : c.calls.push([name, args]));
  c.setOption = (option, ...rest) => call('setOption', [{ animation: false, textStyle: { fontFamily: FONT }, ...option }, ...rest]);
  c.on = (...args) => call('on', args);
  c.resize = () => c.real && c.real.resize();
  c.dispose = () => {
    c.disposed = true;
    if (c.real) c.real.dispose();
  };
  const start = (lib) => {
    if (c.disposed) return;
    c.real = lib.init(el);
    for (const [name, args] of c.calls) c.real[name](...args);
    c.calls = [];
  };
  if (chartLib) start(chartLib);
  else loadCharts().then(start);
  charts.push(c);
  return c;
}
const FONT = getComputedStyle(document.body).fontFamily;

// The page and its parameters from the hash: #/air?year=2025 -> ['air', {year: '2025'}].
export function hashRoute() {
  const h = location.hash.replace(/^#\/?/, '');
  const q = h.indexOf('?');
  const id = (q < 0 ? h : h.slice(0, q)) || 'today';
  const params = Object.fromEntries(new URLSearchParams(q < 0 ? '' : h.slice(q + 1)));
  return [id, params];
}
// Goes to the page with these parameters (empty ones dropped): a new history entry, bookmarkable.
export function go(id, params = {}) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const hash = `#/${id}${q.toString() ? `?${q}` : ''}`;
  if (location.hash === hash) route();
  else location.hash = hash;
}

// Each navigation gets a number; a page whose data arrives after a newer navigation began is dropped, so a slow
// page never lands over the one the user went to next.
let navigation = 0;

async function route() {
  const mine = ++navigation;
  const [id, params] = hashRoute();
  const page = pages[id] && mayOpen(id) ? id : 'today';
  if (CHART_PAGES.has(page)) loadCharts().catch(() => {});  // beside the page's API calls, not after them
  if (page === 'today') loadMap().catch(() => {});  // its map's part of ECharts, likewise
  renderNav(page === 'task' ? 'ledger' : page);
  renderAccount();
  applyStatic();
  charts.forEach((c) => c.dispose());
  charts = [];
  // A fresh element per navigation: a slower, older page still loading fills its own detached element.
  const main = document.createElement('main');
  main.id = 'page';
  main.dataset.page = page;
  main.dataset.ready = 'false';
  document.getElementById('page').replaceWith(main);
  // The banner loads beside the page (it never holds the page up); the tests wait for it by its element.
  const banner = renderBanner();
  try {
    if (!state.city) {
      const cities = await api('/api/air/cities');
      state.city = cities.items.length ? cities.items[0].city : '';
    }
    await pages[page](main, state, page === id ? params : {});
    if (charts.some((c) => !c.real)) await loadCharts();  // its charts drawn (their calls replayed) first
    await banner;
  } catch (e) {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = e.status === 401 ? t('signed_in_only') : e.status === 403 ? t('not_allowed') : e.message;
    main.append(p);
  }
  if (mine !== navigation) return;  // a newer navigation owns the page now
  charts = charts.filter((c) => {
    if (c.navigation === mine) return true;
    c.dispose();  // made by an older page that finished late
    return false;
  });
  charts.forEach((c) => c.resize());  // cards laid out after their charts were made change their width
  performance.mark(`ready ${page}`);  // for the page bench: when, from the navigation's start
  main.dataset.ready = 'true';
}

// Builds the current page again (after a write on it).
export function refresh() {
  return route();
}

async function loadSession() {
  try {
    const me = await api('/api/session');
    state.user = me.signed_in ? me : null;
    state.csrf = me.csrf || '';
  } catch {
    state.user = null;
    state.csrf = '';
  }
}

document.getElementById('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = new FormData(ev.target);
  const error = document.getElementById('login-error');
  error.textContent = '';
  try {
    const me = await api('/api/session', { method: 'POST', body: { login: form.get('login'), password: form.get('password') } });
    state.user = me;
    state.csrf = me.csrf;
    state.warning = null;
    ev.target.reset();
    route();
  } catch (e) {
    error.textContent = e.message;
  }
});
document.getElementById('logout').addEventListener('click', async () => {
  await api('/api/session', { method: 'DELETE' }).catch(() => {});
  state.user = null;
  state.csrf = '';
  state.warning = null;
  location.hash = '#/today';
  route();
});
document.getElementById('lang').addEventListener('click', () => {
  toggleLang();
  route();
});
window.addEventListener('hashchange', route);
window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

// The session and the city at once (neither waits for the other).
async function loadCity() {
  try {
    const cities = await api('/api/air/cities');
    state.city = cities.items.length ? cities.items[0].city : '';
  } catch {
    state.city = '';
  }
}
// A first open of a page with charts fetches ECharts beside the session and the city, not after them.
if (CHART_PAGES.has(hashRoute()[0])) loadCharts().catch(() => {});
await Promise.all([loadSession(), loadCity()]);
route();
