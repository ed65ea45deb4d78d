#include <gtest/gtest.h>

#include <set>

#include "server/api.h"
#include "server/messages.h"

namespace ecomon::server {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Every route is in openapi.json with its query parameters, and openapi.json has no route the server lacks.
TEST(OpenApi, DescribesEveryRouteAndNothingElse) {
  json doc = json::parse(openapi_text());
  ASSERT_EQ(doc["openapi"], "3.0.3");
  Router r = all_routes();
  std::set<std::pair<std::string, std::string>> routes;
  for (const Route& route : r.routes()) {
    const std::string m = lower(route.method);
    routes.insert({route.pattern, m});
    ASSERT_TRUE(doc["paths"].contains(route.pattern)) << route.pattern;
    ASSERT_TRUE(doc["paths"][route.pattern].contains(m)) << route.method << " " << route.pattern;
    const json& op = doc["paths"][route.pattern][m];
    EXPECT_EQ(op["summary"], route.summary) << route.pattern;
    EXPECT_EQ(op["x-access"], std::string(access_name(route.access))) << route.pattern;
    std::set<std::string> documented;
    for (const json& p : op.value("parameters", json::array())) {
      if (p["in"] == "query") documented.insert(p["name"]);
    }
    std::set<std::string> declared;
    for (const Param& p : route.params) declared.insert(p.name);
    if (route.paged) declared.insert({"limit", "offset", "format"});
    EXPECT_EQ(documented, declared) << route.method << " " << route.pattern;
  }
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      EXPECT_TRUE(routes.count({path, method}))
          << "openapi.json has " << method << " " << path << " but no route";
    }
  }
}

// A small router of test routes: the router's own checks, no HTTP.
class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add({.method = "GET",
                 .pattern = "/api/list",
                 .summary = "list",
                 .params = {{"q", "a filter", true}},
                 .paged = true,
                 .handler = [](ApiContext&, const ApiRequest& req) -> StatusOr<ApiReply> {
                   json items = json::array();
                   for (int i = 0; i < 250; ++i)
                     items.push_back({{"n", i}, {"q", req.param("q")}, {"x", {1, 2}}});
                   return items_reply(items);
                 }});
    router_.add({.method = "GET",
                 .pattern = "/api/things/{id}",
                 .access = Access::kBureau,
                 .summary = "a thing",
                 .handler = [](ApiContext&, const ApiRequest& req) -> StatusOr<ApiReply> {
                   if (req.path_params.at("id") == "missing") return not_found("no thing missing");
                   ApiReply r;
                   r.body = {{"id", req.path_params.at("id")}};
                   return r;
                 }});
  }
  ApiReply get(const std::string& path, std::map<std::string, std::string> query, Actor actor = {},
               bool signed_in = false) {
    ApiRequest req;
    req.method = "GET";
    req.path = path;
    req.query = std::move(query);
    req.actor = actor;
    req.signed_in = signed_in;
    return router_.dispatch(ctx_, req);
  }
  Router router_;
  ApiContext ctx_;
};

