// The dashboard's words, Chinese first; English by the switch in the header (kept in localStorage).
const words = {
  zh: {
    title: '生态环境监测平台', login: '账号', password: '密码', sign_in: '登录', logout: '退出', guest: '公众',
    today: '今日空气', air: '空气质量', water: '水环境', sources: '污染源', targets: '目标',
    emergency: '应急', ledger: '台账', soil: '土壤', reports: '报告',
    soil_rates: '安全利用率', farmland_safe_use: '受污染耕地安全利用率', plot_safe_use: '污染地块安全利用率',
    soil_counties: '各县（区）点位', soil_points: '土壤监测点位', farmland_points: '农用地点位', priority: '优先保护类',
    safe_use: '安全利用类', strict: '严格管控类', development_points: '建设用地点位', investigate: '需调查',
    control: '需管控', point: '点位', land_use: '用地类型', ph: 'pH', indicator: '指标',
    whole_city: '全市', report_title: '报告', files: '文件', monthly_report: '月报', quarterly_report: '季报',
    city_aqi: '城市实时AQI', station: '站点', aqi: 'AQI', level: '级别', category: '类别', primary: '首要污染物',
    advice: '建议措施', health: '健康影响', hour: '时间', map: '站点分布', stations: '各站点',
    calendar: '日历: 每日AQI级别', monthly: '六项污染物月度浓度(占标准限值%)', composite: '综合指数与排名',
    yoy: '同比', year: '年份', pollutant: '污染物', value: '浓度', limit: '限值', change: '变化',
    rank: '排名', city: '城市', composite_index: '综合指数', good_ratio: '优良天数比例', days_valid: '有效天数',
    previous: '上年同期', sections: '断面水质', section: '断面', river: '河流', target: '目标', class: '类别',
    status: '水质状况', meets: '是否达标', wells: '地下水监测井', well: '监测井', county: '区县', grade: 'F分级',
    class_count: '各类别断面数', devices: '设备状态', device: '设备', enterprise: '企业', outlet: '排放口',
    state: '状态', online: '在线', silent: '离线', exceeding: '超标', no_data: '无数据', events: '事件(近24小时)',
    kind: '类型', opened: '开始', closed: '结束', rates: '月度有效传输率', month: '月份', effective: '有效传输率',
    transmission: '传输率', validity: '有效率', targets_title: '空气质量目标与剩余额度', as_of: '截至',
    ytd: '年内累计', remaining: '剩余额度', forecast: '趋势预测', signed_in_only: '登录后可查看',
    not_allowed: '当前账号无权查看', loading: '加载中…', none: '无', period: '时段', last_data: '最后数据',
    exceedance: '超标', silence: '离线', flag_fault: '数据标记异常',
    ledger_title: '任务台账', scorecard: '各单位任务与逾期', task: '任务', text: '内容', lead_units: '牵头单位',
    due: '截止', overdue: '逾期', progress: '进度', 'not-started': '未开始', 'in-progress': '进行中', done: '完成',
    change_status: '变更状态', apply: '提交', day: '日期', note: '说明', total: '任务数', saved: '已保存',
    warning_now: '当前预警', since: '起', roster: '管控清单', check_list: '减排清单核算', line: '生产线',
    measure: '措施', required: '要求比例', reached: '达到', share: '减排比例', yellow: '黄色', orange: '橙色',
    red: '红色', no_warning: '无预警(以下为黄色预警时的管控清单)', action: '动作', by: '发布人',
    reason: '原因', from: '起始', declare: '发布/调整预警', lift: '解除预警', advice_title: '预报研判',
    start: '首日', decide: '研判', forecast_level: '预报对应级别', raise: '发布', upgrade: '升级',
    downgrade: '降级', keep: '维持', baseline: '基准排放量(kg/d)', reduction: '减排量(kg/d)',
    what_if: '假设分析', what_if_share: '假设减排比例', what_if_reached: '假设达到', grade_changes: '绩效等级调整',
    assumed_cut: '自主减排假设限产%', compliance: '应急减排落实情况(最近一次预警)', flagged: '未落实',
    verdict: '判定', compliant: '已落实', 'not-cutting': '未按要求减排', 'no-data': '数据不足',
    'inspected-ok': '现场检查已落实', 'inspected-not': '现场检查未落实', 'not-inspected': '未检查',
    no_finished_warning: '尚无已解除的预警过程; 预警解除后在此核查各企业落实情况',
    duty: '值班', task_page: '任务详情', age_as_of: '数据截至', lag_days: '滞后 {n} 天', current: '最新',
    export_csv: '导出 CSV', export_xlsx: '导出 Excel', rows_of: '第 {a}–{b} 条, 共 {n} 条', prev_page: '上一页',
    next_page: '下一页', search: '搜索', all: '全部', filter: '筛选', period_kind: '时段类型', p_year: '年',
    p_quarter: '季度', p_month: '月', p_date: '日', p_custom: '自定义', show: '查询', plan: '方案',
    only_overdue: '仅逾期', history: '状态记录', problems: '问题清单', evidence: '佐证材料',
    progress_reports: '进度报告', quantity: '工作量', done_amount: '已完成', share_done: '完成比例',
    lead: '牵头单位', responsible: '责任单位', deadline: '完成时限', category_col: '类别', back: '返回',
    longitude: '经度', latitude: '纬度', trend_24h: '24小时AQI变化', trend_station: '站点24小时AQI', device_trend: '设备24小时小时值（含限值）',
    bad_now: '当前异常(超标或离线)', duration: '持续', hours_n: '{n} 小时', days_n: '{n} 天',
    month_to_date: '本月截至 {t} (按已过时段计算)', whole_month: '整月', stations_bad: '空气质量超标站点(AQI>100)',
    no_warning_short: '当前无预警', warning_banner: '重污染天气{level}预警 · 自 {since} 起', task_status: '状态',
    target_state: '状态', 'no-data_state': '无数据', met: '已达标', 'on-track': '进度正常', 'at-risk': '有风险',
    missed: '未达标', 'not-computed': '未计算', 'no-target': '无当年目标', pm25: 'PM2.5年均浓度', 'good-ratio': '优良天数比例',
    'heavy-ratio': '重污染天数比例', 'heavy-days': '重污染天数', cut: '限产', stop: '停产',
    voluntary: '自主减排', 'stop-process': '停产工序', st_closed: '销号', pass: '达标',
    fail: '未达标', not_assessed: '未评价', stopped: '停运', open: '持续中', acknowledged: '已确认', ack: '确认',
    level_names: '优,良,轻度污染,中度污染,重度污染,严重污染', open_events: '未结束事件',
    calendar_legend: '级别', last_data_never: '从未上传', value_now: '当前值', enterprise_state: '企业状态',
    year_to_date: '年内截至', task_count: '共 {n} 项', compare: '对比站点',
  },
  en: {
    title: 'Eco-environment monitoring', login: 'Login', password: 'Password', sign_in: 'Sign in', logout: 'Sign out',
    guest: 'public', today: 'Today', air: 'Air', water: 'Water', sources: 'Sources', targets: 'Targets',
    emergency: 'Emergency', ledger: 'Ledger', soil: 'Soil', reports: 'Reports',
    soil_rates: 'Safe-use rates', farmland_safe_use: 'Contaminated farmland safely used',
    plot_safe_use: 'Contaminated plots safely used', soil_counties: 'Points by county', soil_points: 'Soil points',
    farmland_points: 'Farmland points', priority: 'Priority protection', safe_use: 'Safe use', strict: 'Strict control',
    development_points: 'Development-land points', investigate: 'To investigate', control: 'To control', point: 'Point',
    land_use: 'Land use', ph: 'pH', indicator: 'Indicator', whole_city: 'Whole city',
    report_title: 'Report', files: 'Files', monthly_report: 'Monthly', quarterly_report: 'Quarterly',
    city_aqi: 'City real-time AQI', station: 'Station', aqi: 'AQI', level: 'Level', category: 'Category',
    primary: 'Primary pollutant', advice: 'Advice', health: 'Health effect', hour: 'Hour', map: 'Stations',
    stations: 'Stations', calendar: 'Calendar of daily AQI levels', monthly: 'Six pollutants by month (% of limit)',
    composite: 'Composite index and ranking', yoy: 'Year on year', year: 'Year', pollutant: 'Pollutant',
    value: 'Value', limit: 'Limit', change: 'Change', rank: 'Rank', city: 'City', composite_index: 'Composite index',
    good_ratio: 'Good-day ratio', days_valid: 'Valid days', previous: 'Previous year', sections: 'River sections',
    section: 'Section', river: 'River', target: 'Target', class: 'Class', status: 'Status', meets: 'Meets target',
    wells: 'Groundwater wells', well: 'Well', county: 'County', grade: 'F grade', class_count: 'Sections per class',
    devices: 'Devices now', device: 'Device', enterprise: 'Enterprise', outlet: 'Outlet', state: 'State',
    online: 'online', silent: 'silent', exceeding: 'exceeding', no_data: 'no data', events: 'Events (last 24 h)',
    kind: 'Kind', opened: 'Opened', closed: 'Closed', rates: 'Monthly effective transmission',
    month: 'Month', effective: 'Effective', transmission: 'Transmission', validity: 'Validity',
    targets_title: 'Air targets and remaining budget', as_of: 'as of', ytd: 'Year to date', remaining: 'Remaining',
    forecast: 'Forecast', signed_in_only: 'Sign in to see this', not_allowed: 'Your account may not see this',
    loading: 'Loading…', none: 'none', period: 'Period', last_data: 'Last data',
    exceedance: 'exceedance', silence: 'silence', flag_fault: 'flag fault',
    ledger_title: 'Task ledger', scorecard: 'Tasks and overdue by unit', task: 'Task', text: 'Text',
    lead_units: 'Lead units', due: 'Due', overdue: 'Overdue', progress: 'Progress', 'not-started': 'not started',
    'in-progress': 'in progress', done: 'done', change_status: 'Change status', apply: 'Apply', day: 'Day',
    note: 'Note', total: 'Tasks', saved: 'saved', warning_now: 'Warning in force', since: 'since',
    roster: 'Control roster', check_list: 'Reduction list check', line: 'Line', measure: 'Measure',
    required: 'Required', reached: 'Reached', share: 'Share', yellow: 'yellow', orange: 'orange', red: 'red',
    no_warning: 'No warning (the roster below is for a yellow warning)', action: 'Action', by: 'By',
    reason: 'Reason', from: 'From', declare: 'Declare / change', lift: 'Lift', advice_title: 'Forecast advice',
    start: 'First day', decide: 'Decide', forecast_level: 'Level the forecast calls for', raise: 'raise',
    upgrade: 'upgrade', downgrade: 'downgrade', keep: 'keep', baseline: 'Baseline (kg/d)',
    reduction: 'Reduction (kg/d)', what_if: 'What-if', what_if_share: 'What-if share',
    what_if_reached: 'What-if reached', grade_changes: 'Grade changes', assumed_cut: 'Assumed cut of voluntary %',
    compliance: 'Compliance during the last warning', flagged: 'flagged', verdict: 'Verdict',
    compliant: 'compliant', 'not-cutting': 'not cutting', 'no-data': 'no data', 'inspected-ok': 'inspected: ok',
    'inspected-not': 'inspected: not in place', 'not-inspected': 'not inspected',
    no_finished_warning: 'No warning has been lifted yet; compliance is checked here once one is',
    duty: 'Duty', task_page: 'Task', age_as_of: 'Data as of', lag_days: '{n} days behind', current: 'current',
    export_csv: 'Export CSV', export_xlsx: 'Export Excel', rows_of: 'rows {a}–{b} of {n}', prev_page: 'Previous',
    next_page: 'Next', search: 'Search', all: 'all', filter: 'Filter', period_kind: 'Period', p_year: 'Year',
    p_quarter: 'Quarter', p_month: 'Month', p_date: 'Day', p_custom: 'Custom', show: 'Show', plan: 'Plan',
    only_overdue: 'overdue only', history: 'Status history', problems: 'Problems', evidence: 'Evidence',
    progress_reports: 'Progress reports', quantity: 'Quantity', done_amount: 'Done', share_done: 'Share done',
    lead: 'Lead units', responsible: 'Responsible units', deadline: 'Deadline', category_col: 'Category',
    back: 'Back', longitude: 'Longitude', latitude: 'Latitude', trend_24h: 'AQI over 24 hours',
    trend_station: 'Station AQI over 24 hours', device_trend: 'Device hourly values over 24 hours (with the limit)', bad_now: 'Bad now (exceeding or silent)', duration: 'For',
    hours_n: '{n} h', days_n: '{n} days', month_to_date: 'month to {t} (over the elapsed part)',
    whole_month: 'whole month', stations_bad: 'Stations above AQI 100', no_warning_short: 'No warning in force',
    warning_banner: 'Heavy-pollution {level} warning · since {since}', task_status: 'Status',
    target_state: 'State', 'no-data_state': 'no data', met: 'met', 'on-track': 'on track', 'at-risk': 'at risk',
    missed: 'missed', 'not-computed': 'not computed', 'no-target': 'no target for the year', pm25: 'PM2.5 annual mean', 'good-ratio': 'Good-day ratio',
    'heavy-ratio': 'Heavy-pollution day ratio', 'heavy-days': 'Heavy-pollution days', cut: 'cut output',
    stop: 'stop', voluntary: 'voluntary', 'stop-process': 'stop process', st_closed: 'closed', pass: 'pass',
    fail: 'fail', not_assessed: 'not assessed', stopped: 'stopped', open: 'open', acknowledged: 'acknowledged', ack: 'Acknowledge',
    level_names: 'Excellent,Good,Lightly polluted,Moderately polluted,Heavily polluted,Severely polluted',
    open_events: 'Open events', calendar_legend: 'Level', last_data_never: 'never',
    value_now: 'Value', enterprise_state: 'Enterprise state', year_to_date: 'year to', task_count: '{n} tasks',
    compare: 'Compare stations',
  },
};

let lang = localStorage.getItem('ecomon.lang') === 'en' ? 'en' : 'zh';

export function t(key, vars) {
  let s = words[lang][key] ?? words.zh[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, v);
  return s;
}
// Whether a word exists (so that codes without a name stay as they are).
export function has(key) {
  return key in words[lang] || key in words.zh;
}
export function currentLang() {
  return lang;
}
export function toggleLang() {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('ecomon.lang', lang);
}
// Static texts marked with data-i18n.
export function applyStatic(root = document) {
  root.querySelectorAll('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
}
