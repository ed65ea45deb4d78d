// The pages: each builds its cards and charts from the API into `main`.
import { api, chart, refresh } from './app.js';
import { t, currentLang } from './i18n.js';

const enc = encodeURIComponent;
const POLLUTANTS = ['SO2', 'NO2', 'PM10', 'PM2.5', 'CO', 'O3'];
// HJ 633 level colours (Table 2).
const LEVEL_COLOURS = ['#00E400', '#FFFF00', '#FF7E00', '#FF0000', '#99004C', '#7E0023'];

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'style') e.style.cssText = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
}

function card(main, titleKey, extra = '') {
  const c = el('div', { class: 'card' }, el('h2', {}, t(titleKey) + extra));
  main.append(c);
  return c;
}

function table(headers, rows) {
  const thead = el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, t(h)))));
  const tbody = el('tbody');
  for (const r of rows) tbody.append(el('tr', {}, ...r.map((c) => (c instanceof Node ? el('td', {}, c) : el('td', {}, String(c ?? '-'))))));
  return el('table', {}, thead, tbody);
}

function chartBox(parent, tall = false) {
  const box = el('div', { class: tall ? 'chart tall' : 'chart' });
  parent.append(box);
  return chart(box);
}

function levelSwatch(colour) {
  return el('span', { class: 'level', style: `background:${colour || '#ccc'}` });
}

function categoryText(h) {
  if (!h) return '-';
  return currentLang() === 'en' && h.category_en ? h.category_en : h.category;
}

function primaryText(h) {
  return h && h.primary && h.primary.length ? h.primary.join(', ') : '-';
}

async function latestDate(s) {
  if (!s.date) s.date = (await api(`/api/air/today?city=${enc(s.city)}`)).date;
  return s.date;
}

// ---- today: the city's real-time AQI and each station's on a lon/lat scatter
async function today(main, s) {
  const d = await api(`/api/air/today?city=${enc(s.city)}`);
  s.date = d.date;
  const h = d.city_hour;
  const top = card(main, 'city_aqi', ` · ${d.city} · ${h ? h.hour : d.date}`);
  if (h) {
    top.append(
      el('div', { class: 'aqi', style: `background:${h.colour}` }, String(h.aqi)),
      el('p', {}, `${t('category')}: ${categoryText(h)} · ${t('level')}: ${h.level_name} · ${t('primary')}: ${primaryText(h)}`),
      el('p', {}, `${t('health')}: ${h.health_effect}`),
      el('p', {}, `${t('advice')}: ${h.advice}`),
    );
  }
  const grid = el('div', { class: 'grid' });
  main.append(grid);
  const mapCard = card(grid, 'map');
  const withPos = d.stations.filter((st) => st.longitude !== null && st.latitude !== null);
  chartBox(mapCard).setOption({
    tooltip: { formatter: (p) => `${p.data.name}<br>AQI ${p.data.value[2] ?? '-'}` },
    xAxis: { type: 'value', scale: true, name: 'lon' },
    yAxis: { type: 'value', scale: true, name: 'lat' },
    series: [{
      type: 'scatter',
      symbolSize: 28,
      label: { show: true, formatter: (p) => `${p.data.name}\n${p.data.value[2] ?? '-'}`, position: 'top' },
      data: withPos.map((st) => ({
        name: st.name,
        value: [st.longitude, st.latitude, st.hour ? st.hour.aqi : null],
        itemStyle: { color: st.hour ? st.hour.colour : '#ccc', borderColor: '#333' },
      })),
    }],
  });
  const list = card(grid, 'stations');
  list.append(table(['station', 'aqi', 'category', 'primary', 'hour'], d.stations.map((st) => [
    st.name, st.hour ? el('span', {}, levelSwatch(st.hour.colour), String(st.hour.aqi)) : '-', categoryText(st.hour),
    primaryText(st.hour), st.hour ? st.hour.hour : '-',
  ])));
}

