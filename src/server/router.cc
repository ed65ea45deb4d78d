// The router: matching, access, parameters, paging, CSV, errors and the audit of writes (api.h).
#include <set>

#include "accounts/accounts.h"
#include "app/accounts.h"
#include "core/json_text.h"
#include "core/text_table.h"
#include "server/api.h"
#include "server/api_power.h"
#include "server/export.h"
#include "server/messages.h"

namespace ecomon::server {
namespace {

constexpr int kInternalStatus = 500;
constexpr int kUnavailableStatus = 503;
// What a 503 (the store stayed busy for the whole busy timeout) tells the client to wait before trying again.
constexpr int64_t kRetryAfterSeconds = 5;

std::vector<std::string> split_path(const std::string& p) {
  std::vector<std::string> out;
  size_t pos = 1;
  while (pos <= p.size()) {
    size_t end = p.find('/', pos);
    if (end == std::string::npos) end = p.size();
    out.push_back(p.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

bool matches(const std::string& pattern, const std::string& path,
             std::map<std::string, std::string>* params) {
  auto a = split_path(pattern), b = split_path(path);
  if (a.size() != b.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].size() > 2 && a[i].front() == '{' && a[i].back() == '}') {
      if (b[i].empty()) return false;
      found[a[i].substr(1, a[i].size() - 2)] = b[i];
    } else if (a[i] != b[i]) {
      return false;
    }
  }
  if (params) *params = std::move(found);
  return true;
}

std::string code_name(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 409:
      return "conflict";
    case 413:
      return "payload_too_large";
    case 422:
      return "unprocessable";
    case 429:
      return "too_many_requests";
    case 503:
      return "unavailable";
    default:
      return "internal";
  }
}

ApiReply error_reply(int status, const std::string& message) {
  ApiReply r;
  r.status = status;
  r.body = error_body(status, message);
  return r;
}

// An error Status as its reply; 503 (a busy store, kUnavailable) says when to try again (Retry-After).
ApiReply status_reply(const Status& s) {
  ApiReply r = error_reply(http_status_of(s.code()), s.message());
  if (r.status == kUnavailableStatus) r.body["error"]["retry_after_s"] = kRetryAfterSeconds;
  return r;
}

// Access of the route for the caller; an error reply when refused.
std::optional<ApiReply> check_access(Access a, const ApiRequest& req) {
  if (a == Access::kPublic) return std::nullopt;
  if (!req.signed_in)
    return error_reply(401, "sign in first (session cookie or Authorization: Bearer token)");
  const Role r = req.actor.role;
  bool ok = false;
  switch (a) {
    case Access::kPublic:
    case Access::kSignedIn:
      ok = true;
      break;
    case Access::kStaff:
      ok = r == Role::kAdmin || r == Role::kAnalyst || r == Role::kCounty;
      break;
    case Access::kBureau:
      ok = r == Role::kAdmin || r == Role::kAnalyst;
      break;
    case Access::kAdmin:
      ok = r == Role::kAdmin;
      break;
  }
  if (ok) return std::nullopt;
  return error_reply(403, "role " + std::string(role_name(r)) + " may not use this resource (needs " +
                              std::string(access_name(a)) + ")");
}

}  // namespace

std::string_view access_name(Access a) {
  switch (a) {
    case Access::kPublic:
      return "public";
    case Access::kSignedIn:
      return "signed-in";
    case Access::kStaff:
      return "staff";
    case Access::kBureau:
      return "bureau";
    case Access::kAdmin:
      return "admin";
  }
  return "public";
}

std::string ApiRequest::param(const std::string& name, const std::string& fallback) const {
  auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

int http_status_of(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 422;
    case StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

json error_body(int http_status, const std::string& message) {
  return {{"error", {{"code", code_name(http_status)}, {"status", http_status}, {"message", message}}}};
}

StatusOr<Stores*> ApiContext::stores() {
  thread_local std::map<std::string, std::unique_ptr<Stores>> opened;
  auto& s = opened[db];
  if (!s) {
    if (!open_stores) return internal_error("the server was started without a store opener");
    auto o = open_stores();
    if (!o.ok()) return o.status();
    s = std::move(*o);
  }
  return s.get();
}

void Router::add(Route r) { routes_.push_back(std::move(r)); }

const Route* Router::match(const std::string& method, const std::string& path,
                           std::map<std::string, std::string>* path_params) const {
  for (const Route& r : routes_) {
    if (r.method == method && matches(r.pattern, path, path_params)) return &r;
  }
  return nullptr;
}

ApiReply Router::dispatch(ApiContext& ctx, ApiRequest& req) const {
  // Nothing a handler, the paging or the CSV does may end the process or the connection: an exception becomes
  // this request's 500, whatever the transport.
  ApiReply reply;
  try {
    reply = dispatch_checked(ctx, req);
  } catch (const std::exception& e) {
    reply = error_reply(kInternalStatus, std::string("internal error: ") + e.what());
  } catch (...) {
    reply = error_reply(kInternalStatus, "internal error");
  }
  localize_error(reply.body, req.lang);
  return reply;
}

void localize_reasons(json& body, const std::string& lang) {
  if (lang != "zh") return;
  if (body.is_array()) {
    for (json& x : body) localize_reasons(x, lang);
    return;
  }
  if (!body.is_object()) return;
  for (auto& [k, v] : body.items()) {
    if (k == "reason" && v.is_string()) {
      if (auto zh = reason_zh(v.get<std::string>())) v = *zh;
    } else if (v.is_structured()) {
      localize_reasons(v, lang);
    }
  }
}

void localize_error(json& body, const std::string& lang) {
  if (lang != "zh" || !body.is_object() || !body.contains("error") || !body["error"].is_object()) return;
  json& e = body["error"];
  if (!e.contains("message") || !e["message"].is_string()) return;
  if (auto zh = message_zh(e["message"].get<std::string>())) {
    e["message_en"] = e["message"];
    e["message"] = *zh;
  }
}

ApiReply Router::dispatch_checked(ApiContext& ctx, ApiRequest& req) const {
  req.lang = pick_lang(req.param("lang"), req.lang);  // the parameter before the header (checked below)
  const Route* route = match(req.method, req.path, &req.path_params);
  if (!route) {
    for (const Route& r : routes_) {
      if (matches(r.pattern, req.path, nullptr))
        return error_reply(405, req.method + " is not allowed on " + req.path);
    }
    return error_reply(404, "no resource " + req.path);
  }
  const bool write = req.method != "GET";
  auto audit = [&](const ApiReply& reply) {
    if (!write || !ctx.accounts) return;
    AuditEntry e;
    e.user = req.actor.user.empty() ? "-" : req.actor.user;
    e.role = std::string(role_name(req.actor.role));
    e.action = route->action.empty() ? req.method + " " + route->pattern : route->action;
    e.target = reply.audit_target;
    e.outcome = reply.status < 300                                                  ? "ok"
                : reply.status == 401 || reply.status == 403 || reply.status == 429 ? "denied"
                : reply.status < 500                                                ? "invalid"
                                                                                    : "error";
    if (reply.status >= 300 && reply.body.contains("error"))
      e.detail = reply.body["error"].value("message", "");
    e.via = "http " + req.peer;
    (void)ctx.accounts->audit(e);  // an audit failure must not turn a done write into an error
  };

  if (auto refused = check_access(route->access, req)) {
    audit(*refused);
    return *refused;
  }
  // Query parameters: only the declared ones (and the paging ones of lists, and `lang` everywhere), each of
  // bounded size.
  std::set<std::string> allowed{"lang"};
  for (const Param& p : route->params) allowed.insert(p.name);
  if (route->paged) allowed.insert({"limit", "offset", "format"});
  for (const auto& [k, v] : req.query) {
    if (!allowed.count(k)) {
      ApiReply r = error_reply(400, "unknown query parameter '" + k + "'");
      audit(r);
      return r;
    }
    if (v.size() > kMaxParamBytes) return error_reply(400, "query parameter '" + k + "' is too long");
  }
  if (auto l = req.query.find("lang"); l != req.query.end() && l->second != "zh" && l->second != "en")
    return error_reply(400, "query parameter 'lang' must be zh or en");
  for (const Param& p : route->params) {
    if (p.required && !req.query.count(p.name))
      return error_reply(400, "query parameter '" + p.name + "' is required");
  }
  int64_t limit = kDefaultLimit, offset = 0;
  std::string format = "json";
  if (route->paged) {
    auto l = int_param(req, "limit", kDefaultLimit, 1, kMaxLimit);
    if (!l.ok()) return status_reply(l.status());
    auto o = int_param(req, "offset", 0, 0, std::numeric_limits<int32_t>::max());
    if (!o.ok()) return status_reply(o.status());
    limit = *l;
    offset = *o;
    format = req.param("format", "json");
    if (format != "json" && format != "csv" && format != "xlsx")
      return error_reply(400, "query parameter 'format' must be json, csv or xlsx");
  }
  // An export carries every item of the query unless the caller pages it.
  const bool exporting = format != "json";
  const bool paging = !exporting || req.query.count("limit") || req.query.count("offset");

  ApiReply reply;
  try {
    auto r = route->handler(ctx, req);
    reply = r.ok() ? std::move(*r) : status_reply(r.status());
  } catch (const std::exception& e) {
    reply = error_reply(kInternalStatus, std::string("internal error: ") + e.what());
  } catch (...) {
    reply = error_reply(kInternalStatus, "internal error");
  }
  audit(reply);
  if (reply.status < 300) localize_reasons(reply.body, req.lang);
  if (reply.status >= 300 || !route->paged || !reply.body.contains("items")) return reply;

  json& items = reply.body["items"];
  const int64_t total = static_cast<int64_t>(items.size());
  if (paging) {
    json page = json::array();
    for (int64_t i = offset; i < total && i < offset + limit; ++i)
      page.push_back(std::move(items[static_cast<size_t>(i)]));
    reply.body["items"] = std::move(page);
  }
  reply.body["total"] = total;
  reply.body["limit"] = paging ? limit : total;
  reply.body["offset"] = paging ? offset : 0;
  if (!exporting) return reply;

  // The file: named after the route and the declared parameters given (in the route's order).
  std::vector<std::string> values;
  for (const Param& p : route->params) values.push_back(req.param(p.name));
  const FlatTable table = flatten_items(reply.body["items"]);
  ApiFile file;
  file.name = export_file_name(req.path, values, format);
  if (format == "csv") {
    file.bytes = export_csv(table, req.query.count("lang") ? req.lang : "");
    file.content_type = "text/csv; charset=utf-8";
  } else {
    auto x = export_xlsx(table, req.lang, req.path.substr(req.path.rfind('/') + 1));
    if (!x.ok()) return status_reply(x.status());
    file.bytes = std::move(*x);
    file.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  reply.body = {{"total", total}};
  reply.file = std::move(file);
  return reply;
}

StatusOr<json> parse_body(const std::string& body, const std::vector<std::string>& required,
                          const std::vector<std::string>& optional) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return invalid_argument("the body is not valid JSON");
  if (!j.is_object()) return failed_precondition("the body must be a JSON object");
  for (const auto& [k, v] : j.items()) {
    bool known = std::find(required.begin(), required.end(), k) != required.end() ||
                 std::find(optional.begin(), optional.end(), k) != optional.end();
    if (!known) return failed_precondition("unknown field '" + k + "'");
    if (!v.is_string()) return failed_precondition("field '" + k + "' must be a string");
  }
  for (const std::string& k : required) {
    if (!j.contains(k)) return failed_precondition("field '" + k + "' is required");
  }
  return j;
}

ApiReply items_reply(json items) {
  ApiReply r;
  r.body = {{"items", std::move(items)}};
  return r;
}

StatusOr<int64_t> int_param(const ApiRequest& req, const std::string& name, int64_t fallback, int64_t min,
                            int64_t max) {
  auto it = req.query.find(name);
  if (it == req.query.end()) return fallback;
  const std::string& s = it->second;
  int64_t v = 0;
  constexpr int kMaxDigits = 18;  // fits int64 (DataTime has 14)
  if (s.empty() || s.size() > kMaxDigits || s.find_first_not_of("0123456789") != std::string::npos) {
    return invalid_argument("query parameter '" + name + "' must be a whole number, got '" + s + "'");
  }
  v = std::stoll(s);
  if (v < min || v > max) {
    return invalid_argument("query parameter '" + name + "' must be in " + std::to_string(min) + ".." +
                            std::to_string(max));
  }
  return v;
}

std::string pick_lang(const std::string& lang_param, const std::string& accept_language) {
  if (lang_param == "zh" || lang_param == "en") return lang_param;
  // The first of zh or en the header names (quality values are not weighed: browsers list in preference
  // order).
  size_t pos = 0;
  while (pos < accept_language.size()) {
    size_t end = accept_language.find(',', pos);
    if (end == std::string::npos) end = accept_language.size();
    std::string tag = accept_language.substr(pos, end - pos);
    tag.erase(0, tag.find_first_not_of(' '));
    if (tag.size() >= 2) {
      const std::string primary = tag.substr(0, 2);
      if ((primary == "zh" || primary == "ZH") && (tag.size() == 2 || tag[2] == '-' || tag[2] == ';'))
        return "zh";
      if ((primary == "en" || primary == "EN") && (tag.size() == 2 || tag[2] == '-' || tag[2] == ';'))
        return "en";
    }
    pos = end + 1;
  }
  return "";
}

Router all_routes() {
  Router r;
  r.add({.method = "GET",
         .pattern = "/api/openapi.json",
         .summary = "this API's OpenAPI 3 description",
         .cacheable = true,
         .handler = [](ApiContext&, const ApiRequest&) -> StatusOr<ApiReply> {
           ApiReply reply;
           reply.body = json::parse(openapi_text());
           return reply;
         }});
  add_account_routes(r);
  add_air_routes(r);
  add_quality_routes(r);
  add_source_routes(r);
  add_provisioning_routes(r);
  add_target_routes(r);
  add_ledger_routes(r);
  add_emergency_routes(r);
  add_soil_routes(r);
  add_dust_routes(r);
  add_power_routes(r);
  add_audit_routes(r);
  add_emission_routes(r);
  add_report_routes(r);
  add_notify_routes(r);
  return r;
}

}  // namespace ecomon::server
