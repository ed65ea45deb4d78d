// The annual eco-environment status bulletin (生态环境状况公报) as a data model: sections of paragraphs,
// tables and charts whose every figure names the query that produced it. It is filled from typed figures
// gathered by app/bulletin.h (the air year, air/year_figures.h; the water, groundwater, noise and acid-rain
// reports of app/quality.h; the transmission rates, sources/year_rates.h) and from the yearly facts file,
// then rendered (report/render.h). Each figure's footnote is the command line that reproduces it
// (docs/bulletin.md). A section without data is left out, never filled with placeholders; a year-on-year
// change is written only when last year has data.
//
//   report::BulletinRequest req{2019, "晋城", facts, air};
//   req.water = quality->water;                           // ... groundwater, noise, rain
//   auto b = build_bulletin(req);
//   std::string html = render_html(*b);
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "air/year_figures.h"
#include "core/status.h"
#include "ledger/chronicle.h"
#include "noise/noise_format.h"
#include "rain/rain_format.h"
#include "report/facts.h"
#include "soil/soil_format.h"
#include "sources/emissions.h"
#include "sources/year_rates.h"
#include "water/water_format.h"

namespace ecomon::report {

// A query of the platform: the arguments after `ecomon` and the command line shown to readers. A chart
// built from a series of queries shows their pattern ("... --month 2019-MM ... (MM = 01…12)").
struct Query {
  std::vector<std::string> args;
  std::string display;  // "" = "ecomon " + args
  std::string command_line() const;
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
  std::string id;  // "overview", "air", "water", "noise", "soil", "radiation", "nature", "pollution", "work",
                   // "chronicle"
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
  // The year's quality assessments (app/quality.h); an error is noted and its section left out.
  StatusOr<water::WaterReport> water = not_found("not gathered");
  StatusOr<groundwater::GroundwaterReport> groundwater = not_found("not gathered");
  StatusOr<noise::NoiseReport> noise = not_found("not gathered");
  StatusOr<rain::RainReport> rain = not_found("not gathered");
  std::optional<sources::YearTransmission> rates;  // none: the facts file's 自动监控 figure is used
  // The year's loads against the permitted amounts (app::emission_totals of the year, hourly data); empty:
  // no table.
  std::vector<sources::PermitUse> permits;
  // Last year's noise (the change from last year; an error: no change is written).
  StatusOr<noise::NoiseReport> noise_previous = not_found("not gathered");
  // Soil: the points judged with both rates, and the plot registry (app/soil.h); an error: left out.
  StatusOr<soil::SurveyReport> soil = not_found("not gathered");
  StatusOr<soil::PlotReport> plots = not_found("not gathered");
  // 大事记: the year's completed ledger tasks and warnings, sorted by day; empty: the section is left out.
  std::vector<ChronicleEntry> chronicle;
};

// Fails only when the request is bad (also: a facts file of another year or city) or no section has data.
StatusOr<Bulletin> build_bulletin(const BulletinRequest& request);

// The plain text of a paragraph or table cell (figures included), for tests and the text output.
std::string plain_text(const std::vector<Run>& runs);
// Every paragraph of a section as text, joined by newlines.
std::string section_text(const Section& s);

}  // namespace ecomon::report
