// Building blocks of the pages: elements, cards, tables (paged, "无数据" when empty, cards on a phone), export
// links, period controls, Beijing time and the age of a figure.
import { chart } from './app.js';
import { t, has, currentLang } from './i18n.js';

export const enc = encodeURIComponent;

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'style') e.style.cssText = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
}

export function card(parent, titleKey, extra = '') {
  const c = el('div', { class: 'card' }, el('h2', {}, t(titleKey) + extra));
  parent.append(c);
  return c;
}

export function chartBox(parent, tall = false) {
  const box = el('div', { class: tall ? 'chart tall' : 'chart' });
  parent.append(box);
  return chart(box);
}

// A word for a code when there is one ("at-risk" -> 有风险), else the code.
export function word(code) {
  if (code === null || code === undefined || code === '') return '-';
  return has(code) ? t(code) : String(code);
}

function cell(c, label) {
  const td = c instanceof Node ? el('td', {}, c) : el('td', {}, c === null || c === undefined || c === '' ? '-' : String(c));
  td.dataset.label = label;
  return td;
}

// A table; `rows` of cells (text or nodes); "无数据" when there is no row. opts.rowAttrs(i) gives a row's attributes.
export function table(headers, rows, opts = {}) {
  const labels = headers.map((h) => t(h));
  const thead = el('thead', {}, el('tr', {}, ...labels.map((h) => el('th', {}, h))));
  const tbody = el('tbody');
  rows.forEach((r, i) => {
    const tr = el('tr', opts.rowAttrs ? opts.rowAttrs(i) : {}, ...r.map((c, j) => cell(c, labels[j])));
    tbody.append(tr);
  });
  if (!rows.length) tbody.append(el('tr', { class: 'empty' }, el('td', { colspan: headers.length }, t('no_data'))));
  return el('table', { class: 'data' }, thead, tbody);
}

// A table of many rows, a page at a time, with the count ("第 1–50 条, 共 486 条"): every row is reachable.
export function pagedTable(headers, rows, pageSize = 50, opts = {}) {
  const box = el('div', { class: 'paged' });
  let page = 0;
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const draw = () => {
    const from = page * pageSize;
    const to = Math.min(rows.length, from + pageSize);
    const tb = table(headers, rows.slice(from, to), { rowAttrs: opts.rowAttrs ? (i) => opts.rowAttrs(from + i) : undefined });
    const prev = el('button', { type: 'button', class: 'prev', disabled: page === 0 }, t('prev_page'));
    const next = el('button', { type: 'button', class: 'next', disabled: page >= pages - 1 }, t('next_page'));
    prev.addEventListener('click', () => { page -= 1; draw(); });
    next.addEventListener('click', () => { page += 1; draw(); });
    const count = el('span', { class: 'count' }, t('rows_of', { a: rows.length ? from + 1 : 0, b: to, n: rows.length }));
    box.replaceChildren(tb, el('div', { class: 'pager' }, prev, count, next));
  };
  draw();
  return box;
}

// Links that download the list behind a table: the same API query with format=csv|xlsx and the language.
export function exportLinks(url) {
  const sep = url.includes('?') ? '&' : '?';
  const lang = currentLang();
  return el('div', { class: 'export' },
    el('a', { href: `${url}${sep}format=csv&lang=${lang}`, class: 'csv', download: '' }, t('export_csv')),
    el('a', { href: `${url}${sep}format=xlsx&lang=${lang}`, class: 'xlsx', download: '' }, t('export_xlsx')));
}

