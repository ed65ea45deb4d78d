// The pages: each builds its cards and charts from the API into `main`; its period and filters come from the URL
// (#/page?year=2025) and go back to it (go), so a view can be bookmarked.
import { api, go, loadMap, refresh, session, warningChanged } from './app.js';
import { t, currentLang } from './i18n.js';
import {
  el, enc, card, chartBox, table, pagedTable, exportLinks, word, age, bjToday, bjMonth, bjYear, dataTime,
  periodOf, periodQuery, periodDays, periodText, periodControl, pollutantName, unit, conc,
} from './ui.js';

const POLLUTANTS = ['SO2', 'NO2', 'PM10', 'PM2.5', 'CO', 'O3'];
// HJ 633 level colours (Table 2).
const LEVEL_COLOURS = ['#00E400', '#FFFF00', '#FF7E00', '#FF0000', '#99004C', '#7E0023'];
const STAFF = ['admin', 'analyst', 'county'];
const BUREAU = ['admin', 'analyst'];

function levelSwatch(colour) {
  return el('span', { class: 'level', style: `background:${colour || '#ccc'}` });
}
function levelNames() {
  return t('level_names').split(',');
}
function categoryText(h) {
  if (!h) return '-';
  return currentLang() === 'en' && h.category_en ? h.category_en : h.category;
}
function primaryText(h) {
  return h && h.primary && h.primary.length ? h.primary.join(', ') : '-';
}
// Health effect and advice by level (HJ 633 Table 2): the API gives them in Chinese; English from the same table.
const HEALTH_EN = [
  'Air quality is satisfactory; little or no air pollution',
  'Air quality is acceptable; a few pollutants may slightly affect very few unusually sensitive people',
  'Sensitive people have slightly worse symptoms; healthy people have irritation symptoms',
  'Sensitive people have worse symptoms; possible effects on the heart and lungs of healthy people',
  'Heart and lung patients have markedly worse symptoms and lower exercise tolerance; healthy people commonly have symptoms',
  'Healthy people have lower exercise tolerance and marked, strong symptoms; some diseases appear early',
];
const ADVICE_EN = [
  'Everyone can be active outdoors as usual',
  'Very few unusually sensitive people should reduce outdoor activity',
  'Children, the elderly and people with heart or respiratory disease should reduce long or strenuous outdoor exercise',
  'Children, the elderly and people with heart or respiratory disease should avoid long or strenuous outdoor exercise; everyone should reduce outdoor exercise',
  'Children, the elderly and people with heart or lung disease should stay indoors and stop outdoor activity; everyone should reduce outdoor activity',
  'Children, the elderly and the sick should stay indoors and avoid exertion; everyone should avoid outdoor activity',
];
function healthText(h) {
  return currentLang() === 'en' && h.level ? HEALTH_EN[h.level - 1] : h.health_effect;
}
function adviceText(h) {
  return currentLang() === 'en' && h.level ? ADVICE_EN[h.level - 1] : h.advice;
}
function levelName(h) {
  return currentLang() === 'en' && h.level ? `level ${['I', 'II', 'III', 'IV', 'V', 'VI'][h.level - 1]}` : h.level_name;
}

async function latestDate(s) {
  if (!s.date) s.date = (await api(`/api/air/today?city=${enc(s.city)}`)).date;
  return s.date;
}

// A 24-hour AQI line of the city or one station on a day.
async function hourTrend(parent, s, date, station) {
  const q = `/api/air/hourly?city=${enc(s.city)}&date=${date}${station ? `&station=${enc(station)}` : ''}&limit=1000`;
  const h = await api(q);
  chartBox(parent).setOption({
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 10, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: h.items.map((x) => x.hour.slice(11)) },
    yAxis: { type: 'value', name: 'AQI' },
    visualMap: { show: false, pieces: [[0, 50], [51, 100], [101, 150], [151, 200], [201, 300], [301, 100000]].map(([min, max], i) => ({ min, max, color: LEVEL_COLOURS[i] })) },
    series: [{ type: 'line', data: h.items.map((x) => x.aqi), connectNulls: false }],
  });
  parent.append(exportLinks(q));
}

// The county maps, drawn offline (no tile server): a module per city, loaded only when its map is drawn.
const CITY_MAPS = { 演示市: () => import('./geo/demo-city.js') };
const DEVICE_STATES = ['exceeding', 'silent', 'no_data', 'online']; // worst first
const STATE_COLOURS = { online: '#2e7d32', silent: '#9e9e9e', exceeding: '#b00020', no_data: '#e0e0e0' };
// Fugitive-dust (TSP) points' states (/api/dust/points) and their colours on the map.
const DUST_COLOURS = { exceedance: '#b00020', silent: '#9e9e9e', ok: '#2e7d32', no_data: '#e0e0e0' };

// The city's map: its counties, the stations coloured by the hour's AQI level (a click opens the station's 24
// hours), and for the users who may read the registry the enterprises by the worst state of their devices (a
// click opens the sources page). A city without a county map keeps the lon/lat plot.
async function cityMap(parent, s, d) {
  const withPos = d.stations.filter((st) => st.longitude !== null && st.latitude !== null);
  const stationData = withPos.map((st) => ({
    name: st.name,
    code: st.code,
    value: [st.longitude, st.latitude, st.hour ? st.hour.aqi : null],
    itemStyle: { color: st.hour ? st.hour.colour : '#ccc', borderColor: '#333' },
  }));
  const stationSeries = {
    name: t('stations'),
    type: 'scatter',
    itemStyle: { color: LEVEL_COLOURS[0] },
    symbolSize: 24,
    label: { show: true, formatter: (p) => `${p.data.value[2] ?? '-'}`, position: 'inside', fontSize: 10 },
    data: stationData,
  };
  const loader = CITY_MAPS[d.city];
  // The city's boundaries and ECharts' geo component, both loaded only here, and the enterprises' devices (staff
  // and enterprise users), all at once.
  const role = session().user ? session().user.role : '';
  const [geo, maps, devices] = loader ? await Promise.all([loader(), loadMap(),
    [...STAFF, 'enterprise'].includes(role) ? api('/api/sources/devices?limit=1000') : null]) : [null, null, null];
  const map = chartBox(parent, !!loader);
  map.on('click', (p) => {
    if (p.data && p.data.code) go('today', { date: d.date, station: p.data.code });
    else if (p.data && p.data.enterprise) go('sources', { enterprise: p.data.enterprise });
  });
  if (!loader) {
    map.setOption({
      tooltip: { formatter: (p) => `${p.data.name}<br>AQI ${p.data.value[2] ?? '-'}` },
      grid: { containLabel: true, left: 10, right: 40, top: 50, bottom: 10 },
      xAxis: { type: 'value', scale: true, name: t('longitude'), axisLabel: { formatter: (v) => `${v.toFixed(2)}°E` } },
      yAxis: { type: 'value', scale: true, name: t('latitude'), axisLabel: { formatter: (v) => `${v.toFixed(2)}°N` } },
      series: [stationSeries],
    });
    return;
  }
  if (!maps.getMap(d.city)) maps.registerMap(d.city, geo.geojson);
  let enterprises = [];
  if (devices) {
    const worst = new Map(); // enterprise id -> [name, worst state]
    for (const dev of devices.items) {
      const was = worst.get(dev.enterprise_id);
      if (!was || DEVICE_STATES.indexOf(dev.state) < DEVICE_STATES.indexOf(was[1])) worst.set(dev.enterprise_id, [dev.enterprise, dev.state]);
    }
    enterprises = [...worst].filter(([id]) => geo.enterprises[id]).map(([id, [name, state]]) => ({
      name, enterprise: id, state, value: [...geo.enterprises[id], null],
      itemStyle: { color: STATE_COLOURS[state] || '#ccc', borderColor: '#333' },
    }));
  }
  let dustPoints = [];
  if ([...STAFF, 'enterprise'].includes(role)) {
    const dust = await api('/api/dust/points');
    dustPoints = dust.points.map((p) => ({
      name: p.name, dust: p.id, state: p.state, tsp: p.last_tsp, value: [Number(p.lon), Number(p.lat), null],
      itemStyle: { color: DUST_COLOURS[p.state] || '#ccc', borderColor: '#333' },
    }));
  }
  map.setOption({
    tooltip: {
      formatter: (p) => (p.data && p.data.dust ? `${t('dust_point')} ${p.data.name}<br>${t('dust_' + p.data.state)}${p.data.tsp ? ` · TSP ${p.data.tsp} µg/m³` : ''}`
        : p.data && p.data.enterprise ? `${t('enterprise')} ${p.data.name}<br>${t(p.data.state)}`
        : p.data && p.data.code ? `${p.data.name}<br>AQI ${p.data.value[2] ?? '-'}` : p.name),
    },
    legend: { bottom: 0, data: [t('stations'), ...(enterprises.length ? [t('enterprises')] : []), ...(dustPoints.length ? [t('dust_points')] : [])] },
    geo: {
      map: d.city, roam: true, top: 10, bottom: 40,
      label: { show: true, color: '#456', fontSize: 11 },
      itemStyle: { areaColor: '#eef3f7', borderColor: '#7a8b99' },
      emphasis: { label: { color: '#123' }, itemStyle: { areaColor: '#dbe7f0' } },
    },
    series: [
      { ...stationSeries, coordinateSystem: 'geo', z: 3 },
      ...(enterprises.length ? [{
        name: t('enterprises'), type: 'scatter', coordinateSystem: 'geo', symbol: 'rect', symbolSize: 11, z: 2, data: enterprises,
        itemStyle: { color: STATE_COLOURS.online },
      }] : []),
      ...(dustPoints.length ? [{
        name: t('dust_points'), type: 'scatter', coordinateSystem: 'geo', symbol: 'triangle', symbolSize: 9, z: 2, data: dustPoints,
        itemStyle: { color: DUST_COLOURS.ok },
      }] : []),
    ],
  });
  if (dustPoints.length) {
    parent.append(el('p', { class: 'note' }, `${t('dust_points')}: `,
      ...Object.keys(DUST_COLOURS).map((st) => el('span', {}, levelSwatch(DUST_COLOURS[st]), `${t('dust_' + st)} `))));
  }
  if (enterprises.length) {
    parent.append(el('p', { class: 'note' }, `${t('enterprises')}: `,
      ...DEVICE_STATES.map((st) => el('span', {}, levelSwatch(STATE_COLOURS[st]), `${t(st)} `))));
  }
  parent.append(el('p', { class: 'note' }, geo.credit));
}

