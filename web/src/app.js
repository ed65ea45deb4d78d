// The dashboard: a hash router over the pages, the session (cookie + CSRF token), and the API calls.
import { t, toggleLang, applyStatic, currentLang } from './i18n.js';
import { pages } from './pages.js';

const state = { user: null, csrf: '', city: '' };

// Calls the API; throws an Error with the API's message and status on failure.
export async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
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
    const err = new Error(body.error ? body.error.message : res.statusText);
    err.status = res.status;
    throw err;
  }
  return body;
}

export function session() {
  return state;
}

const menu = [
  { id: 'today', public: true },
  { id: 'air', public: true },
  { id: 'water', public: true },
  { id: 'sources', public: false },
  { id: 'targets', public: false },
  { id: 'ledger', public: false },
  { id: 'emergency', public: false },
];

function renderNav(current) {
  const nav = document.getElementById('nav');
  nav.replaceChildren();
  for (const m of menu) {
    if (!m.public && !state.user) continue;
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

let charts = [];
// Registers a chart so that it is disposed when the page changes and resized with the window.
// Charts draw without animation: what a reader (or a screenshot) sees first is the final picture.
export function chart(el) {
  const c = echarts.init(el);
  const set = c.setOption.bind(c);
  c.setOption = (option, ...rest) => set({ animation: false, ...option }, ...rest);
  c.navigation = navigation;
  charts.push(c);
  return c;
}

// Each navigation gets a number; a page whose data arrives after a newer navigation began is dropped, so a slow
// page never lands over the one the user went to next.
let navigation = 0;

async function route() {
  const mine = ++navigation;
  const id = (location.hash.replace(/^#\//, '') || 'today').split('?')[0];
  const page = pages[id] && (menu.find((m) => m.id === id).public || state.user) ? id : 'today';
  renderNav(page);
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
  try {
    if (!state.city) {
      const cities = await api('/api/air/cities');
      state.city = cities.items.length ? cities.items[0].city : '';
    }
    await pages[page](main, state);
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
  location.hash = '#/today';
  route();
});
document.getElementById('lang').addEventListener('click', () => {
  toggleLang();
  route();
});
window.addEventListener('hashchange', route);
window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

await loadSession();
route();
