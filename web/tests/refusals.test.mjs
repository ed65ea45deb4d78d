// The API's refusals in the user's language (web/src/refusals.js): the English of the services' refusals mapped
// to Chinese with their values kept, what the API localized itself left alone, any other refusal a Chinese
// sentence for its status with the English after it, English mode untouched. The messages are the services'
// own wording (src/store/audit/audit_store_impl.h, src/ledger/tracking.cc, src/emergency/warning.cc ...).
//   node web/tests/refusals.test.mjs
import { refusalText } from '../src/refusals.js';

const failures = [];
const check = (got, want, what) => {
  const ok = got === want;
  if (!ok) failures.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok ? '' : `: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`}`);
};
const err = (message, extra = {}) => ({ message, ...extra });
const closed = 'month 2025-12 is closed (audited): 2025-12-31 10:00 cannot change until the month is reopened (ecomon audit reopen)';

// Known refusals, values (month, hour, user, role, task, county) carried over.
check(refusalText(422, err(closed), 'zh'), '2025-12 已关账（已审核）：2025-12-31 10:00 的数据在重新开账之前不能修改', 'closed month, zh');
check(refusalText(422, err(closed), 'en'), closed, 'closed month, en: the API\'s words');
check(refusalText(403, err("user 'chengqu' (county) may not change task 2026-07: none of its units is of 城区"), 'zh'),
  '用户 chengqu（county）无权修改任务 2026-07：其责任单位均不属于 城区', 'task of another county');
check(refusalText(403, err("user 'chengqu' (county) may not close (销号) task T-1: only the bureau closes tasks"), 'zh'),
  '用户 chengqu（county）无权销号任务 T-1：仅市局可销号', 'closing a task');
check(refusalText(403, err('user ana (analyst) may not reopen a month: bureau only'), 'zh'),
  '用户 ana（analyst）无权重新开账：仅限市局', 'reopening a month: the verb in Chinese');
check(refusalText(403, err("declaring a warning is the bureau's: user 'chengqu' (role county) may not"), 'zh'),
  '预警的发布与解除由市局负责：用户 chengqu（county）无权操作', 'declaring a warning');
check(refusalText(422, err('month 2025-11 is already open'), 'zh'), '2025-11 未关账，无需重新开账', 'reopening an open month');
// The API's own Chinese (it keeps the English in message_en) is shown as it is.
check(refusalText(403, err('角色 public 无权使用此资源(需要 staff 权限)', { message_en: 'role public may not use this resource (needs staff)' }), 'zh'),
  '角色 public 无权使用此资源(需要 staff 权限)', 'localized by the API');
// Unknown refusals: the status in Chinese, the English after it; an empty message the status alone.
check(refusalText(404, err("'E99' is not on the list"), 'zh'), "未找到：'E99' is not on the list", 'unknown 404');
check(refusalText(422, err('something new'), 'zh'), '当前状态下无法执行此操作：something new', 'unknown 422');
check(refusalText(418, err('teapot'), 'zh'), '服务器拒绝了请求（418）：teapot', 'a status without a sentence');
check(refusalText(403, err(''), 'zh'), '无权执行此操作', 'no message');
check(refusalText(500, undefined, 'zh'), '服务器拒绝了请求（500）', 'no error object');
check(refusalText(500, undefined, 'en'), '500', 'no error object, en');
check(refusalText(403, { message: 42 }, 'zh'), '无权执行此操作', 'a message that is not text');

if (failures.length) {
  console.log(`${failures.length} failed`);
  process.exit(1);
}
console.log('all passed');