// ---- today: the city's AQI of the newest hour (or of a day picked), the stations on a lon/lat plot, the 24 hours
async function today(main, s, q) {
  const d = await api(`/api/air/today?city=${enc(s.city)}${q.date ? `&date=${enc(q.date)}` : ''}`);
  if (!q.date) s.date = d.date;
  const h = d.city_hour;
  const pick = el('input', { type: 'date', name: 'date', value: d.date });
  pick.addEventListener('change', () => go('today', { date: pick.value }));
  main.append(el('div', { class: 'form period' }, el('label', {}, `${t('day')} `, pick)));
  const top = card(main, 'city_aqi', ` · ${d.city}`);
  top.append(age(h ? h.hour : d.date));
  if (h) {
    top.append(
      el('div', { class: 'aqi', style: `background:${h.colour}` }, String(h.aqi)),
      el('p', {}, `${t('category')}: ${categoryText(h)} · ${t('level')}: ${levelName(h)} · ${t('primary')}: ${primaryText(h)}`),
      el('p', {}, `${t('health')}: ${healthText(h)}`),
      el('p', {}, `${t('advice')}: ${adviceText(h)}`),
      el('p', { class: 'note' }, POLLUTANTS.map((p) => `${p} ${conc(p, h.concentrations[p === 'O3' ? 'O3' : p])} ${p === 'CO' ? 'mg/m³' : 'µg/m³'}`).join(' · ')),
    );
  } else {
    top.append(el('p', { class: 'note' }, t('no_data')));
  }
  const grid = el('div', { class: 'grid' });
  main.append(grid);
  const mapCard = card(grid, 'map');
  mapCard.id = 'map';
  // The cards are laid out now, in order; their data and charts arrive together (the map, the 24 hours, the
  // comparison and a station's trend fetch at once).
  const jobs = [cityMap(mapCard, s, d)];
  const list = card(grid, 'stations');
  list.append(table(['station', 'aqi', 'category', 'primary', 'hour'], d.stations.map((st) => [
    el('a', { href: `#/today?date=${d.date}&station=${st.code}` }, st.name),
    st.hour ? el('span', {}, levelSwatch(st.hour.colour), String(st.hour.aqi)) : '-', categoryText(st.hour),
    primaryText(st.hour), st.hour ? st.hour.hour : '-',
  ])));
  const trend = card(main, 'trend_24h', ` · ${d.city} · ${d.date}`);
  jobs.push(hourTrend(trend, s, d.date));
  // Compare up to four stations' 24 hours (#/today?compare=9160A,9161A).
  const picked = (q.compare || '').split(',').filter(Boolean).slice(0, 4);
  const cmp = card(main, 'compare', ` · ${d.date}`);
  cmp.id = 'compare';
  const boxes = d.stations.map((st) => {
    const b = el('input', { type: 'checkbox', value: st.code, checked: picked.includes(st.code) });
    b.addEventListener('change', () => {
      const codes = boxes.filter((x) => x.checked).map((x) => x.value);
      if (codes.length > 4) { b.checked = false; return; }
      go('today', { date: d.date, compare: codes.join(',') });
    });
    return b;
  });
  cmp.append(el('div', { class: 'form' }, ...d.stations.map((st, i) => el('label', {}, boxes[i], st.name))));
  if (picked.length) jobs.push((async () => {
    const series = await Promise.all(picked.map((code) => api(`/api/air/hourly?city=${enc(s.city)}&date=${d.date}&station=${enc(code)}&limit=1000`)));
    const names = picked.map((code) => (d.stations.find((x) => x.code === code) || { name: code }).name);
    chartBox(cmp).setOption({
      tooltip: { trigger: 'axis' },
      legend: { data: names },
      grid: { left: 40, right: 10, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: series[0].items.map((x) => x.hour.slice(11)) },
      yAxis: { type: 'value', name: 'AQI' },
      series: series.map((h, i) => ({ name: names[i], type: 'line', data: h.items.map((x) => x.aqi) })),
    });
  })());
  if (q.station) {
    const st = d.stations.find((x) => x.code === q.station);
    const sc = card(main, 'trend_station', ` · ${st ? st.name : q.station} · ${d.date}`);
    sc.id = 'station-trend';
    jobs.push(hourTrend(sc, s, d.date, q.station));
  }
  await Promise.all(jobs);
}

