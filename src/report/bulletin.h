// The annual eco-environment status bulletin (生态环境状况公报) as a data model: sections of paragraphs,
// tables and charts whose every figure names the query that produced it. It is filled from the air year's
// typed figures (air/year_figures.h, gathered by app/bulletin.h), from the documented JSON of the other
// modules' queries (`ecomon water assess ...`, see docs/bulletin.md) and from the yearly facts file, then
// rendered (report/render.h). A section without data is left out, never filled with placeholders; a
// year-on-year change is written only when last year has data.
//
//   CliQueries q(db);                                     // a QueryRunner: runs `ecomon ...` queries
//   auto b = build_bulletin({.year = 2019, .city = "晋城", .facts = facts, .air = air}, q);
//   std::string html = render_html(*b);
//
// Not thread-safe; the runner is borrowed for the call only.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "air/year_figures.h"
#include "core/status.h"
#include "report/facts.h"

namespace ecomon::report {

// A query of the platform: the arguments after `ecomon` (run) and the command line shown to readers. A chart
// built from a series of queries shows their pattern ("... --month 2019-MM ... (MM = 01…12)").
struct Query {
  std::vector<std::string> args;
  std::string display;  // "" = "ecomon " + args
  std::string command_line() const;
};

// Runs queries and returns their JSON output. The CLI runs them in-process; tests may run the binary.
class QueryRunner {
 public:
  virtual ~QueryRunner() = default;
  virtual StatusOr<nlohmann::json> run(const std::vector<std::string>& args) = 0;
};

// A stretch of text; `query` > 0 makes it a figure produced by bulletin.queries[query - 1].
struct Run {
  std::string text;
  int query = 0;
};
using Paragraph = std::vector<Run>;
struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<Run>> rows;
};
struct Chart {
  std::string caption;
  std::string svg;
  int query = 0;
};
using Block = std::variant<Paragraph, Table, Chart>;

struct Section {
  std::string id;     // "overview", "air", "water", "noise", "radiation", "nature", "pollution", "work"
  std::string title;  // "一、环境空气"
  std::vector<Block> blocks;
};

struct Bulletin {
  std::string city;
  int year = 0;
  std::string title;     // "晋城市2019年生态环境状况公报"
  std::string subtitle;  // what it was made from
  std::vector<Section> sections;
  std::vector<Query> queries;      // footnotes, in order of first use
  std::vector<std::string> notes;  // what was left out and why (for the operator, not printed)
  const Section* section(const std::string& id) const;
};

struct BulletinRequest {
  int year = 0;
  std::string city;
  std::optional<Facts> facts;
  std::optional<AirYearFigures> air;  // the air section's figures (none: left out)
};

// Fails only when the request is bad or no section has data.
StatusOr<Bulletin> build_bulletin(const BulletinRequest& request, QueryRunner& runner);

// The plain text of a paragraph or table cell (figures included), for tests and the text output.
std::string plain_text(const std::vector<Run>& runs);
// Every paragraph of a section as text, joined by newlines.
std::string section_text(const Section& s);

}  // namespace ecomon::report
