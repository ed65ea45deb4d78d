// A refusal from the API (403, 404, 409, 422 ...) in the user's language. The API localizes its generic messages
// itself (Accept-Language; src/server/messages.cc: parameters, sign-in, roles, CSRF) and then keeps the English in
// `message_en`; the refusals that come from the services (a closed month, a task of another county, a warning that
// is the bureau's) come in English. The page maps the ones its own controls can meet, by their wording, to
// Chinese with their values (task, user, month) kept; any other refusal gets a Chinese sentence for its status
// with the server's English after it, so a Chinese page never shows a bare English refusal.
// Why here and not codes from the API: each refusal's values are part of it, the services build ~40 of them,
// and a code per refusal with its values would touch each of them across the core; the page's table is the
// part a user can meet, checked by the browser test (one refusal in each language) against the real server.
const KNOWN = [
  [/^month (\S+) is closed \(audited\): (\S+ \S+|\S+) cannot change until the month is reopened/, '{1} 已关账（已审核）：{2} 的数据在重新开账之前不能修改'],
  [/^month (\S+) is already closed$/, '{1} 已经关账'],
  [/^month (\S+) is already open$/, '{1} 未关账，无需重新开账'],
  [/^reopening a month needs a reason/, '重新开账须填写原因'],
  [/^user (\S+) \((\S+)\) may not (close|reopen) a month: bureau only$/, '用户 {1}（{2}）无权{3}：仅限市局'],
  [/^user (\S+) \((\S+)\) may not audit monitoring data$/, '用户 {1}（{2}）无权审核监测数据'],
  [/^user (\S+) of (\S+) may not audit station (\S+)/, '{2} 的用户 {1} 无权审核站点 {3}'],
  [/^user '([^']*)' \((\S+)\) may not change task (\S+): read only$/, '用户 {1}（{2}）无权修改任务 {3}：只读'],
  [/^user '([^']*)' \((\S+)\) may not close \(销号\) task ([^:\s]+)/, '用户 {1}（{2}）无权销号任务 {3}：仅市局可销号'],
  [/^user '([^']*)' \((\S+)\) may not change the status of task (\S+): it is every county's/, '用户 {1}（{2}）无权修改任务 {3} 的状态：该任务属于各县（区），请填报本县（区）进展'],
  [/^user '([^']*)' \((\S+)\) may not change task (\S+): none of its units is of (\S+)$/, '用户 {1}（{2}）无权修改任务 {3}：其责任单位均不属于 {4}'],
  [/^only a 完成 \(done\) task can be closed/, '只有“完成”的任务才能销号'],
  [/^task (\S+) is not of (\S+)$/, '任务 {1} 不属于 {2}'],
  [/^(declaring|lifting|changing) a warning is the bureau's: user '([^']*)' \(role (\S+)\) may not$/, '预警的发布与解除由市局负责：用户 {2}（{3}）无权操作'],
  [/^user '([^']*)' may not (change entries|record inspections) (of|in) (\S+)$/, '用户 {1} 无权修改 {4} 的应急清单'],
  [/^only a bureau admin may provision devices/, '只有市局管理员可以为设备分配 MN'],
  [/^device (\S+) is not yours to see$/, '无权查看设备 {1}'],
  [/^wrong login or password$/, '账号或密码错误'],
  [/^account '([^']*)' is disabled$/, '账号 {1} 已停用'],
];
const WORD = { close: '关账', reopen: '重新开账' };

// Chinese for a status without a known message.
const STATUS_ZH = {
  400: '请求有误', 401: '请先登录', 403: '无权执行此操作', 404: '未找到', 409: '与现有数据冲突',
  413: '请求过大', 422: '当前状态下无法执行此操作', 429: '请求过于频繁', 503: '服务器繁忙，请稍后重试',
};

// The text to show for an API error body ({error: {message, message_en?}}) with this status in language `lang`.
export function refusalText(status, error, lang) {
  const message = error && typeof error.message === 'string' ? error.message : '';
  if (lang !== 'zh' || (error && error.message_en)) return message || String(status);
  for (const [pattern, zh] of KNOWN) {
    const m = pattern.exec(message);
    if (m) return zh.replace(/\{(\d)\}/g, (_, i) => WORD[m[i]] ?? m[i]);
  }
  const head = STATUS_ZH[status] || `服务器拒绝了请求（${status}）`;
  return message ? `${head}：${message}` : head;
}