// ---- air: calendar, monthly trend against limits, composite index and ranking, year on year
async function air(main, s) {
  const year = Number((await latestDate(s)).slice(0, 4));
  const [daily, monthly, period, rank] = await Promise.all([
    api(`/api/air/daily?city=${enc(s.city)}&year=${year}&limit=1000`),
    api(`/api/air/monthly?city=${enc(s.city)}&year=${year}`),
    api(`/api/air/period?city=${enc(s.city)}&year=${year}`),
    api(`/api/air/rank?year=${year}`),
  ]);
  const cal = card(main, 'calendar', ` · ${s.city} ${year}`);
  chartBox(cal).setOption({
    tooltip: { formatter: (p) => `${p.data[0]}: AQI ${p.data[1]}` },
    visualMap: {
      type: 'piecewise', orient: 'horizontal', left: 'center', top: 0,
      pieces: [[0, 50], [51, 100], [101, 150], [151, 200], [201, 300], [301, 100000]].map(([min, max], i) => ({ min, max, color: LEVEL_COLOURS[i] })),
    },
    calendar: { range: String(year), top: 70, left: 40, right: 20, cellSize: ['auto', 20], dayLabel: { nameMap: currentLang() === 'zh' ? 'ZH' : 'EN' }, monthLabel: { nameMap: currentLang() === 'zh' ? 'ZH' : 'EN' } },
    series: [{ type: 'heatmap', coordinateSystem: 'calendar', data: daily.items.filter((d) => d.aqi !== null).map((d) => [d.date, d.aqi]) }],
  });

  const grid = el('div', { class: 'grid' });
  main.append(grid);
  const trend = card(grid, 'monthly');
  chartBox(trend).setOption({
    tooltip: { trigger: 'axis' },
    legend: { data: POLLUTANTS },
    xAxis: { type: 'category', data: monthly.items.map((m) => m.month) },
    yAxis: { type: 'value', name: '%' },
    series: POLLUTANTS.map((p) => ({
      name: p,
      type: 'line',
      data: monthly.items.map((m) => (m[p] !== null && m[`${p}_limit`] ? Math.round((1000 * m[p]) / m[`${p}_limit`]) / 10 : null)),
      markLine: p === 'SO2' ? { silent: true, symbol: 'none', data: [{ yAxis: 100, name: t('limit') }], lineStyle: { color: '#b00020' } } : undefined,
    })),
  });

  const comp = card(grid, 'composite');
  const ci = period.composite_index || {};
  comp.append(el('p', {}, `${t('composite_index')}: ${ci.value ?? '-'} · ${t('good_ratio')}: ${period.days.good_ratio ?? '-'}% · ${t('days_valid')}: ${period.days.valid}`));
  chartBox(comp).setOption({
    tooltip: {},
    xAxis: { type: 'category', data: rank.ranking.map((r) => r.city) },
    yAxis: { type: 'value', name: t('composite_index') },
    series: [{ type: 'bar', data: rank.ranking.map((r) => r.composite_index), label: { show: true, position: 'top' } }],
  });
  comp.append(table(['rank', 'city', 'composite_index'], rank.ranking.map((r) => [r.rank, r.city, r.composite_index])));

  const yoy = card(main, 'yoy', ` · ${year} / ${year - 1}`);
  yoy.append(table(['pollutant', 'value', 'limit', 'change'], POLLUTANTS.map((p) => {
    const x = period.pollutants[p] || {};
    const a = x.assessed || {};
    const ch = x.year_on_year ? `${x.year_on_year.percent}%` : '-';
    return [p, `${a.value ?? '-'} ${a.unit || ''}`, a.limit ?? '-', ch];
  })));
}