// ---- air: calendar, monthly trend against limits, composite index and ranking, year on year, for a period
async function air(main, s, q) {
  const latest = await latestDate(s);
  const p = periodOf(q, latest.slice(0, 4));
  const [first, last] = periodDays(p);
  const year = Number(first.slice(0, 4));
  main.append(periodControl(p, ['year', 'quarter', 'month', 'custom'], (np) => go('air', np)));
  const pq = periodQuery(p);
  const [daily, monthly, period, rank] = await Promise.all([
    api(`/api/air/daily?city=${enc(s.city)}&${pq}&limit=1000`),
    api(`/api/air/monthly?city=${enc(s.city)}&year=${year}`),
    api(`/api/air/period?city=${enc(s.city)}&${pq}`).catch((e) => ({ error: e.message })),
    api(`/api/air/rank?${pq}`).catch(() => ({ ranking: [] })),
  ]);
  const withAqi = daily.items.filter((d) => d.aqi !== null);
  const cal = card(main, 'calendar', ` · ${s.city} ${periodText(p)}`);
  cal.append(age(withAqi.length ? withAqi[withAqi.length - 1].date : null, 1));
  const names = levelNames();
  chartBox(cal).setOption({
    tooltip: { formatter: (x) => `${x.data[0]}: AQI ${x.data[1]}` },
    visualMap: {
      type: 'piecewise', orient: 'horizontal', left: 'center', top: 0,
      pieces: [[0, 50], [51, 100], [101, 150], [151, 200], [201, 300], [301, 100000]].map(([min, max], i) => ({
        min, max, color: LEVEL_COLOURS[i], label: `${names[i]} (${i === 5 ? '>300' : `${min}–${max}`})`,
      })),
    },
    calendar: { range: [first, last], top: 70, left: 40, right: 20, cellSize: ['auto', 20], dayLabel: { nameMap: currentLang() === 'zh' ? 'ZH' : 'EN' }, monthLabel: { nameMap: currentLang() === 'zh' ? 'ZH' : 'EN' } },
    series: [{ type: 'heatmap', coordinateSystem: 'calendar', data: withAqi.map((d) => [d.date, d.aqi]) }],
  });
  cal.append(exportLinks(`/api/air/daily?city=${enc(s.city)}&${pq}`));

  const grid = el('div', { class: 'grid' });
  main.append(grid);
  const trend = card(grid, 'monthly', ` · ${year}`);
  chartBox(trend).setOption({
    tooltip: { trigger: 'axis' },
    legend: { data: POLLUTANTS },
    xAxis: { type: 'category', data: monthly.items.map((m) => m.month) },
    yAxis: { type: 'value', name: '%' },
    series: POLLUTANTS.map((pol) => ({
      name: pol,
      type: 'line',
      data: monthly.items.map((m) => (m[pol] !== null && m[`${pol}_limit`] ? Math.round((1000 * m[pol]) / m[`${pol}_limit`]) / 10 : null)),
      markLine: pol === 'SO2' ? { silent: true, symbol: 'none', data: [{ yAxis: 100, name: t('limit') }], lineStyle: { color: '#b00020' } } : undefined,
    })),
  });
  trend.append(exportLinks(`/api/air/monthly?city=${enc(s.city)}&year=${year}`));

  const comp = card(grid, 'composite', ` · ${periodText(p)}`);
  if (period.error) {
    comp.append(el('p', { class: 'note' }, period.error));
  } else {
    const ci = period.composite_index || {};
    comp.append(el('p', {}, `${t('composite_index')}: ${ci.value ?? '-'} · ${t('good_ratio')}: ${period.days.good_ratio ?? '-'}% · ${t('days_valid')}: ${period.days.valid}`));
  }
  chartBox(comp).setOption({
    tooltip: {},
    xAxis: { type: 'category', data: rank.ranking.map((r) => r.city) },
    yAxis: { type: 'value', name: t('composite_index') },
    series: [{ type: 'bar', data: rank.ranking.map((r) => r.composite_index), label: { show: true, position: 'top' } }],
  });
  comp.append(table(['rank', 'city', 'composite_index'], rank.ranking.map((r) => [r.rank, r.city, r.composite_index])));

  const yoy = card(main, 'yoy', ` · ${periodText(p)}`);
  yoy.append(table(['pollutant', 'value', 'limit', 'change'], period.error ? [] : POLLUTANTS.map((pol) => {
    const x = period.pollutants[pol] || {};
    const a = x.assessed || {};
    const ch = x.year_on_year ? `${x.year_on_year.percent}%` : '-';
    return [pol, `${conc(pol, a.value)} ${unit(a.unit)}`, a.limit === undefined ? '-' : `${conc(pol, a.limit)} ${unit(a.unit)}`, ch];
  })));

  // HJ 663-2026's three-year moving average of a year (API: moving_average=3): each year's statistic, their
  // mean, the limit, met or not ("-" when a year has no statistic). Three year assessments on the server: the
  // card fills after the page is ready rather than holding it up (docs/performance.md).
  if (p.year) {
    const mv = card(main, 'moving_average', ` · ${Number(p.year) - 2}–${p.year}`);
    mv.id = 'moving-average';
    const wait = el('p', { class: 'note' }, t('loading'));
    mv.append(wait);
    api(`/api/air/period?city=${enc(s.city)}&year=${p.year}&moving_average=3`).then((m) => {
      wait.replaceWith(table(['pollutant', 'statistic', ...m.years.map(String), 'moving_value', 'limit', 'meets'], m.pollutants.map((r) => [
        r.pollutant, word(r.statistic), ...r.by_year.map((v) => v ?? '-'), r.value ?? '-', r.limit ?? '-',
        r.compliant === null ? '-' : t(r.compliant ? 'pass' : 'fail'),
      ])));
    }).catch((e) => { wait.textContent = e.message; });
  }
}

// The water assessment's words (HJ 274 / GB/T 14848 as the API writes them in Chinese), in English mode.
const WATER_EN = {
  优: 'excellent', 良好: 'good', 轻度污染: 'lightly polluted', 中度污染: 'moderately polluted', 重度污染: 'heavily polluted',
  无明显变化: 'no marked change', 有所好转: 'somewhat better', 明显好转: 'markedly better', 有所变差: 'somewhat worse',
  明显变差: 'markedly worse', 显著好转: 'markedly better', 显著变差: 'markedly worse',
  优良: 'excellent', 较好: 'fairly good', 较差: 'poor', 极差: 'very poor',
};
function waterWord(w) {
  return currentLang() === 'en' && WATER_EN[w] ? WATER_EN[w] : w;
}

// ---- water: sections (class, target, status, change) and wells (grade), for a year, quarter or month
async function water(main, s, q) {
  const latest = await latestDate(s);
  const p = periodOf(q, latest.slice(0, 4));
  const period = p.year || p.month || p.quarter || `${p.from.slice(0, 7)}..${p.to.slice(0, 7)}`;
  main.append(periodControl(p, ['year', 'quarter', 'month'], (np) => go('water', np)));
  const w = await api(`/api/water/sections?period=${enc(period)}&limit=1000`);
  main.append(age(w.last_month || period, 62));
  const grid = el('div', { class: 'grid' });
  main.append(grid);
  const counts = {};
  for (const sec of w.items) counts[sec.class] = (counts[sec.class] || 0) + 1;
  const classes = ['Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', 'Ⅴ', '劣Ⅴ', '-'].filter((c) => counts[c]);
  const bar = card(grid, 'class_count', ` · ${period}`);
  chartBox(bar).setOption({
    tooltip: {},
    xAxis: { type: 'category', data: classes },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: classes.map((c) => counts[c]), label: { show: true, position: 'top' } }],
  });
  const rivers = card(grid, 'river');
  rivers.append(table(['river', 'class', 'status', 'change'], (w.rivers || []).map((r) => [r.river, r.mean_class, waterWord(r.status), waterWord(r.change)])));
  const sections = card(main, 'sections', ` · ${period}`);
  sections.append(table(['section', 'river', 'target', 'class', 'status', 'meets', 'previous', 'change'], w.items.map((x) => [
    x.section, x.river, x.target, el('span', { class: 'class' }, x.class), waterWord(x.status),
    x.meets_target === '否' ? el('span', { class: 'bad' }, currentLang() === 'zh' ? '未达标' : 'no') : (currentLang() === 'zh' ? '达标' : 'yes'),
    x.previous_class, waterWord(x.change),
  ])));
  sections.append(exportLinks(`/api/water/sections?period=${enc(period)}`));
  const wells = card(main, 'wells', ` · ${period}`);
  if (!s.user || !STAFF.includes(s.user.role)) {  // the wells are the staff's (docs/accounts.md)
    wells.append(el('p', { class: 'note' }, s.user ? t('not_allowed') : t('signed_in_only')));
    return;
  }
  try {
    const g = await api(`/api/groundwater/wells?period=${enc(period)}&limit=1000`);
    wells.append(table(['well', 'county', 'class', 'grade'], g.items.map((x) => [x.well, x.county, x.class, waterWord(x.f_grade)])));
    wells.append(exportLinks(`/api/groundwater/wells?period=${enc(period)}`));
  } catch (e) {
    wells.append(el('p', { class: 'note' }, e.status === 401 ? t('signed_in_only') : t('not_allowed')));
  }
}

function durationText(from) {
  if (!from) return '-';
  const ms = Date.parse(`${bjNowIso()}Z`) - Date.parse(`${from.replace(' ', 'T')}Z`);
  const h = Math.max(0, Math.floor(ms / 3600000));
  return h >= 48 ? t('days_n', { n: Math.floor(h / 24) }) : t('hours_n', { n: h });
}
function bjNowIso() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 19);
}

function eventRows(items) {
  return items.map((e) => [
    e.kind === 'exceedance' ? el('span', { class: 'bad' }, t(e.kind)) : t(e.kind === 'flag_fault' ? 'flag_fault' : e.kind),
    e.mn, e.enterprise, pollutantName(e.pollutant), e.value ?? '-', e.limit ?? '-', e.opened_at,
    e.closed_at ?? el('span', { class: 'bad' }, t('open')), e.closed_at ? '-' : durationText(e.opened_at),
  ]);
}
const EVENT_HEADERS = ['kind', 'device', 'enterprise', 'pollutant', 'value', 'limit', 'opened', 'closed', 'duration'];

