// The dashboard's words, Chinese first; English by the switch in the header (kept in localStorage).
const words = {
  zh: {
    title: '生态环境监测平台', login: '账号', password: '密码', sign_in: '登录', logout: '退出', guest: '公众',
    today: '今日空气', air: '空气质量', water: '水环境', sources: '污染源', targets: '目标',
    emergency: '应急', ledger: '台账',
    city_aqi: '城市实时AQI', station: '站点', aqi: 'AQI', level: '级别', category: '类别', primary: '首要污染物',
    advice: '建议措施', health: '健康影响', hour: '时间', map: '站点分布', stations: '各站点',
    calendar: '日历: 每日AQI级别', monthly: '六项污染物月度浓度(占标准限值%)', composite: '综合指数与排名',
    yoy: '同比', year: '年份', pollutant: '污染物', value: '浓度', limit: '限值', change: '变化',
    rank: '排名', city: '城市', composite_index: '综合指数', good_ratio: '优良天数比例', days_valid: '有效天数',
    previous: '上年同期', sections: '断面水质', section: '断面', river: '河流', target: '目标', class: '类别',
    status: '水质状况', meets: '达标', wells: '地下水监测井', well: '监测井', county: '区县', grade: 'F分级',
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
    downgrade: '降级', keep: '维持', baseline: '基准(kg/d)', reduction: '减排量(kg/d)',
    what_if: '假设分析', what_if_share: '假设减排比例', what_if_reached: '假设达到', grade_changes: '绩效等级调整',
    assumed_cut: '自主减排假设限产%', compliance: '应急减排落实情况(最近一次预警)', flagged: '未落实',
    verdict: '判定', compliant: '已落实', 'not-cutting': '未按要求减排', 'no-data': '数据不足',
    'inspected-ok': '现场检查已落实', 'inspected-not': '现场检查未落实', 'not-inspected': '未检查',
    no_finished_warning: '尚无已解除的预警过程; 预警解除后在此核查各企业落实情况',
  },
  en: {
    title: 'Eco-environment monitoring', login: 'Login', password: 'Password', sign_in: 'Sign in', logout: 'Sign out',
    guest: 'public', today: 'Today', air: 'Air', water: 'Water', sources: 'Sources', targets: 'Targets',
    emergency: 'Emergency', ledger: 'Ledger',
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
  },
};

let lang = localStorage.getItem('ecomon.lang') === 'en' ? 'en' : 'zh';

export function t(key) {
  return words[lang][key] ?? words.zh[key] ?? key;
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