// ---- water: sections (class, target, status, change) and wells (grade)
async function water(main, s) {
  const year = (await latestDate(s)).slice(0, 4);
  const w = await api(`/api/water/sections?period=${year}&limit=1000`);
  const grid = el('div', { class: 'grid' });
  main.append(grid);
  const counts = {};
  for (const sec of w.items) counts[sec.class] = (counts[sec.class] || 0) + 1;
  const classes = ['Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', 'Ⅴ', '劣Ⅴ', '-'].filter((c) => counts[c]);
  const bar = card(grid, 'class_count', ` · ${year}`);
  chartBox(bar).setOption({
    tooltip: {},
    xAxis: { type: 'category', data: classes },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: classes.map((c) => counts[c]), label: { show: true, position: 'top' } }],
  });
  const rivers = card(grid, 'river');
  rivers.append(table(['river', 'class', 'status', 'change'], (w.rivers || []).map((r) => [r.river, r.mean_class, r.status, r.change])));
  const sections = card(main, 'sections', ` · ${year}`);
  sections.append(table(['section', 'river', 'target', 'class', 'status', 'meets', 'previous', 'change'], w.items.map((x) => [
    x.section, x.river, x.target, x.class, x.status,
    x.meets_target === '否' ? el('span', { class: 'bad' }, x.meets_target) : x.meets_target, x.previous_class, x.change,
  ])));
  const wells = card(main, 'wells', ` · ${year}`);
  try {
    const g = await api(`/api/groundwater/wells?period=${year}&limit=1000`);
    wells.append(table(['well', 'county', 'class', 'grade'], g.items.map((x) => [x.well, x.county, x.class, x.f_grade])));
  } catch (e) {
    wells.append(el('p', { class: 'note' }, e.status === 401 ? t('signed_in_only') : t('not_allowed')));
  }
}

function civilMonth() {
  const now = new Date(Date.now() + 8 * 3600 * 1000);  // Beijing time
  return now.toISOString().slice(0, 7);
}

// ---- sources: devices online/silent/exceeding, events, monthly effective-transmission rates
async function sources(main) {
  const month = civilMonth();
  const [devices, events, rates] = await Promise.all([
    api('/api/sources/devices?limit=1000'),
    api('/api/sources/events?limit=200'),
    api(`/api/sources/rates?month=${month}&kind=realtime&limit=1000`),
  ]);
  const grid = el('div', { class: 'grid' });
  main.append(grid);
  const states = ['online', 'silent', 'exceeding', 'no_data'];
  const colours = { online: '#2e7d32', silent: '#9e9e9e', exceeding: '#b00020', no_data: '#e0e0e0' };
  const pie = card(grid, 'devices', ` · ${devices.total}`);
  chartBox(pie).setOption({
    tooltip: {},
    legend: { bottom: 0 },
    series: [{
      type: 'pie', radius: ['40%', '70%'],
      data: states.map((st) => ({ name: t(st), value: devices.items.filter((d) => d.state === st).length, itemStyle: { color: colours[st] } })),
    }],
  });
  const rateCard = card(grid, 'rates', ` · ${month}`);
  chartBox(rateCard).setOption({
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rates.items.map((r) => r.mn.slice(-4)), axisLabel: { rotate: 45 } },
    yAxis: { type: 'value', name: '%', max: 100 },
    series: [{ name: t('effective'), type: 'bar', data: rates.items.map((r) => r.effective) }],
  });
  const list = card(main, 'devices');
  list.append(table(['device', 'enterprise', 'county', 'outlet', 'state', 'last_data'], devices.items.map((d) => [
    d.mn, d.enterprise, d.county, d.outlet,
    d.state === 'exceeding' ? el('span', { class: 'bad' }, t(d.state)) : t(d.state), d.last_data_time,
  ])));
  const ev = card(main, 'events');
  ev.append(events.items.length
    ? table(['kind', 'device', 'enterprise', 'pollutant', 'opened', 'closed'], events.items.map((e) => [
      t(e.kind), e.mn, e.enterprise, e.pollutant, e.opened_at, e.closed_at,
    ]))
    : el('p', { class: 'note' }, t('none')));
}

// ---- targets: where the year's air targets stand, with the budget left
async function targets(main, s) {
  const asOf = await latestDate(s);
  const r = await api(`/api/targets/status?city=${enc(s.city)}&as_of=${asOf}`);
  const c = card(main, 'targets_title', ` · ${r.city} ${r.year} · ${t('as_of')} ${r.as_of}`);
  chartBox(c).setOption({
    tooltip: { trigger: 'axis' },
    legend: { data: [t('ytd'), t('limit')] },
    xAxis: { type: 'category', data: r.items.map((x) => `${x.target} (${x.unit})`) },
    yAxis: { type: 'value' },
    series: [
      { name: t('ytd'), type: 'bar', data: r.items.map((x) => x.ytd) },
      { name: t('limit'), type: 'bar', data: r.items.map((x) => x.limit) },
    ],
  });
  c.append(table(['target', 'limit', 'ytd', 'state', 'remaining', 'forecast'], r.items.map((x) => [
    x.target, `${x.bound === 'at_most' ? '≤' : '≥'} ${x.limit} ${x.unit}`, x.ytd, x.state,
    x.remaining_mean_limit ?? x.affordable_days ?? '-', x.forecast,
  ])));
}