// ---- sources: devices online/silent/exceeding, events, the month's rates (month to date for this month)
async function sources(main, s, q) {
  const month = q.month || bjMonth();
  main.append(periodControl({ month }, ['month'], (np) => go('sources', np)));
  const [devices, events, rates] = await Promise.all([
    api('/api/sources/devices?limit=1000'),
    api('/api/sources/events?limit=1000'),
    api(`/api/sources/rates?month=${month}&kind=hourly&limit=1000`),
  ]);
  await enterpriseNetworks(main, s, q, devices);
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
  rateCard.append(el('p', { class: 'note', id: 'rates-period' }, rates.due_until ? t('month_to_date', { t: rates.due_until }) : t('whole_month')));
  chartBox(rateCard).setOption({
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rates.items.map((r) => r.mn.slice(-4)), axisLabel: { rotate: 45 } },
    yAxis: { type: 'value', name: '%', max: 100 },
    series: [{ name: t('effective'), type: 'bar', data: rates.items.map((r) => r.effective) }],
  });
  rateCard.append(table(['device', 'enterprise', 'transmission', 'validity', 'effective', 'verdict'], rates.items.map((r) => [
    r.mn, r.enterprise, r.transmission ?? '-', r.validity ?? '-', r.effective ?? '-',
    r.verdict === 'fail' ? el('span', { class: 'bad' }, word(r.verdict)) : word(r.verdict),
  ])));
  rateCard.append(exportLinks(`/api/sources/rates?month=${month}&kind=hourly`));
  const list = card(main, 'devices');
  list.append(age(devices.items.map((d) => d.last_data_time).filter(Boolean).map(dataTime).sort().pop() || null));
  list.append(table(['device', 'enterprise', 'county', 'outlet', 'state', 'last_data'], devices.items.map((d) => [
    d.mn, d.enterprise, d.county, d.outlet,
    d.state === 'exceeding' ? el('span', { class: 'bad' }, t(d.state)) : t(d.state), dataTime(d.last_data_time),
  ])));
  list.append(exportLinks('/api/sources/devices'));
  const ev = card(main, 'events', ` · ${events.total}`);
  ev.append(pagedTable(EVENT_HEADERS, eventRows(events.items), 20));
  ev.append(exportLinks('/api/sources/events'));
  if (s.user && s.user.role === 'admin') await pendingDevices(main);
}

// ---- one enterprise, three networks (issue 22, docs/power.md): its emissions (the loads of its outlets, its
// devices' exceedances), its power-use lines (readings, kWh, the live power events) and its TSP points (state,
// events) side by side for a day (default: the last 24 h), from /api/enterprises/{id}/networks. The enterprises
// are those of the devices the user sees (an enterprise user: its own); ?enterprise=&date= in the URL.
const ROLE_COLOURS = { production: '#1f4e79', treatment: '#2e7d32' };
function closedCell(closed) {
  return closed ?? el('span', { class: 'bad' }, t('open'));
}
async function enterpriseNetworks(main, s, q, devices) {
  const ents = [...new Map(devices.items.filter((d) => d.enterprise_id).map((d) => [d.enterprise_id, d.enterprise])).entries()]
    .sort((a, b) => a[0].localeCompare(b[0]));
  const c = card(main, 'enterprise_networks');
  c.id = 'networks';
  if (!ents.length) {
    c.append(el('p', { class: 'empty' }, t('no_data')));
    return;
  }
  const id = ents.some(([e]) => e === q.enterprise) ? q.enterprise : ents[0][0];
  const pick = el('select', { name: 'network-enterprise' }, ...ents.map(([e, name]) => el('option', { value: e }, `${e} ${name}`)));
  pick.value = id;
  const day = el('input', { name: 'network-date', type: 'date', value: q.date || '' });
  const show = el('button', { type: 'button', class: 'network-go' }, t('show'));
  show.addEventListener('click', () => go('sources', { ...q, enterprise: pick.value, date: day.value }));
  c.append(el('div', { class: 'form' }, el('label', {}, `${t('enterprise')} `, pick), el('label', {}, `${t('p_date')} `, day), show));
  const span = /^\d{4}-\d{2}-\d{2}$/.test(q.date || '') ? `?from=${enc(`${q.date} 00:00`)}&to=${enc(`${nextDay(q.date)} 00:00`)}` : '';
  const n = await api(`/api/enterprises/${enc(id)}/networks${span}`);
  c.append(el('p', { class: 'age', id: 'networks-span' }, `${n.enterprise} ${n.name} · ${n.county} · ${n.from} – ${n.to}`));
  const grid = el('div', { class: 'grid three' });
  c.append(grid);
  const column = (key, count) => {
    const box = el('div', { class: 'network', id: `net-${key}` }, el('h3', {}, `${t(`net_${key}`)} · ${count}`));
    grid.append(box);
    return box;
  };
  // Emissions: kg per pollutant over the period's days, with the hours covered.
  const em = column('emissions', n.emissions.loads.length);
  if (n.emissions.loads.length) {
    chartBox(em).setOption({
      tooltip: { trigger: 'axis' }, grid: { left: 55, right: 10, top: 30, bottom: 30 },
      xAxis: { type: 'category', data: n.emissions.loads.map((l) => pollutantName(l.pollutant)) },
      yAxis: { type: 'value', name: 'kg' },
      series: [{ type: 'bar', name: 'kg', data: n.emissions.loads.map((l) => Number(l.kg)) }],
    });
  }
  em.append(table(['pollutant', 'kg', 'completeness'], n.emissions.loads.map((l) => [
    pollutantName(l.pollutant), l.kg, l.completeness_percent === null ? '-' : `${l.completeness_percent} %`])));
  em.append(el('h4', {}, `${t('exceedance')} · ${n.emissions.exceedances.length}`));
  em.append(table(['device', 'pollutant', 'opened', 'closed'], n.emissions.exceedances.map((e) => [
    e.mn, pollutantName(e.pollutant), e.opened, closedCell(e.closed)])));
  // Power: kWh per metered line (production and treatment coloured apart), and the live power events.
  const pw = column('power', n.power.lines.length);
  if (n.power.lines.length) {
    chartBox(pw).setOption({
      tooltip: { trigger: 'axis' }, grid: { left: 55, right: 10, top: 30, bottom: 50 },
      xAxis: { type: 'category', data: n.power.lines.map((l) => l.line), axisLabel: { rotate: 45 } },
      yAxis: { type: 'value', name: 'kWh' },
      series: [{ type: 'bar', name: 'kWh', data: n.power.lines.map((l) => ({ value: Number(l.kwh), itemStyle: { color: ROLE_COLOURS[l.role] } })) }],
    });
  }
  pw.append(table(['line', 'name', 'line_role', 'readings', 'kwh'], n.power.lines.map((l) => [
    l.line, l.name, t(`role_${l.role}`), l.readings, l.kwh])));
  pw.append(el('h4', {}, `${t('power_events')} · ${n.power.events.length}`));
  pw.append(table(['kind', 'line', 'related', 'opened', 'closed'], n.power.events.map((e) => [
    el('span', { class: 'bad' }, t(e.kind)), e.line, e.related ?? '-', e.opened, closedCell(e.closed)])));
  // TSP: the points at its boundary and their events.
  const ts = column('tsp', n.tsp.points.length);
  ts.append(table(['point', 'name', 'state'], n.tsp.points.map((p) => [
    p.id, p.name, p.state === 'exceedance' ? el('span', { class: 'bad' }, t('dust_exceedance')) : t(`dust_${p.state}`)])));
  ts.append(el('h4', {}, `${t('tsp_events')} · ${n.tsp.events.length}`));
  ts.append(table(['point', 'kind', 'opened', 'closed'], n.tsp.events.map((e) => [e.point, t(e.kind), e.opened, closedCell(e.closed)])));
}