// ---- Beijing time: the platform's clock (every date a user types or sees is Beijing civil time).
export function bjNow() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().replace('T', ' ').slice(0, 19);
}
export function bjToday() {
  return bjNow().slice(0, 10);
}
export function bjMonth() {
  return bjNow().slice(0, 7);
}
export function bjYear() {
  return Number(bjNow().slice(0, 4));
}
function dayNumber(ymd) {
  return Math.floor(Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10))) / 86400000);
}
// Whole days from `ymd` to today (Beijing).
export function daysBehind(ymd) {
  return dayNumber(bjToday()) - dayNumber(ymd);
}
// "20261207082421" -> "2026-12-07 08:24:21" (HJ 212 DataTime), other texts as they are.
export function dataTime(s) {
  if (!s) return t('last_data_never');
  const d = String(s);
  return /^\d{14}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)} ${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12, 14)}` : d;
}

// The age of a figure: "数据截至 2025-12-31 24:00 (滞后 341 天)", or "(最新)" when it is no more than `allowDays`
// behind today (Beijing). "24:00" (the hour ending at midnight) counts as the next day.
export function age(asOf, allowDays = 0) {
  if (!asOf) return el('p', { class: 'age stale' }, `${t('age_as_of')} - (${t('no_data')})`);
  const lag = daysBehind(asOf.slice(0, 10)) - (asOf.endsWith('24:00') ? 1 : 0);
  const stale = lag > allowDays;
  const text = `${t('age_as_of')} ${asOf} (${stale ? t('lag_days', { n: lag }) : t('current')})`;
  return el('p', { class: stale ? 'age stale' : 'age' }, text);
}

// ---- periods: {year} | {quarter: 2025-Q1} | {month: 2025-01} | {date} | {from, to}, from and to the URL.
export function periodOf(q, fallbackYear) {
  if (q.month) return { month: q.month };
  if (q.quarter) return { quarter: q.quarter };
  if (q.date) return { date: q.date };
  if (q.from && q.to) return { from: q.from, to: q.to };
  return { year: String(q.year || fallbackYear) };
}
export function periodQuery(p) {
  return Object.entries(p).map(([k, v]) => `${k}=${enc(v)}`).join('&');
}
// The first and last day of a period.
export function periodDays(p) {
  if (p.year) return [`${p.year}-01-01`, `${p.year}-12-31`];
  if (p.month) {
    const [y, m] = p.month.split('-').map(Number);
    return [`${p.month}-01`, `${p.month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`];
  }
  if (p.quarter) {
    const y = p.quarter.slice(0, 4);
    const n = Number(p.quarter.slice(-1));
    const last = ['03-31', '06-30', '09-30', '12-31'][n - 1];
    return [`${y}-${String(3 * n - 2).padStart(2, '0')}-01`, `${y}-${last}`];
  }
  if (p.date) return [p.date, p.date];
  return [p.from, p.to];
}
export function periodText(p) {
  if (p.year) return p.year;
  if (p.from) return `${p.from} – ${p.to}`;
  return Object.values(p)[0];
}

// The period picker: kind (year, quarter, month, day, custom) and its inputs; `apply(period)` on 查询.
export function periodControl(current, kinds, apply) {
  const kind = el('select', { name: 'period-kind' }, ...kinds.map((k) => el('option', { value: k }, t(`p_${k}`))));
  const currentKind = current.year ? 'year' : current.quarter ? 'quarter' : current.month ? 'month' : current.date ? 'date' : 'custom';
  kind.value = kinds.includes(currentKind) ? currentKind : kinds[0];
  const [first, last] = periodDays(current);
  const inputs = {
    year: el('input', { name: 'year', type: 'number', min: 2000, max: 2100, value: first.slice(0, 4), style: 'width:6em' }),
    quarter: el('select', { name: 'quarter' }, ...[1, 2, 3, 4].map((n) => el('option', { value: `Q${n}` }, `Q${n}`))),
    month: el('input', { name: 'month', type: 'month', value: first.slice(0, 7) }),
    date: el('input', { name: 'date', type: 'date', value: last }),
    from: el('input', { name: 'from', type: 'date', value: first }),
    to: el('input', { name: 'to', type: 'date', value: last }),
  };
  if (current.quarter) inputs.quarter.value = current.quarter.slice(5);
  const box = el('span', { class: 'inputs' });
  const show = () => {
    const k = kind.value;
    const parts = k === 'year' ? [inputs.year] : k === 'quarter' ? [inputs.year, inputs.quarter] : k === 'month' ? [inputs.month]
      : k === 'date' ? [inputs.date] : [inputs.from, '–', inputs.to];
    box.replaceChildren(...parts);
  };
  kind.addEventListener('change', show);
  show();
  const go = el('button', { type: 'button', class: 'period-go' }, t('show'));
  go.addEventListener('click', () => {
    const k = kind.value;
    const p = k === 'year' ? { year: inputs.year.value } : k === 'quarter' ? { quarter: `${inputs.year.value}-${inputs.quarter.value}` }
      : k === 'month' ? { month: inputs.month.value } : k === 'date' ? { date: inputs.date.value } : { from: inputs.from.value, to: inputs.to.value };
    apply(p);
  });
  return el('div', { class: 'form period' }, el('label', {}, `${t('period_kind')} `, kind), box, go);
}

// HJ 212 pollutant codes of the source devices, by the code table's names (HJ 212-2017 Appendix B).
const CODES = {
  a21026: ['二氧化硫', 'SO2'], a21002: ['氮氧化物', 'NOx'], a34013: ['烟尘', 'Particulates'], a21005: ['一氧化碳', 'CO'],
  a19001: ['氧气含量', 'O2'], a01011: ['烟气流速', 'Flue gas velocity'], a01012: ['烟气温度', 'Flue gas temperature'],
  a01013: ['烟气压力', 'Flue gas pressure'], a01014: ['烟气湿度', 'Flue gas humidity'], a24088: ['非甲烷总烃', 'NMHC'],
  w01018: ['化学需氧量', 'COD'], w21003: ['氨氮', 'Ammonia nitrogen'], w01001: ['pH 值', 'pH'], w21011: ['总磷', 'Total phosphorus'],
  w21001: ['总氮', 'Total nitrogen'], w00000: ['污水', 'Waste water'], a00000: ['废气', 'Flue gas'],
};
export function pollutantName(code) {
  if (!code) return '-';
  const n = CODES[code];
  return n ? `${currentLang() === 'zh' ? n[0] : n[1]} (${code})` : code;
}
// Units as the standards write them.
export function unit(u) {
  if (!u) return '';
  return String(u).replace(/ug\/m3/g, 'µg/m³').replace(/mg\/m3/g, 'mg/m³').replace(/m3/g, 'm³');
}
// A pollutant's concentration with the precision HJ 633 gives it: CO one decimal (mg/m³), the others whole.
export function conc(p, v) {
  if (v === null || v === undefined) return '-';
  return p === 'CO' ? Number(v).toFixed(1) : String(v);
}