// ---- ledger: the tasks by unit, overdue highlighted; a status change for users who may write
function isoToday() {
  return new Date().toISOString().slice(0, 10);
}

async function ledger(main, s) {
  const asOf = isoToday();
  const [tasks, score] = await Promise.all([
    api(`/api/ledger/tasks?limit=1000&as_of=${asOf}`),
    api(`/api/ledger/reports/scorecard?limit=1000&as_of=${asOf}`),
  ]);
  const sc = card(main, 'scorecard', ` · ${t('as_of')} ${asOf}`);
  chartBox(sc, true).setOption({
    tooltip: { trigger: 'axis' },
    legend: { data: [t('total'), t('overdue')] },
    grid: { left: 160 },
    yAxis: { type: 'category', data: score.items.map((r) => r.unit) },
    xAxis: { type: 'value' },
    series: [
      { name: t('total'), type: 'bar', data: score.items.map((r) => r.total) },
      { name: t('overdue'), type: 'bar', data: score.items.map((r) => r.overdue), itemStyle: { color: '#b00020' } },
    ],
  });
  if (s.user && ['admin', 'analyst', 'county'].includes(s.user.role) && tasks.items.length) {
    const c = card(main, 'change_status');
    const pick = el('select', { name: 'task' }, ...tasks.items.map((x) => el('option', { value: x.id }, x.id)));
    const to = el('select', { name: 'to' }, ...['in-progress', 'done', 'closed'].map((x) => el('option', { value: x }, t(x))));
    const day = el('input', { name: 'day', type: 'date', value: asOf });
    const note = el('input', { name: 'note', placeholder: t('note') });
    const msg = el('span', { class: 'note', id: 'ledger-msg' });
    const go = el('button', { type: 'button', id: 'ledger-apply' }, t('apply'));
    go.addEventListener('click', async () => {
      msg.textContent = '';
      try {
        const r = await api(`/api/ledger/tasks/${pick.value}/status`, {
          method: 'POST', body: { to: to.value, day: day.value, note: note.value },
        });
        const row = main.querySelector(`tr[data-task="${r.id}"] td.status`);
        if (row) row.textContent = t(r.status);
        msg.textContent = `${r.id}: ${t(r.status)} ${t('saved')}`;
      } catch (e) {
        msg.textContent = e.message;
      }
    });
    c.append(el('div', { class: 'form' }, pick, to, day, note, go, msg));
  }
  const list = card(main, 'ledger_title', ` · ${tasks.total}`);
  const rows = table(['task', 'text', 'lead_units', 'due', 'status', 'overdue'], []);
  const body = rows.querySelector('tbody');
  for (const x of tasks.items) {
    const units = [...x.lead_units, ...x.responsible_units].slice(0, 3).join('、');
    const tr = el('tr', { 'data-task': x.id },
      el('td', {}, x.id), el('td', {}, x.text.length > 60 ? `${x.text.slice(0, 60)}…` : x.text), el('td', {}, units),
      el('td', {}, x.due), el('td', { class: 'status' }, t(x.status)),
      el('td', {}, x.overdue ? el('span', { class: 'bad' }, t('overdue')) : ''));
    body.append(tr);
  }
  list.append(rows);
}

// ---- emergency: the warning in force (declare/lift for the bureau), forecast advice, the list check with
// what-ifs, the control roster and the compliance of the last warning
const BUREAU = ['admin', 'analyst'];

function form(...children) {
  return el('div', { class: 'form' }, ...children);
}