// HJ 212-2025 provisioning (admins): the loggers that announced themselves (CN 1001) without an MN; an MN typed
// in is assigned with POST /api/sources/provision, and the gateway sends it to the logger (1002).
async function pendingDevices(main) {
  const rows = (await api('/api/sources/pending?limit=1000')).items;
  const c = card(main, 'pending_devices', ` · ${rows.filter((d) => d.state === 'pending').length}`);
  c.id = 'pending-devices';
  if (!rows.length) {
    c.append(el('p', { class: 'note' }, t('no_pending')));
    return;
  }
  const bj = (ms) => new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
  const action = (d) => {
    if (d.state !== 'pending') return `${t('assigned_mn')} ${d.mn}`;
    const mn = el('input', { name: 'mn', placeholder: 'MN', size: 24, maxlength: 24 });
    const b = el('button', { type: 'button', class: 'provision' }, t('provision'));
    b.addEventListener('click', async () => {
      try {
        await api('/api/sources/provision', { method: 'POST', body: { pending_id: String(d.id), mn: mn.value.trim() } });
        refresh();
      } catch (err) {
        b.replaceWith(el('span', { class: 'error' }, err.message));
      }
    });
    return el('span', {}, mn, b);
  };
  c.append(table(['hardware_id', 'peer', 'first_seen', 'last_seen', 'seen_count', 'provision'], rows.map((d) => [
    d.hardware_id, d.peer, bj(d.first_seen_ms), bj(d.last_seen_ms), d.count, action(d),
  ])));
}

// Events of devices without hourly uploads (power modules, TSP points): no 24-hour trend to draw.
const NO_HOURLY_KINDS = ['treatment_not_running', 'production_during_stop', 'dust_exceedance', 'dust_silence'];

// The 24 hours of one device of the open events (an exceedance's first), a pollutant at a time, with its
// limit as a line: the hourly uploads (CN 2061) up to the newest hour, from /api/sources/hourly.
async function deviceTrend(main, open) {
  const c = card(main, 'device_trend');
  c.id = 'device-trend';
  const devices = [...new Map(open.filter((e) => !NO_HOURLY_KINDS.includes(e.kind)).map((e) => [e.mn, e])).values()]
    .sort((a, b) => (b.kind === 'exceedance') - (a.kind === 'exceedance'));
  if (!devices.length) {
    c.append(el('p', { class: 'empty' }, t('no_data')));
    return;
  }
  const pick = el('select', { name: 'trend-device' }, ...devices.map((e) =>
    el('option', { value: e.mn }, `${e.enterprise || ''} ${e.outlet || ''} (${e.mn})`)));
  const polPick = el('select', { name: 'trend-pollutant' });
  const body = el('div', {});
  const polLabel = el('label', {}, t('pollutant'), ' ', polPick);
  c.append(el('label', {}, t('device'), ' ', pick), ' ', polLabel, body);
  const draw = (h, code) => {
    body.replaceChildren();
    const sr = h.series.find((x) => x.pollutant === code);
    if (!sr || !sr.points.length) {
      body.append(el('p', { class: 'empty' }, t('no_data')));
      return;
    }
    const limit = sr.limit === null ? null : Number(sr.limit);
    body.append(el('p', { class: 'age' }, `${sr.name || pollutantName(sr.pollutant)} · ${h.from.slice(5, 16)} – ${h.to.slice(5, 16)}` +
      (limit === null ? '' : ` · ${t('limit')} ${sr.limit} ${sr.unit}`)));
    chartBox(body).setOption({
      tooltip: { trigger: 'axis' },
      grid: { left: 45, right: 10, top: 20, bottom: 30 },
      xAxis: { type: 'category', data: sr.points.map((p) => p.time.slice(11, 16)) },
      yAxis: { type: 'value', name: sr.unit || '' },
      series: [{
        type: 'line', name: sr.name || sr.pollutant, connectNulls: false,
        data: sr.points.map((p) => (p.value === null ? null : Number(p.value))),
        markLine: limit === null ? undefined : { symbol: 'none', lineStyle: { color: '#d4380d', type: 'dashed' },
          label: { formatter: `${t('limit')} ${sr.limit}` }, data: [{ yAxis: limit }] },
      }],
    });
  };
  const load = async () => {
    const e = devices.find((x) => x.mn === pick.value) || devices[0];
    const h = await api(`/api/sources/hourly?mn=${enc(e.mn)}`);
    const codes = h.series.map((x) => x.pollutant);
    polPick.replaceChildren(...codes.map((code) => el('option', { value: code }, pollutantName(code))));
    polLabel.hidden = !codes.length;  // nothing to pick without uploads
    polPick.value = codes.includes(e.pollutant) ? e.pollutant : (codes[0] || '');
    draw(h, polPick.value);
    polPick.onchange = () => draw(h, polPick.value);
  };
  pick.addEventListener('change', () => load().catch((err) => body.replaceChildren(el('p', { class: 'error' }, err.message))));
  await load();
}

