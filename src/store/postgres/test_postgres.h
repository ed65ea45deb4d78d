// Tests against a real PostgreSQL: the server is given by ECOMON_TEST_POSTGRES (a libpq URI, e.g. what
// `scripts/cluster/postgres.sh up build/cluster/pg` prints); without it the tests skip and say so. Each test
// works in a schema of its own (made fresh, dropped at the end), so tests run in parallel on one database.
//
//   ECOMON_SKIP_WITHOUT_POSTGRES();
//   pg::TestSchema schema;                       // "t_<pid>_<n>", empty
//   auto c = schema.open();                      // a migrated connection to it
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "store/postgres/db.h"

namespace ecomon::pg {

inline std::optional<std::string> test_postgres_uri() {
  const char* v = std::getenv("ECOMON_TEST_POSTGRES");
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

#define ECOMON_SKIP_WITHOUT_POSTGRES()                                                                  \
  do {                                                                                                  \
    if (!::ecomon::pg::test_postgres_uri()) {                                                           \
      GTEST_SKIP() << "ECOMON_TEST_POSTGRES is not set: no PostgreSQL to test against (start one with " \
                      "scripts/cluster/postgres.sh up build/cluster/pg and export the URI it prints)";  \
    }                                                                                                   \
  } while (0)

class TestSchema {
 public:
  TestSchema() {
    static int counter = 0;
    name_ = "t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    auto admin = admin_conn();
    if (admin) (void)admin->exec("DROP SCHEMA IF EXISTS " + name_ + " CASCADE; CREATE SCHEMA " + name_);
  }
  ~TestSchema() {
    auto admin = admin_conn();
    if (admin) (void)admin->exec("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
  }
  TestSchema(const TestSchema&) = delete;
  TestSchema& operator=(const TestSchema&) = delete;

  const std::string& name() const { return name_; }
  std::string uri() const { return test_postgres_uri().value_or(""); }
  OpenOptions options(bool migrate = true) const {
    OpenOptions o;
    o.migrate = migrate;
    o.schema = name_;
    return o;
  }
  // A connection to the schema (migrated unless told otherwise).
  StatusOr<std::unique_ptr<Conn>> open(bool migrate = true) const {
    return Conn::open(uri(), options(migrate));
  }

 private:
  static std::unique_ptr<Conn> admin_conn() {
    auto uri = test_postgres_uri();
    if (!uri) return nullptr;
    OpenOptions o;
    o.migrate = false;
    auto c = Conn::open(*uri, o);
    return c.ok() ? std::move(*c) : nullptr;
  }
  std::string name_;
};

}  // namespace ecomon::pg
