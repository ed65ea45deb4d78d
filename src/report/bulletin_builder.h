// The bulletin builder's parts shared by the annual bulletin (bulletin.cc) and the period reports
// (period_report.cc): the builder that numbers the queries, paragraph helpers, and the air and water parts
// whose sentences both use with the period's words. Internal to src/report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/bulletin.h"

namespace ecomon::report::internal {

// A rounded percentage as the modules print it: "-" when there is none.
std::string percent_text(const std::optional<Decimal>& d);
// "晋城" -> "晋城市"; a name ending in 市 is kept.
std::string city_name(const std::string& city);

// How the text names its period: the annual bulletin's year, or a period report's month or quarter (the
// same sentences, other words).
struct PeriodWords {
  std::string label;     // the queries' value: "2019", "2019-01", "2019-Q1"
  std::string flag;      // the air and water queries' flag for it: "--year", "--month", "--quarter"
  std::string name;      // "2019年", "2019年1月", "2019年第一季度"
  std::string previous;  // the same period a year before: "2018年", "2018年1月", ...
  std::string whole;     // "全年", "当月", "本季度"
  std::string mean;      // the mean concentration's name: "年均浓度", "月均浓度", "季均浓度"
  std::string current;   // the water table's column: "本年类别", "本期类别"
  std::string compared;  // "与上年相比", "与上年同期相比"
};
inline PeriodWords year_words(int year) {
  return {std::to_string(year),
          "--year",
          std::to_string(year) + "年",
          std::to_string(year - 1) + "年",
          "全年",
          "年均浓度",
          "本年类别",
          "与上年相比"};
}

// Builds one bulletin from the request's figures, numbers the queries its figures use.
class Builder {
 public:
  explicit Builder(const BulletinRequest& r, PeriodWords words = {}) : req_(r), words_(std::move(words)) {
    b_.city = r.city;
    b_.year = r.year;
    if (words_.label.empty()) words_ = year_words(r.year);
    b_.title = city_name(r.city) + std::to_string(r.year) + "年生态环境状况公报";
    b_.subtitle = r.facts ? "由 ecomon 根据监测数据与年度事实文件生成" : "由 ecomon 根据监测数据生成";
  }

  // The figures of a query, or null (with a note naming its command line) when it failed.
  template <typename T>
  const T* figures(const StatusOr<T>& v, const std::vector<std::string>& args) {
    if (!v.ok()) note(Query{args, ""}.command_line() + ": " + v.status().message());
    return v.ok() ? &*v : nullptr;
  }
  // The footnote number of a query (numbered on first use).
  int ref(const Query& q) {
    std::string line = q.command_line();
    for (size_t i = 0; i < b_.queries.size(); ++i) {
      if (b_.queries[i].command_line() == line) return static_cast<int>(i) + 1;
    }
    b_.queries.push_back(q);
    return static_cast<int>(b_.queries.size());
  }
  void note(std::string n) { b_.notes.push_back(std::move(n)); }
  // Key statements for the overview (综述), in section order.
  void highlight(Paragraph p) { highlights_.push_back(std::move(p)); }
  const std::vector<Paragraph>& highlights() const { return highlights_; }
  void add(Section s) {
    if (!s.blocks.empty()) b_.sections.push_back(std::move(s));
  }

  const BulletinRequest& req() const { return req_; }
  Bulletin& bulletin() { return b_; }
  std::string city() const { return city_name(req_.city); }
  std::string year() const { return std::to_string(req_.year); }
  std::string previous_year() const { return std::to_string(req_.year - 1); }
  // The period the text speaks of: the year, or a period report's month or quarter.
  const PeriodWords& period() const { return words_; }

 private:
  const BulletinRequest& req_;
  PeriodWords words_;
  Bulletin b_;
  std::vector<Paragraph> highlights_;
};

// Paragraph helper: text and figures.
struct Para {
  Paragraph p;
  Para& t(const std::string& s) {
    if (!p.empty() && p.back().query == 0) {
      p.back().text += s;
    } else {
      p.push_back({s, 0});
    }
    return *this;
  }
  Para& f(const std::string& s, int q) {
    p.push_back({s, q});
    return *this;
  }
};

// A figure of the air module as its documented JSON prints it (docs/air-json.md).
Decimal printed(const Decimal& d);
std::optional<Decimal> printed(const std::optional<Decimal>& d);
// `ecomon air VERB --city CITY FLAG VALUE --format json` as query arguments.
std::vector<std::string> air_args(const std::string& verb, const std::string& city, const std::string& flag,
                                  const std::string& value);
// The period's days: index, valid, good (by level), good ratio, heavy days, and the changes from `prev`
// (the same period a year before) when given.
void air_days_paragraph(Builder& bd, Section& s, const PeriodAssessment& a,
                        const std::optional<YearOnYear>& yoy, int qa, const PeriodAssessment* prev, int qp);
// The pollutants' statistics as a paragraph and a table (limit, compliance, change).
void air_pollutants(Builder& bd, Section& s, const PeriodAssessment& a, const std::optional<YearOnYear>& yoy,
                    int qa);
// The surface-water sections of the period (`water assess`), their classes, targets and changes, and the
// drinking-water sources.
void surface_water(Builder& bd, Section& s);
// The loads from the online monitoring against the permitted amounts (许可排放量), one row per amount: the
// load in tonnes to 3 decimals and its share of the amount to 1 (GB/T 8170), 超许可 over the amount, and,
// with `elapsed_percent` (a period report's share of the year gone, 时间进度), 高于时间进度 for a share
// above it but within the amount. Nothing without amounts.
struct PermitWords {
  std::string period;       // "2021年", "2021年1—3月"
  Query query;              // the `ecomon emissions` query the figures come from
  std::string load_column;  // "排放量（吨）", "累计排放量（吨）"
  std::optional<double> elapsed_percent;
};
void permits_table(Builder& bd, Section& s, const std::vector<sources::PermitUse>& permits,
                   const PermitWords& w);
// 表N and 图N in the order the tables and charts appear.
void number_tables_and_charts(Bulletin& b);
// 综述: the key statements of the sections in one paragraph.
Section overview(const Builder& bd);

}  // namespace ecomon::report::internal