// ---- duty (值班): the warning in force, what is bad now (stations above AQI 100, devices exceeding or silent
// with the pollutant, value, limit and since when), the city's 24 hours
async function duty(main, s) {
  const role = s.user.role;
  if (STAFF.includes(role)) {
    const w = await api('/api/emergency/warnings?limit=1');
    const c = card(main, 'warning_now');
    c.append(el('p', { id: 'duty-warning', class: w.in_force.level !== 'none' ? `bad ${w.in_force.level}` : '' },
      w.in_force.level !== 'none' ? t('warning_banner', { level: t(w.in_force.level), since: w.in_force.since }) : t('no_warning_short')));
  }
  const events = await api('/api/sources/events?limit=1000');
  const open = events.items.filter((e) => !e.closed_at);
  const bad = card(main, 'bad_now', ` · ${open.length}`);
  bad.id = 'bad-now';
  bad.append(age(events.to, 0));
  // Acknowledging an event: who and when are the server's, the note the officer's (kept in the audit log).
  const ackCell = (e) => {
    if (e.acknowledged) {
      const at = new Date(e.acknowledged.at_ms + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
      return el('span', { class: 'acked' }, `${t('acknowledged')} ${e.acknowledged.by} ${at} ${e.acknowledged.note}`);
    }
    const note = el('input', { name: 'ack-note', placeholder: t('note'), size: 10 });
    const b = el('button', { type: 'button', class: 'ack' }, t('ack'));
    b.addEventListener('click', async () => {
      try {
        await api('/api/sources/events/ack', { method: 'POST', body: {
          mn: e.mn, kind: e.kind, opened_at: e.opened_at, ...(e.pollutant ? { pollutant: e.pollutant } : {}), note: note.value } });
        refresh();
      } catch (err) {
        b.replaceWith(el('span', { class: 'error' }, err.message));
      }
    });
    return el('span', {}, note, b);
  };
  bad.append(pagedTable([...EVENT_HEADERS, 'acknowledged'], eventRows(open).map((r, i) => [...r, ackCell(open[i])]), 20));
  bad.append(exportLinks('/api/sources/events'));
  await deviceTrend(main, open);
  const d = await api(`/api/air/today?city=${enc(s.city)}`);
  const high = d.stations.filter((st) => st.hour && st.hour.aqi > 100);
  const sc = card(main, 'stations_bad', ` · ${d.city}`);
  sc.append(age(d.city_hour ? d.city_hour.hour : d.date));
  sc.append(table(['station', 'aqi', 'category', 'primary', 'hour'], high.map((st) => [
    el('a', { href: `#/today?date=${d.date}&station=${st.code}` }, st.name),
    el('span', {}, levelSwatch(st.hour.colour), String(st.hour.aqi)), categoryText(st.hour), primaryText(st.hour), st.hour.hour,
  ])));
  const trend = card(main, 'trend_24h', ` · ${d.city} · ${d.date}`);
  await hourTrend(trend, s, d.date);
}

// ---- targets: where the year's air targets stand, with the budget left (the current year unless asked)
function targetName(x) {
  return x.label || word(x.target);
}
async function targets(main, s, q) {
  const year = Number(q.year || bjYear());
  const asOf = year === bjYear() ? bjToday() : `${year}-12-31`;
  main.append(periodControl({ year: String(year) }, ['year'], (np) => go('targets', np)));
  const r = await api(`/api/targets/status?city=${enc(s.city)}&as_of=${asOf}`);
  const c = card(main, 'targets_title', ` · ${r.city} ${year} · ${t('as_of')} ${r.as_of}`);
  const lastValid = r.items.some((x) => x.valid_days > 0);
  c.append(lastValid ? age(r.as_of, 1) : el('p', { class: 'age stale' }, `${t('age_as_of')} ${r.as_of}: ${t('no_data')}`));
  chartBox(c).setOption({
    tooltip: { trigger: 'axis' },
    legend: { data: [t('ytd'), t('limit')] },
    xAxis: { type: 'category', data: r.items.map((x) => `${targetName(x)} (${unit(x.unit)})`) },
    yAxis: { type: 'value' },
    series: [
      { name: t('ytd'), type: 'bar', data: r.items.map((x) => x.ytd) },
      { name: t('limit'), type: 'bar', data: r.items.map((x) => x.limit) },
    ],
  });
  const stateCell = (st) => {
    const w = st === 'no-data' ? t('no-data_state') : word(st);
    return st === 'missed' || st === 'at-risk' ? el('span', { class: 'bad' }, w) : w;
  };
  c.append(table(['target', 'limit', 'ytd', 'target_state', 'remaining', 'forecast', 'days_valid'], r.items.map((x) => [
    targetName(x), x.limit == null ? '-' : `${x.bound === 'at_most' ? '≤' : '≥'} ${x.limit} ${unit(x.unit)}`,
    x.valid_days === 0 ? t('no_data') : `${x.ytd ?? '-'} ${unit(x.unit)}`, stateCell(x.state),
    x.valid_days === 0 ? '-' : x.remaining_mean_limit ?? x.affordable_days ?? '-', x.valid_days === 0 ? '-' : x.forecast ?? '-', x.valid_days,
  ])));
  c.append(exportLinks(`/api/targets/status?city=${enc(s.city)}&as_of=${asOf}`));
}

// ---- ledger: filters (plan, status, overdue, unit) in the URL, a search, pages of 50, each task's page; the status
// control offers only the tasks the role rule lets this user change (docs/ledger.md "Who may write")
function mayChangeStatus(user, task) {
  if (BUREAU.includes(user.role)) return true;
  if (user.role !== 'county' || !user.county) return false;
  return [...task.lead_units, ...task.responsible_units].some((u) => u.startsWith(user.county));
}

async function ledger(main, s, q) {
  const asOf = q.as_of || bjToday();
  const filters = { plan: q.plan, status: q.status, unit: q.unit, overdue: q.overdue };
  const fq = Object.entries(filters).filter(([, v]) => v).map(([k, v]) => `&${k}=${enc(v)}`).join('');
  const [tasks, score, all] = await Promise.all([
    api(`/api/ledger/tasks?limit=1000&as_of=${asOf}${fq}`),
    api(`/api/ledger/reports/scorecard?limit=1000&as_of=${asOf}`),
    api(`/api/ledger/tasks?limit=1000&as_of=${asOf}`),
  ]);
  const plans = [...new Set(all.items.map((x) => x.plan))];
  const plan = el('select', { name: 'plan' }, el('option', { value: '' }, t('all')), ...plans.map((p) => el('option', { value: p }, p)));
  plan.value = q.plan || '';
  const status = el('select', { name: 'status' }, el('option', { value: '' }, t('all')),
    ...['not-started', 'in-progress', 'done', 'closed'].map((x) => el('option', { value: x }, x === 'closed' ? t('st_closed') : t(x))));
  status.value = q.status || '';
  const unitIn = el('input', { name: 'unit', value: q.unit || '', placeholder: t('lead_units'), size: 12 });
  const overdue = el('input', { name: 'overdue', type: 'checkbox' });
  overdue.checked = q.overdue === 'true';
  const search = el('input', { name: 'search', type: 'search', value: q.q || '', placeholder: t('search') });
  const apply = el('button', { type: 'button', id: 'ledger-filter' }, t('filter'));
  apply.addEventListener('click', () => go('ledger', {
    plan: plan.value, status: status.value, unit: unitIn.value, overdue: overdue.checked ? 'true' : '', q: search.value,
  }));
  main.append(el('div', { class: 'form filters' }, plan, status, unitIn, el('label', {}, overdue, t('only_overdue')), search, apply));

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
  const needle = (q.q || '').trim();
  const shown = needle ? tasks.items.filter((x) => x.id.includes(needle) || x.text.includes(needle) ||
    [...x.lead_units, ...x.responsible_units].some((u) => u.includes(needle))) : tasks.items;
  const changeable = s.user ? all.items.filter((x) => mayChangeStatus(s.user, x)) : [];
  if (changeable.length) {
    const c = card(main, 'change_status');
    const pick = el('select', { name: 'task' }, ...changeable.map((x) => el('option', { value: x.id }, x.id)));
    const targetsList = BUREAU.includes(s.user.role) ? ['in-progress', 'done', 'closed'] : ['in-progress', 'done'];
    const to = el('select', { name: 'to' }, ...targetsList.map((x) => el('option', { value: x }, x === 'closed' ? t('st_closed') : t(x))));
    const day = el('input', { name: 'day', type: 'date', value: asOf });
    const note = el('input', { name: 'note', placeholder: t('note') });
    const msg = el('span', { class: 'note', id: 'ledger-msg' });
    const goBtn = el('button', { type: 'button', id: 'ledger-apply' }, t('apply'));
    goBtn.addEventListener('click', async () => {
      msg.textContent = '';
      try {
        const r = await api(`/api/ledger/tasks/${pick.value}/status`, {
          method: 'POST', body: { to: to.value, day: day.value, note: note.value },
        });
        const row = main.querySelector(`tr[data-task="${r.id}"] td.status`);
        if (row) row.textContent = r.status === 'closed' ? t('st_closed') : t(r.status);
        msg.textContent = `${r.id}: ${r.status === 'closed' ? t('st_closed') : t(r.status)} ${t('saved')}`;
      } catch (e) {
        msg.textContent = e.message;
      }
    });
    c.append(el('div', { class: 'form' }, pick, to, day, note, goBtn, msg));
  }
  const list = card(main, 'ledger_title', ` · ${t('task_count', { n: shown.length })}`);
  const rows = shown.map((x) => {
    const units = [...x.lead_units, ...x.responsible_units].slice(0, 3).join('、');
    const st = el('span', {}, x.status === 'closed' ? t('st_closed') : t(x.status));
    return [el('a', { href: `#/task?id=${enc(x.id)}` }, x.id), x.text.length > 60 ? `${x.text.slice(0, 60)}…` : x.text, units, x.due,
      st, x.overdue ? el('span', { class: 'bad' }, t('overdue')) : ''];
  });
  const pt = pagedTable(['task', 'text', 'lead_units', 'due', 'task_status', 'overdue'], rows, 50,
    { rowAttrs: (i) => ({ 'data-task': shown[i].id }) });
  // The status cell keeps its class for the page's updates.
  const mark = () => pt.querySelectorAll('tbody tr').forEach((tr) => { if (tr.cells[4]) tr.cells[4].classList.add('status'); });
  mark();
  new MutationObserver(mark).observe(pt, { childList: true });
  list.append(pt);
  list.append(exportLinks(`/api/ledger/tasks?as_of=${asOf}${fq}`));
}

// ---- task: one task's page: its text, units, deadline, status history, progress, problems and evidence
async function task(main, s, q) {
  const asOf = bjToday();
  const x = await api(`/api/ledger/tasks/${q.id}?as_of=${asOf}`);
  main.append(el('p', {}, el('a', { href: '#/ledger' }, `← ${t('back')}`)));
  const c = card(main, 'task_page', ` · ${x.id}`);
  c.id = 'task';
  c.append(el('p', {}, x.text),
    table(['plan', 'category_col', 'lead', 'responsible', 'deadline', 'due', 'task_status', 'overdue'], [[
      x.plan, x.category, x.lead_units.join('、'), x.responsible_units.join('、'), x.deadline, x.due,
      x.status === 'closed' ? t('st_closed') : t(x.status), x.overdue ? el('span', { class: 'bad' }, t('overdue')) : '-',
    ]]));
  const h = card(main, 'history');
  h.append(table(['day', 'from', 'task_status', 'by', 'note'], (x.status_history || []).map((e) => [
    e.day ?? e.at, word(e.from), word(e.to), e.by ?? e.user, e.note,
  ])));
  const p = card(main, 'progress');
  p.append(table(['quantity', 'done_amount', 'share_done', 'forecast'], (x.progress || []).map((e) => [
    e.quantity, `${e.done} ${e.unit}`, `${e.share_percent}%`, `${e.projected} ${e.unit}`,
  ])));
  p.append(table(['day', 'progress', 'county', 'by', 'note'], (x.progress_reports || []).map((e) => [
    e.day, e.amount, e.county, e.by ?? e.user, e.note,
  ])));
  const pr = card(main, 'problems');
  pr.append(table(['kind', 'text', 'county', 'task_status'], (x.problems || []).map((e) => [e.kind ?? e.list, e.text ?? e.description, e.county, word(e.status)])));
  const ev = card(main, 'evidence');
  ev.append(table(['day', 'text', 'county', 'by'], (x.evidence || []).map((e) => [e.day ?? e.at, e.note ?? e.text ?? e.name, e.county, e.by ?? e.user])));
}

// ---- emergency: the warning in force (declare/lift for the bureau), forecast advice, the list check with
// what-ifs, the control roster (complete, a page at a time) and the compliance of the last warning
function form(...children) {
  return el('div', { class: 'form' }, ...children);
}

async function emergency(main, s) {
  const w = await api('/api/emergency/warnings?limit=1000');
  const inForce = w.in_force.level !== 'none';
  const now = card(main, 'warning_now');
  now.append(el('p', { id: 'warning-now' },
    inForce ? `${t(w.in_force.level)} ${t('since')} ${w.in_force.since}` : t('no_warning')));
  now.append(table(['action', 'level', 'from', 'by', 'reason'], w.items.slice(-10).reverse().map((e) => [
    t(e.action), t(e.level), e.effective_from, e.declared_by, e.reason,
  ])));
  if (s.user && BUREAU.includes(s.user.role)) {
    const level = el('select', { name: 'level' }, ...['yellow', 'orange', 'red'].map((x) => el('option', { value: x }, t(x))));
    const at = el('input', { name: 'at', value: `${bjToday()} 00:00`, size: 16 });
    const reason = el('input', { name: 'reason', placeholder: t('reason') });
    const msg = el('span', { class: 'note', id: 'warning-msg' });
    const act = (path, body) => async () => {
      msg.textContent = '';
      try {
        await api(path, { method: 'POST', body });
        warningChanged();
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
  const start = el('input', { name: 'start', type: 'date', value: bjToday() });
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
        const row = [t(l.level), p.pollutant, p.baseline_kg_d, p.reduction_kg_d, `${p.share_percent}%`, `${l.required_percent}%`,
          p.reached ? (currentLang() === 'zh' ? '达标' : 'yes') : el('span', { class: 'bad' }, currentLang() === 'zh' ? '未达标' : 'no')];
        if (other) {
          const q = other.levels[i].pollutants[j];
          row.push(`${q.share_percent}%`, q.reached ? (currentLang() === 'zh' ? '达标' : 'yes') : el('span', { class: 'bad' }, currentLang() === 'zh' ? '未达标' : 'no'));
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

  // The control roster: every line, a page at a time, with the count; the export carries all of them.
  const from = `${bjToday()} 00:00`;
  const rosterQuery = inForce ? '/api/emergency/roster' : `/api/emergency/roster?level=yellow&from=${enc(from)}`;
  const roster = await api(`${rosterQuery}${inForce ? '?' : '&'}limit=1000`);
  const rc = card(main, 'roster', ` · ${t(roster.level)} · ${roster.from} · ${roster.total}`);
  rc.id = 'roster';
  const counts = {};
  for (const e of roster.items) counts[e.county] = (counts[e.county] || 0) + 1;
  chartBox(rc).setOption({
    tooltip: {},
    xAxis: { type: 'category', data: Object.keys(counts) },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: Object.values(counts) }],
  });
  rc.append(pagedTable(['county', 'enterprise', 'line', 'measure', 'note'], roster.items.map((e) => [
    e.county, e.name, e.line_name, word(e.measure), e.note,
  ]), 50));
  rc.append(exportLinks(rosterQuery));

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
  const isBad = (v) => v === 'not-cutting' || v === 'inspected-not';
  const sorted = [...comp.items].sort((a, b) => isBad(b.verdict) - isBad(a.verdict));
  cc.append(pagedTable(['enterprise', 'county', 'verdict', 'SO2', 'NOx', 'reason'], sorted.map((x) => {
    const pc = (p) => {
      const r = x.pollutants.find((y) => y.pollutant === p);
      return r && r.monitored ? `${r.achieved_percent ?? '-'} / ${r.required_percent ?? '-'} %` : '-';
    };
    return [x.name, x.county, isBad(x.verdict) ? el('span', { class: 'bad' }, t(x.verdict)) : t(x.verdict), pc('SO2'), pc('NOx'), x.reason];
  }), 50));
  cc.append(exportLinks('/api/emergency/compliance'));
}

// ---- soil: the points judged (GB 15618 categories, GB 36600 risks), the counts per county and the two
// safe-use rates; county users see their own county (the API cuts it).
async function soil(main) {
  const r = await api('/api/soil?limit=1000');
  const grid = el('div', { class: 'grid' });
  main.append(grid);
  const rates = card(grid, 'soil_rates');
  const rate = (x) => (x && x.percent !== null ? `${x.percent}%` : t('no_data'));
  const meets = (x) => (x && x.meets_target === false ? el('span', { class: 'bad' }, t('missed')) : '');
  rates.append(table(['indicator', 'value', 'target', ''], [
    [t('farmland_safe_use'), rate(r.rates.farmland_safe_use), `${r.rates.farmland_safe_use.target_percent ?? '-'}%`, meets(r.rates.farmland_safe_use)],
    [t('plot_safe_use'), rate(r.rates.plot_safe_use), `${r.rates.plot_safe_use.target_percent ?? '-'}%`, meets(r.rates.plot_safe_use)],
  ]));
  const counties = card(grid, 'soil_counties');
  counties.append(table(['county', 'farmland_points', 'priority', 'safe_use', 'strict', 'development_points', 'investigate', 'control'],
    (r.summary || []).map((x) => [x.county === null ? t('whole_city') : x.county, x.farmland_points, x.priority, x.safe_use, x.strict,
      x.development_points, x.investigate, x.control])));
  const points = card(main, 'soil_points');
  points.append(pagedTable(['point', 'county', 'land_use', 'ph', 'verdict'], r.items.map((p) => [
    p.point, p.county, p.land_use_name, p.ph ?? '-',
    p.error ? el('span', { class: 'bad' }, p.error) : (p.farmland ? p.farmland.category_name : p.verdict),
  ])));
  points.append(exportLinks('/api/soil'));
}

// ---- reports: the monthly and quarterly reports the server writes on schedule, newest first, each file a
// download (docs/bulletin.md).
async function reports(main) {
  const r = await api('/api/reports?limit=1000');
  const c = card(main, 'reports');
  const link = (x, f) => el('a', { href: `/api/reports/file?city=${enc(x.city)}&period=${enc(x.period)}&file=${enc(f)}`, download: '' },
    f.replace('bulletin.', '').toUpperCase());
  c.append(table(['report_title', 'period', 'kind', 'files'], r.items.map((x) => [
    x.title || `${x.city} ${x.period}`, x.period, t(x.kind === 'quarter' ? 'quarterly_report' : 'monthly_report'),
    el('span', { class: 'files' }, ...x.files.flatMap((f, i) => (i ? [' · ', link(x, f)] : [link(x, f)]))),
  ])));
}

// ---- audit (数据审核, staff): a station's hours of a day with their state, changes over a range with a reason
// code and note, the trail, month close/reopen (bureau). The stations offered are those the user may audit
// (a county user: its county's, /api/air/audit/stations); the API refuses the rest anyway.
const AUDIT_REASONS = ['instrument-fault', 'calibration', 'maintenance', 'power-cut', 'communication-loss', 'exceptional-event', 'other'];
const AUDIT_ACTIONS = ['invalidate', 'correct', 'flag', 'restore'];
// "2025-03-10 00:00" (the end of 03-09's 24th hour, as the trail may name it) -> "2025-03-09 24:00".
function hourKey(h) {
  if (!h.endsWith(' 00:00')) return h;
  const d = new Date(`${h.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return `${d.toISOString().slice(0, 10)} 24:00`;
}
function nextDay(ymd) {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
// The state an hour shows: from its trail when it has one (a correction named as such), else real-time, or
// audited once its month is closed.
function hourState(trail, monthClosed) {
  if (!trail) return monthClosed ? 'audited' : 'realtime';
  const last = trail.versions[trail.versions.length - 1];
  if (trail.state === 'invalidated') return 'invalidated';
  if (trail.exceptional) return 'flagged';
  if (trail.state === 'audited' && last && (last.action === 'correct' || last.action === 'republish')) return 'corrected';
  return trail.state === 'realtime' && monthClosed ? 'audited' : trail.state;
}

async function audit(main, s, q) {
  const list = await api(`/api/air/audit/stations?city=${enc(s.city)}&limit=1000`);
  if (!list.items.length) {
    card(main, 'audit_title').append(el('p', { class: 'note', id: 'audit-none' }, t('audit_no_stations')));
    return;
  }
  const date = q.date || await latestDate(s);
  const station = list.items.some((x) => x.code === q.station) ? q.station : list.items[0].code;
  const pollutant = POLLUTANTS.includes(q.pollutant) ? q.pollutant : 'PM2.5';
  const stationPick = el('select', { name: 'station' }, ...list.items.map((x) =>
    el('option', { value: x.code, selected: x.code === station }, `${x.name} (${x.code}${x.county ? ` · ${x.county}` : ''})`)));
  const dayPick = el('input', { type: 'date', name: 'date', value: date });
  const polPick = el('select', { name: 'pollutant' }, ...POLLUTANTS.map((p) => el('option', { value: p, selected: p === pollutant }, p)));
  const show = () => go('audit', { station: stationPick.value, date: dayPick.value, pollutant: polPick.value });
  for (const x of [stationPick, dayPick, polPick]) x.addEventListener('change', show);
  main.append(el('div', { class: 'form period' }, el('label', {}, `${t('station')} `, stationPick),
    el('label', {}, `${t('day')} `, dayPick), el('label', {}, `${t('pollutant')} `, polPick)));

  const from = `${date} 01:00`;
  const to = `${nextDay(date)} 00:00`;
  const [hours, trail, months] = await Promise.all([
    api(`/api/air/hourly?city=${enc(s.city)}&station=${enc(station)}&date=${date}&data=realtime&limit=1000`),
    api(`/api/air/audit/history?station=${enc(station)}&from=${enc(from)}&to=${enc(to)}&limit=1000`),
    api(`/api/air/audit/months?year=${date.slice(0, 4)}&limit=1000`),
  ]);
  const closings = new Map();
  for (const m of months.items) closings.set(m.month, m.action === 'close'); // oldest first: the last one holds
  const monthClosed = !!closings.get(date.slice(0, 7));
  const byHour = new Map(trail.items.filter((x) => x.pollutant === pollutant).map((x) => [hourKey(x.hour), x]));
  const stationName = list.items.find((x) => x.code === station).name;

  const hc = card(main, 'audit_hours', ` · ${stationName} · ${pollutant} · ${date}${monthClosed ? ` · ${t('month_closed')}` : ''}`);
  hc.id = 'audit-hours';
  const u = pollutant === 'CO' ? 'mg/m³' : 'µg/m³';
  hc.append(table(['hour', 'realtime_value', 'audited_value', 'audit_state', 'audit_last'], hours.items.map((h) => {
    const tr = byHour.get(h.hour);
    const rt = h.concentrations[pollutant];
    const state = hourState(tr, monthClosed);
    const last = tr ? tr.versions[tr.versions.length - 1] : null;
    return [h.hour.slice(11), rt === null || rt === undefined ? '-' : `${rt} ${u}`,
      tr ? (tr.audited === null ? '-' : `${tr.audited} ${u}`) : (rt === null || rt === undefined ? '-' : `${rt} ${u}`),
      el('span', { class: `audit-state ${state}` }, t(`as_${state}`)),
      last ? `${t(`aa_${last.action}`)} · ${last.who} · ${word(last.reason)}${last.note ? ` · ${last.note}` : ''}` : '-'];
  }), { rowAttrs: (i) => ({ 'data-hour': hours.items[i].hour.slice(11) }) }));

  // A change over a range of the day's hours (or more: the first and last hour as the API names them).
  const ch = card(main, 'audit_change');
  ch.id = 'audit-change';
  const hourOpts = (sel) => hours.items.map((h) => el('option', { value: h.hour, selected: h.hour === sel }, h.hour.slice(11)));
  const action = el('select', { name: 'action' }, ...AUDIT_ACTIONS.map((a) => el('option', { value: a }, t(`aa_${a}`))));
  const first = el('select', { name: 'from' }, ...hourOpts(hours.items[0]?.hour));
  const lastH = el('select', { name: 'to' }, ...hourOpts(hours.items[hours.items.length - 1]?.hour));
  const which = el('select', { name: 'which' }, el('option', { value: pollutant }, pollutant), el('option', { value: '' }, t('all_pollutants')));
  const reason = el('select', { name: 'reason' }, ...AUDIT_REASONS.map((r) => el('option', { value: r }, t(r))));
  const value = el('input', { name: 'value', placeholder: `${t('value')} (${u})`, size: 8, hidden: true });
  const note = el('input', { name: 'note', placeholder: t('note') });
  const msg = el('p', { class: 'note', id: 'audit-msg' });
  action.addEventListener('change', () => { value.hidden = action.value !== 'correct'; });
  const apply = el('button', { type: 'button', id: 'audit-apply' }, t('apply'));
  apply.addEventListener('click', async () => {
    msg.textContent = '';
    // The API names an hour by its end: 24:00 is 00:00 of the next day.
    const name = (h) => (h.endsWith(' 24:00') ? `${nextDay(h.slice(0, 10))} 00:00` : h);
    const body = { station, from: name(first.value), to: name(lastH.value), note: note.value };
    if (which.value) body.pollutant = which.value;
    if (action.value !== 'restore') body.reason = action.value === 'flag' ? 'exceptional-event' : reason.value;
    else if (note.value) body.reason = reason.value;
    if (action.value === 'correct') body.value = value.value;
    try {
      const r = await api(`/api/air/audit/${action.value}`, { method: 'POST', body });
      await refresh();
      const m = document.getElementById('audit-msg');
      if (m) m.textContent = t('audit_done', { n: r.recorded.length, unchanged: r.unchanged });
    } catch (e) {
      msg.textContent = e.message;
    }
  });
  ch.append(el('div', { class: 'form' }, action, el('label', {}, `${t('from')} `, first), el('label', {}, `${t('to')} `, lastH),
    which, reason, value, note, apply), msg);

  const hist = card(main, 'audit_trail', ` · ${stationName} · ${date}`);
  hist.id = 'audit-trail';
  // Newest first by the millisecond (two changes can fall in one second); within one change, by hour.
  const versions = trail.items.flatMap((x) => x.versions).sort((a, b) => b.at_ms - a.at_ms || (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0));
  hist.append(pagedTable(['audited_at', 'who', 'hour', 'pollutant', 'audit_action', 'old', 'new', 'reason', 'note'], versions.map((v) => [
    v.at, v.who, hourKey(v.hour).slice(11), v.pollutant, t(`aa_${v.action}`), v.old ?? '-',
    v.new === null ? t('as_invalidated') : v.new === 'realtime' ? t('as_realtime') : v.new, word(v.reason), v.note || '-',
  ]), 20));

  // Months: their close/reopen history; the bureau closes and reopens (a reason for a reopening).
  const mc = card(main, 'audit_months', ` · ${date.slice(0, 4)}`);
  mc.id = 'audit-months';
  mc.append(table(['month', 'audit_action', 'who', 'reason', 'audited_at'], months.items.map((m) => [
    m.month, t(m.action === 'close' ? 'close_month' : 'reopen_month'), m.who, m.reason || '-', m.at])));
  if (BUREAU.includes(s.user.role)) {
    const month = el('input', { type: 'month', name: 'month', value: date.slice(0, 7) });
    const why = el('input', { name: 'month-reason', placeholder: t('reason') });
    const mmsg = el('span', { class: 'note', id: 'month-msg' });
    const btn = (id, key, path) => {
      const b = el('button', { type: 'button', id }, t(key));
      b.addEventListener('click', async () => {
        mmsg.textContent = '';
        try {
          await api(`/api/air/audit/${path}`, { method: 'POST', body: { month: month.value, ...(why.value ? { reason: why.value } : {}) } });
          await refresh();
        } catch (e) {
          mmsg.textContent = e.message;
        }
      });
      return b;
    };
    mc.append(el('div', { class: 'form' }, month, why, btn('month-close', 'close_month', 'close'), btn('month-reopen', 'reopen_month', 'reopen'), mmsg));
  }
}

export const pages = { today, air, water, duty, sources, audit, targets, ledger, task, emergency, soil, reports };
