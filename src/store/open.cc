#include "store/open.h"

#include <charconv>

#include "store/cluster_stores.h"
#include "store/sqlite_stores.h"

namespace ecomon {
namespace {

constexpr std::string_view kForms =
    "a file path, sqlite:PATH, or postgresql://USER@HOST:PORT/DB?clickhouse=HOST:PORT[,HOST:PORT...]";

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// "host:port" with a non-empty host and a port in 1..65535.
Status check_endpoint(std::string_view e) {
  const size_t colon = e.rfind(':');
  int port = 0;
  if (colon == std::string_view::npos || colon == 0 ||
      std::from_chars(e.data() + colon + 1, e.data() + e.size(), port).ptr != e.data() + e.size() ||
      port < 1 || port > 65535 || colon + 1 == e.size())
    return invalid_argument("store URL: ClickHouse server '" + std::string(e) + "' is not HOST:PORT");
  return Status::ok_status();
}

StatusOr<StoreUrl> parse_cluster(std::string_view url) {
  StoreUrl out;
  out.kind = StoreUrl::Kind::kCluster;
  const size_t q = url.find('?');
  std::string base(url.substr(0, q));
  std::string kept;  // the other query parameters, for libpq
  if (q != std::string_view::npos) {
    std::string_view rest = url.substr(q + 1);
    while (!rest.empty()) {
      const size_t amp = rest.find('&');
      std::string_view param = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
      if (starts_with(param, "clickhouse=")) {
        std::string_view list = param.substr(11);
        while (!list.empty()) {
          const size_t comma = list.find(',');
          std::string_view e = list.substr(0, comma);
          list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
          if (e.empty()) continue;
          // A shard's replicas: HOST:PORT|HOST:PORT (requests fail over from one to the next).
          for (std::string_view replicas = e; !replicas.empty();) {
            const size_t bar = replicas.find('|');
            ECOMON_RETURN_IF_ERROR(check_endpoint(replicas.substr(0, bar)));
            replicas = bar == std::string_view::npos ? std::string_view{} : replicas.substr(bar + 1);
          }
          out.clickhouse.emplace_back(e);
        }
      } else if (starts_with(param, "clickhouse_db=")) {
        const std::string_view name = param.substr(14);
        const bool word = !name.empty() && name.find_first_not_of(
                                               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                               "0123456789_") == std::string_view::npos;
        if (!word)
          return invalid_argument("store URL: clickhouse_db '" + std::string(name) +
                                  "' is not a database name (letters, digits, _)");
        out.clickhouse_database = std::string(name);
      } else if (!param.empty()) {
        kept += kept.empty() ? "?" : "&";
        kept += param;
      }
    }
  }
  if (out.clickhouse.empty())
    return invalid_argument(
        "store URL: a cluster URL names its ClickHouse servers (?clickhouse=HOST:PORT,...); " +
        std::string(kForms));
  out.postgres = base + kept;
  return out;
}

}  // namespace

StatusOr<StoreUrl> parse_store_url(std::string_view url) {
  if (url.empty()) return invalid_argument(std::string("store URL is empty; use ") + std::string(kForms));
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) return parse_cluster(url);
  StoreUrl out;
  if (starts_with(url, "sqlite:")) {
    std::string_view path = url.substr(7);
    if (starts_with(path, "//")) path.remove_prefix(2);  // sqlite:///abs/path -> /abs/path
    if (path.empty()) return invalid_argument("store URL 'sqlite:' names no file");
    out.sqlite_path = std::string(path);
    return out;
  }
  if (const size_t scheme = url.find("://"); scheme != std::string_view::npos)
    return invalid_argument("store URL: unknown scheme '" + std::string(url.substr(0, scheme)) + "'; use " +
                            std::string(kForms));
  out.sqlite_path = std::string(url);
  return out;
}

std::string redact_store_url(std::string_view url) {
  // scheme://user:password@host -> scheme://user:***@host
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const size_t start = scheme + 3;
  const size_t at = url.find('@', start);
  const size_t slash = url.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at))
    return std::string(url);
  const size_t colon = url.find(':', start);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

StatusOr<std::unique_ptr<Stores>> open_stores(const std::string& url) {
  auto parsed = parse_store_url(url);
  if (!parsed.ok()) return parsed.status();
  if (parsed->kind == StoreUrl::Kind::kSqlite) return open_sqlite_stores(parsed->sqlite_path);
  auto stores = open_cluster_stores(*parsed);
  if (!stores.ok()) return stores.status().with_context("store " + redact_store_url(url));
  return stores;
}

StoresOpener stores_opener(const std::string& url) {
  return [url] { return open_stores(url); };
}

StatusOr<int64_t> ship_store_uploads(const std::string& url) {
  auto parsed = parse_store_url(url);
  if (!parsed.ok()) return parsed.status();
  if (parsed->kind != StoreUrl::Kind::kCluster) return int64_t{0};
  return ship_cluster_spool(*parsed);
}

}  // namespace ecomon