TEST_F(RouterTest, PagesWithDefaultsAndBounds) {
  ApiReply r = get("/api/list", {{"q", "a"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["total"], 250);
  EXPECT_EQ(r.body["limit"], kDefaultLimit);
  EXPECT_EQ(r.body["items"].size(), 100u);
  r = get("/api/list", {{"q", "a"}, {"limit", "30"}, {"offset", "240"}});
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.body["items"].size(), 10u);  // 240..249
  EXPECT_EQ(r.body["items"][0]["n"], 240);
  EXPECT_EQ(get("/api/list", {{"q", "a"}, {"limit", "1001"}}).status, 400);  // above kMaxLimit
  EXPECT_EQ(get("/api/list", {{"q", "a"}, {"limit", "0"}}).status, 400);
  EXPECT_EQ(get("/api/list", {{"q", "a"}, {"offset", "-1"}}).status, 400);
  EXPECT_EQ(get("/api/list", {{"q", "a"}, {"limit", "1e3"}}).status, 400);
}

TEST_F(RouterTest, ChecksParameters) {
  ApiReply r = get("/api/list", {});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["code"], "bad_request");
  EXPECT_EQ(r.body["error"]["message"], "query parameter 'q' is required");
  r = get("/api/list", {{"q", "a"}, {"sort", "x"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["message"], "unknown query parameter 'sort'");
  EXPECT_EQ(get("/api/list", {{"q", std::string(kMaxParamBytes + 1, 'a')}}).status, 400);
  EXPECT_EQ(get("/api/list", {{"q", "a"}, {"format", "xml"}}).status, 400);
  EXPECT_EQ(get("/api/list", {{"q", "a"}, {"format", "xml"}}).body["error"]["message"],
            "query parameter 'format' must be json, csv or xlsx");
}

TEST_F(RouterTest, CsvOfThePage) {
  ApiReply r = get("/api/list", {{"q", "a,b"}, {"limit", "2"}, {"format", "csv"}});
  ASSERT_EQ(r.status, 200);
  ASSERT_TRUE(r.file);
  // A BOM, then columns in key order (nlohmann orders keys); a comma is quoted; an array of numbers is one
  // cell joined by 、. The file is named after the route and the parameters given.
  EXPECT_EQ(r.file->bytes, "\xEF\xBB\xBFn,q,x\n0,\"a,b\",1、2\n1,\"a,b\",1、2\n");
  EXPECT_EQ(r.file->content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(r.file->name, "list-a_b.csv");
  EXPECT_EQ(r.body["total"], 250);
}

TEST_F(RouterTest, AnExportCarriesEveryRowUnlessPaged) {
  // 250 items: JSON pages of 100 by default; CSV without limit/offset has all 250 (+ the header line).
  EXPECT_EQ(get("/api/list", {{"q", "a"}}).body["items"].size(), 100u);
  ApiReply all = get("/api/list", {{"q", "a"}, {"format", "csv"}});
  ASSERT_TRUE(all.file);
  EXPECT_EQ(std::count(all.file->bytes.begin(), all.file->bytes.end(), '\n'), 251);
  ApiReply tail = get("/api/list", {{"q", "a"}, {"format", "csv"}, {"offset", "240"}});
  ASSERT_TRUE(tail.file);
  EXPECT_EQ(std::count(tail.file->bytes.begin(), tail.file->bytes.end(), '\n'), 11);  // 240..249 + header
  // Named columns in the user's language when asked (lang): n and q are not known keys and stay as they are.
  ApiReply zh = get("/api/list", {{"q", "a"}, {"format", "csv"}, {"limit", "1"}, {"lang", "zh"}});
  ASSERT_TRUE(zh.file);
  EXPECT_EQ(zh.file->bytes, "\xEF\xBB\xBFn,q,x\n0,a,1、2\n");
  EXPECT_EQ(get("/api/list", {{"q", "a"}, {"lang", "fr"}}).status, 400);
}

TEST_F(RouterTest, MessagesInTheCallersLanguage) {
  // lang=zh: the Chinese text, the English kept beside it; a message no pattern knows stays English.
  ApiReply r = get("/api/list", {{"lang", "zh"}});
  EXPECT_EQ(r.body["error"]["message"], "缺少查询参数 'q'");
  EXPECT_EQ(r.body["error"]["message_en"], "query parameter 'q' is required");
  r = get("/api/list", {{"q", "a"}, {"limit", "x"}, {"lang", "zh"}});
  EXPECT_EQ(r.body["error"]["message"], "查询参数 'limit' 应为整数, 实为 'x'");
  r = get("/api/things/1", {{"lang", "zh"}});
  EXPECT_EQ(r.body["error"]["message"], "请先登录(会话 Cookie 或 Authorization: Bearer 令牌)");
  r = get("/api/things/1", {{"lang", "zh"}}, Actor{"c", Role::kCounty, "泽州县", ""}, true);
  EXPECT_EQ(r.body["error"]["message"], "角色 county 无权使用此资源(需要 bureau 权限)");
  r = get("/api/things/missing", {{"lang", "zh"}}, Actor{"a", Role::kAdmin, "", ""}, true);
  EXPECT_EQ(r.body["error"]["message"], "no thing missing");
  EXPECT_FALSE(r.body["error"].contains("message_en"));
  // English (or no language): as written.
  EXPECT_EQ(get("/api/list", {{"lang", "en"}}).body["error"]["message"], "query parameter 'q' is required");
  EXPECT_EQ(message_zh("query parameter month='2025-13' is not YYYY-MM"),
            "查询参数 month='2025-13' 不是 YYYY-MM 格式");
  // The emergency module's reasons, part by part.
  EXPECT_EQ(reason_zh("3 days > 200 (2026-12-07..2026-12-09), 1 of them > 300"),
            "2026-12-07 至 2026-12-09 连续 3 天 AQI > 200, 其中 1 天 > 300");
  EXPECT_EQ(reason_zh("SO2 load cut 12.5 % < required 30.0 %; NOx load cut -3.0 % < required 30.0 %"),
            "SO2 排放量削减 12.5 %, 低于要求的 30.0 %; NOx 排放量削减 -3.0 %, 低于要求的 30.0 %");
  EXPECT_EQ(
      reason_zh("AQI <= 200 for the first 2 forecast days (>= 36 h); a new orange episode is forecast: 3 "
                "days > 200 (2026-12-09..2026-12-11)"),
      "预报前 2 天 AQI <= 200 (不少于 36 小时); 预报出现新的橙色过程: 2026-12-09 至 2026-12-11 连续 3 天 AQI "
      "> 200");
  EXPECT_EQ(reason_zh("2 days > 200 (2026-12-07..2026-12-08); heavy days continue: keep red"),
            "2026-12-07 至 2026-12-08 连续 2 天 AQI > 200; 重污染持续: 维持红色预警");
  EXPECT_EQ(reason_zh("every monitored pollutant cut as required; something new"),
            std::nullopt);  // all or none
  json body = {
      {"items", {{{"reason", "every monitored pollutant cut as required"}}, {{"reason", "as typed"}}}}};
  localize_reasons(body, "zh");
  EXPECT_EQ(body["items"][0]["reason"], "各监测污染物均按要求减排");
  EXPECT_EQ(body["items"][1]["reason"], "as typed");
  EXPECT_EQ(pick_lang("", "zh-CN,zh;q=0.9,en;q=0.8"), "zh");
  EXPECT_EQ(pick_lang("", "en-US,en;q=0.9"), "en");
  EXPECT_EQ(pick_lang("en", "zh-CN"), "en");
  EXPECT_EQ(pick_lang("", "fr-FR, de"), "");
  EXPECT_EQ(pick_lang("", ""), "");
}

TEST_F(RouterTest, XlsxIsAZipWorkbook) {
  ApiReply r = get("/api/list", {{"q", "a"}, {"format", "xlsx"}});
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ASSERT_TRUE(r.file);
  EXPECT_EQ(r.file->bytes.substr(0, 4), std::string("PK\x03\x04", 4));  // a ZIP archive (OOXML)
  EXPECT_EQ(r.file->name, "list-a.xlsx");
  EXPECT_EQ(r.file->content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

TEST_F(RouterTest, AccessAndErrors) {
  EXPECT_EQ(get("/api/things/1", {}).status, 401);
  ApiReply r = get("/api/things/1", {}, Actor{"c", Role::kCounty, "泽州县", ""}, true);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["error"]["code"], "forbidden");
  r = get("/api/things/7", {}, Actor{"a", Role::kAnalyst, "", ""}, true);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["id"], "7");
  EXPECT_EQ(get("/api/things/missing", {}, Actor{"a", Role::kAdmin, "", ""}, true).status, 404);
  EXPECT_EQ(get("/api/nothing", {}).status, 404);
  ApiRequest post;
  post.method = "POST";
  post.path = "/api/list";
  EXPECT_EQ(router_.dispatch(ctx_, post).status, 405);
}

// Whatever a handler throws (a std::exception or anything else) is that request's 500, never the process's
// end; a busy store (kUnavailable) is 503 with the seconds to wait, which the server sends as Retry-After.
TEST_F(RouterTest, ThrowsAndBusyStoreBecomeReplies) {
  router_.add({.method = "GET",
               .pattern = "/api/throws/{what}",
               .summary = "throws",
               .handler = [](ApiContext&, const ApiRequest& req) -> StatusOr<ApiReply> {
                 if (req.path_params.at("what") == "int") throw 42;
                 return ApiReply{.body = json::parse("{bad json")};  // nlohmann throws parse_error
               }});
  router_.add({.method = "GET", .pattern = "/api/no-handler", .summary = "no handler"});
  router_.add({.method = "GET",
               .pattern = "/api/busy",
               .summary = "busy",
               .handler = [](ApiContext&, const ApiRequest&) -> StatusOr<ApiReply> {
                 return Status(StatusCode::kUnavailable, "store x: add user: database is locked");
               }});
  ApiReply thrown = get("/api/throws/std", {});
  EXPECT_EQ(thrown.status, 500);
  EXPECT_EQ(thrown.body["error"]["code"], "internal");
  EXPECT_EQ(thrown.body["error"]["message"].get<std::string>().rfind("internal error: ", 0), 0u);
  ApiReply odd = get("/api/throws/int", {});  // not a std::exception
  EXPECT_EQ(odd.status, 500);
  EXPECT_EQ(odd.body["error"]["message"], "internal error");
  // A route without a handler: calling the empty std::function throws bad_function_call, also a 500.
  EXPECT_EQ(get("/api/no-handler", {}).status, 500);

  ApiReply busy = get("/api/busy", {});
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.body["error"]["code"], "unavailable");
  EXPECT_EQ(busy.body["error"]["retry_after_s"], 5);
  EXPECT_EQ(busy.body["error"]["message"], "store x: add user: database is locked");
}

TEST(ParseBody, RejectsWhatIsNotAsked) {
  EXPECT_EQ(parse_body("{\"a\": \"1\"", {"a"}, {}).status().code(),
            StatusCode::kInvalidArgument);  // malformed
  EXPECT_EQ(parse_body("[1]", {"a"}, {}).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(parse_body("{\"a\": \"1\", \"admin\": \"yes\"}", {"a"}, {}).status().message(),
            "unknown field 'admin'");
  EXPECT_EQ(parse_body("{\"a\": 1}", {"a"}, {}).status().message(), "field 'a' must be a string");
  EXPECT_EQ(parse_body("{}", {"a"}, {}).status().message(), "field 'a' is required");
  auto ok = parse_body("{\"a\": \"x' OR 1=1 --\", \"b\": \"2\"}", {"a"}, {"b"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["a"], "x' OR 1=1 --");
}

TEST(HttpStatus, OfEachCode) {
  EXPECT_EQ(http_status_of(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(http_status_of(StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(http_status_of(StatusCode::kNotFound), 404);
  EXPECT_EQ(http_status_of(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(http_status_of(StatusCode::kFailedPrecondition), 422);
  EXPECT_EQ(http_status_of(StatusCode::kInternal), 500);
  EXPECT_EQ(error_body(413, "too big")["error"]["code"], "payload_too_large");
}

}  // namespace
}  // namespace ecomon::server