async function emergency(main, s) {
  const w = await api('/api/emergency/warnings?limit=1000');
  const inForce = w.in_force.level !== 'none';
  const now = card(main, 'warning_now');
  now.append(el('p', { id: 'warning-now' },
    inForce ? `${t(w.in_force.level)} ${t('since')} ${w.in_force.since}` : t('no_warning')));
  if (w.items.length) {
    now.append(table(['action', 'level', 'from', 'by', 'reason'], w.items.slice(-10).reverse().map((e) => [
      t(e.action), t(e.level), e.effective_from, e.declared_by, e.reason,
    ])));
  }
  if (s.user && BUREAU.includes(s.user.role)) {
    const level = el('select', { name: 'level' }, ...['yellow', 'orange', 'red'].map((x) => el('option', { value: x }, t(x))));
    const at = el('input', { name: 'at', value: `${isoToday()} 00:00`, size: 16 });
    const reason = el('input', { name: 'reason', placeholder: t('reason') });
    const msg = el('span', { class: 'note', id: 'warning-msg' });
    const act = (path, body) => async () => {
      msg.textContent = '';
      try {
        await api(path, { method: 'POST', body });
        refresh();
      } catch (e) {
        msg.textContent = e.message;
      }
    };
    const declare = el('button', { type: 'button', id: 'warning-declare' }, t('declare'));
    declare.addEventListener('click', () => act('/api/emergency/declare', { level: level.value, from: at.value, reason: reason.value })());
    const lift = el('button', { type: 'button', id: 'warning-lift' }, t('lift'));
    lift.addEventListener('click', () => act('/api/emergency/lift', { from: at.value, reason: reason.value })());
    now.append(form(level, at, reason, declare, lift, msg));
  }

  // Forecast advice: the days' AQI from today on.
  const adv = card(main, 'advice_title');
  const start = el('input', { name: 'start', type: 'date', value: isoToday() });
  const aqi = el('input', { name: 'aqi', value: '150,210,230,180', size: 24 });
  const advOut = el('p', { id: 'advice-out' });
  const advGo = el('button', { type: 'button', id: 'advice-go' }, t('decide'));
  advGo.addEventListener('click', async () => {
    advOut.textContent = '';
    try {
      const r = await api(`/api/emergency/advice?start=${enc(start.value)}&aqi=${enc(aqi.value.replace(/\s/g, ''))}`);
      advOut.textContent = `${t('forecast_level')}: ${t(r.decision.level)}` +
        (r.decision.first ? ` (${r.decision.first}..${r.decision.last})` : '') +
        ` · ${t('advice')}: ${t(r.advice.action)} ${r.advice.level !== 'none' ? t(r.advice.level) : ''}` +
        (r.advice.from ? ` ${t('since')} ${r.advice.from}` : '') + ` · ${r.advice.reason}`;
    } catch (e) {
      advOut.textContent = e.message;
    }
  });
  adv.append(form(el('label', {}, t('start'), ' ', start), el('label', {}, 'AQI ', aqi), advGo), advOut);

  // The list check, and a what-if on grade changes.
  const check = await api('/api/emergency/check-list');
  const cl = card(main, 'check_list', ` · ${check.enterprises} · ${check.lines} ${t('line')}`);
  const checkRows = (c, other) => {
    const rows = [];
    (c.levels || []).forEach((l, i) => {
      for (const [j, p] of (l.pollutants || []).entries()) {
        const row = [t(l.level), p.pollutant, p.baseline_kg_d, p.reduction_kg_d, p.share_percent, l.required_percent,
          p.reached ? '✓' : el('span', { class: 'bad' }, '✗')];
        if (other) {
          const q = other.levels[i].pollutants[j];
          row.push(q.share_percent, q.reached ? '✓' : el('span', { class: 'bad' }, '✗'));
        }
        rows.push(row);
      }
    });
    return rows;
  };
  const listTable = table(['level', 'pollutant', 'baseline', 'reduction', 'share', 'required', 'reached'], checkRows(check));
  cl.append(listTable);
  const grades = el('input', { name: 'grades', placeholder: 'JC0001=A,JC0002=B', size: 28 });
  const cut = el('input', { name: 'assumed_cut', type: 'number', min: 0, max: 100, value: 0, style: 'width:5em' });
  const wiMsg = el('span', { class: 'note', id: 'what-if-msg' });
  const wiGo = el('button', { type: 'button', id: 'what-if-go' }, t('what_if'));
  wiGo.addEventListener('click', async () => {
    wiMsg.textContent = '';
    try {
      const r = await api('/api/emergency/what-if', { method: 'POST', body: { grades: grades.value.replace(/\s/g, ''), assumed_cut: String(cut.value || 0) } });
      const tb = table(['level', 'pollutant', 'baseline', 'reduction', 'share', 'required', 'reached', 'what_if_share', 'what_if_reached'],
        checkRows(r, r.what_if));
      tb.id = 'what-if-table';
      const old = cl.querySelector('#what-if-table');
      if (old) old.replaceWith(tb); else cl.append(tb);
      wiMsg.textContent = `${t('what_if')}: ${r.what_if.enterprises} / ${r.what_if.lines} ${t('line')}`;
    } catch (e) {
      wiMsg.textContent = e.message;
    }
  });
  cl.append(form(el('label', {}, t('grade_changes'), ' ', grades), el('label', {}, t('assumed_cut'), ' ', cut), wiGo, wiMsg));

  // The control roster.
  const from = `${isoToday()} 00:00`;
  const roster = await api(inForce ? '/api/emergency/roster?limit=1000'
    : `/api/emergency/roster?limit=1000&level=yellow&from=${enc(from)}`);
  const rc = card(main, 'roster', ` · ${t(roster.level)} · ${roster.from} · ${roster.total}`);
  const counts = {};
  for (const e of roster.items) counts[e.county] = (counts[e.county] || 0) + 1;
  chartBox(rc).setOption({
    tooltip: {},
    xAxis: { type: 'category', data: Object.keys(counts) },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: Object.values(counts) }],
  });
  rc.append(table(['county', 'enterprise', 'line', 'measure', 'note'], roster.items.slice(0, 200).map((e) => [
    e.county, e.name, e.line_name, e.measure, e.note,
  ])));

  // Compliance during the last finished warning.
  const cc = card(main, 'compliance');
  cc.id = 'compliance';
  if (!w.items.some((e) => e.action === 'lift')) {
    cc.append(el('p', { class: 'note' }, t('no_finished_warning')));
    return;
  }
  const comp = await api('/api/emergency/compliance?limit=1000');
  cc.querySelector('h2').textContent += ` · ${t(comp.level)} ${comp.warning.from} – ${comp.warning.to} · ` +
    `${t('flagged')} ${comp.flagged}`;
  const verdicts = ['compliant', 'not-cutting', 'no-data', 'inspected-ok', 'inspected-not', 'not-inspected'];
  const vcolours = ['#2e7d32', '#b00020', '#9e9e9e', '#66bb6a', '#e53935', '#e0e0e0'];
  chartBox(cc).setOption({
    tooltip: {},
    legend: { bottom: 0 },
    series: [{
      type: 'pie', radius: ['40%', '70%'],
      data: verdicts.map((v, i) => ({ name: t(v), value: comp.items.filter((x) => x.verdict === v).length, itemStyle: { color: vcolours[i] } })),
    }],
  });
  const bad = (v) => v === 'not-cutting' || v === 'inspected-not';
  const sorted = [...comp.items].sort((a, b) => bad(b.verdict) - bad(a.verdict));
  cc.append(table(['enterprise', 'county', 'verdict', 'SO2', 'NOx', 'reason'], sorted.slice(0, 300).map((x) => {
    const pc = (p) => {
      const q = x.pollutants.find((y) => y.pollutant === p);
      return q && q.monitored ? `${q.achieved_percent ?? '-'} / ${q.required_percent ?? '-'} %` : '-';
    };
    return [x.name, x.county, bad(x.verdict) ? el('span', { class: 'bad' }, t(x.verdict)) : t(x.verdict), pc('SO2'), pc('NOx'), x.reason];
  })));
}

export const pages = { today, air, water, sources, targets, ledger, emergency };
