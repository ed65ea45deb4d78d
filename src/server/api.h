// The HTTP API's routes, as plain values: a module adds its endpoints in one file (api_air.cc,
// api_quality.cc, api_sources.cc, api_targets.cc, api_accounts.cc, ...) through add_*_routes(Router&), and
// the router does the rest the same way for all: access by role, query parameters checked against the route's
// list (unknown ones refused), paging (limit/offset), CSV export of lists (?format=csv), errors as
// {"error": {"code": ..., "message": ...}}, and an audit row for every write. No HTTP library here: server.cc
// turns cpp-httplib's requests into ApiRequest and ApiReply back.
//
// Internal to src/server (it includes nlohmann/json.hpp); the rest of the platform sees only server.h.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/actor.h"
#include "core/status.h"
#include "store/api/stores.h"

namespace ecomon {
namespace app {
class Accounts;
}
}  // namespace ecomon

namespace ecomon::server {

class LoginThrottle;

using nlohmann::json;

// Who may call a route. Staff: admin, analyst and county users. Checks on whose data (a county's, an
// enterprise's) are the handler's, with the Actor's may_* functions.
enum class Access : uint8_t { kPublic, kSignedIn, kStaff, kBureau, kAdmin };
std::string_view access_name(Access a);

inline constexpr int64_t kDefaultLimit = 100;
inline constexpr int64_t kMaxLimit = 1000;
inline constexpr size_t kMaxBodyBytes = 64 * 1024;  // request bodies (JSON) larger than this get 413
inline constexpr size_t kMaxParamBytes = 256;       // one query parameter's value

struct Param {
  std::string name;
  std::string description;
  bool required = false;
};

struct ApiRequest {
  std::string method;  // GET, POST, DELETE
  std::string path;
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> path_params;  // {name} segments of the route's pattern
  std::string body;
  Actor actor;  // Role::kPublic and user "" when nobody is signed in
  bool signed_in = false;
  std::string session_id;  // set when signed in with the session cookie
  std::string peer;        // remote address
  // The caller's language: "zh" or "en" from the `lang` query parameter (any route), else the Accept-Language
  // header; "" when neither says (messages in English, exports' CSV headed by the keys).
  std::string lang;

  // The query parameter, or `fallback` when absent.
  std::string param(const std::string& name, const std::string& fallback = "") const;
};

// A file instead of JSON: a list exported with format=csv|xlsx.
struct ApiFile {
  std::string bytes;
  std::string content_type;  // "text/csv; charset=utf-8", the .xlsx MIME type
  std::string name;          // the download's file name ("air-daily-2025.csv")
};

struct ApiReply {
  int status = 200;
  json body;
  std::optional<ApiFile> file;           // set: the reply is this file (Content-Disposition: attachment)
  std::vector<std::string> set_cookies;  // Set-Cookie header values
  std::string audit_target;              // what a write acted on (for the audit log)
};

// Errors with their HTTP status (401 comes from the router's access check, 413 from the server's body limit):
// invalid_argument 400, permission_denied 403, not_found 404, already_exists 409, failed_precondition 422 (a
// well-formed body with wrong content), unavailable 503, others 500.
int http_status_of(StatusCode code);
// {"error": {"code": "bad_request", "message": ...}}
json error_body(int http_status, const std::string& message);

struct ApiContext;
using Handler = std::function<StatusOr<ApiReply>(ApiContext&, const ApiRequest&)>;

struct Route {
  std::string method;   // GET, POST, DELETE
  std::string pattern;  // "/api/air/daily", "/api/users/{login}"
  Access access = Access::kPublic;
  std::string summary;  // one line, as in openapi.json
  std::vector<Param> params;
  // body has "items": limit/offset/format=json|csv|xlsx apply; an export (csv, xlsx) carries every item
  // unless limit or offset is given, JSON pages of kDefaultLimit.
  bool paged = false;
  bool cacheable =
      false;           // public, the same for every caller: the server may cache the reply for a few seconds
  std::string action;  // for writes: the audit log's action ("users.add")
  Handler handler;
};

// What handlers share: the store's path, the accounts, the per-thread stores.
struct ApiContext {
  std::string db;
  app::Accounts* accounts = nullptr;        // the server's one accounts service (sign-in, audit)
  bool secure_cookie = false;               // the session cookie gets Secure (served behind HTTPS)
  LoginThrottle* login_throttle = nullptr;  // failed sign-ins per login and peer (none: unlimited)
  std::string reports_dir;                  // the period reports written on schedule ("" = none kept)
  // This thread's stores (opened with open_stores on first use, kept for the thread's life): what the
  // services (src/app) take.
  StoresOpener open_stores;
  StatusOr<Stores*> stores();
};

class Router {
 public:
  void add(Route r);
  const std::vector<Route>& routes() const { return routes_; }
  // Runs the route that matches (404 when none, 405 when the path exists for another method), with the checks
  // above; an error's message in the caller's language (localize_error). Writes are audited through
  // ctx.accounts. Never throws: an exception becomes a 500 reply; a busy store (kUnavailable) a 503 with
  // error.retry_after_s (the server's Retry-After).
  ApiReply dispatch(ApiContext& ctx, ApiRequest& req) const;
  // The route that would run, for the cache; nullptr when none.
  const Route* match(const std::string& method, const std::string& path,
                     std::map<std::string, std::string>* path_params) const;

 private:
  ApiReply dispatch_checked(ApiContext& ctx, ApiRequest& req) const;
  std::vector<Route> routes_;
};

// Every route of the platform.
void add_air_routes(Router& r);
void add_quality_routes(Router& r);
void add_source_routes(Router& r);
void add_provisioning_routes(Router& r);  // HJ 212-2025 1001/1002 (api_provisioning.cc)
void add_target_routes(Router& r);
void add_account_routes(Router& r);
void add_ledger_routes(Router& r);
void add_emergency_routes(Router& r);
void add_soil_routes(Router& r);      // api_soil.cc
void add_dust_routes(Router& r);      // api_dust.cc
void add_emission_routes(Router& r);  // api_emissions.cc
void add_report_routes(Router& r);    // api_reports.cc
void add_notify_routes(Router& r);    // api_notify.cc
void add_audit_routes(Router& r);     // api_audit.cc
Router all_routes();

// The OpenAPI document (src/server/openapi.json, built into the binary).
const std::string& openapi_text();

// ---- helpers for handlers

// A JSON body as an object with only the allowed fields, each a string: invalid_argument for malformed JSON,
// failed_precondition (422) for a non-object, an unknown field, a missing required field or a wrong type.
StatusOr<json> parse_body(const std::string& body, const std::vector<std::string>& required,
                          const std::vector<std::string>& optional);
// A list reply: {"items": [...]} (paging and CSV are applied by the router).
ApiReply items_reply(json items);
// Whole number of a query parameter, with its name in the error.
StatusOr<int64_t> int_param(const ApiRequest& req, const std::string& name, int64_t fallback, int64_t min,
                            int64_t max);
// For a caller whose language is "zh": an error body's message in Chinese when messages.h knows it (the
// English kept in error.message_en); other bodies and languages unchanged.
void localize_error(json& body, const std::string& lang);
// For "zh": every "reason" string in a body that messages.h's reason_zh knows, in Chinese (the emergency
// module's advice and compliance reasons); the rest as it is.
void localize_reasons(json& body, const std::string& lang);
// Picks "zh" or "en" from a `lang` parameter or an Accept-Language header ("zh-CN,zh;q=0.9" -> "zh"); "" when
// neither language is named.
std::string pick_lang(const std::string& lang_param, const std::string& accept_language);

}  // namespace ecomon::server
