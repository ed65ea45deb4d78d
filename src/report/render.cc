#include "report/render.h"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "report/charts.h"

namespace ecomon::report {
namespace {

const char* const kCss = R"css(
@page { size: A4; margin: 18mm 17mm 18mm 17mm; }
body { font-family: @FONT@; font-size: 10.5pt; line-height: 1.75; color: #222;
       max-width: 176mm; margin: 0 auto; }
h1 { text-align: center; font-size: 20pt; margin: 6mm 0 2mm; letter-spacing: 1px; }
.subtitle { text-align: center; color: #555; font-size: 9.5pt; margin-bottom: 6mm; }
h2 { font-size: 14pt; border-bottom: 2px solid #2471a3; padding-bottom: 1mm; margin: 6mm 0 2mm;
     break-after: avoid; page-break-after: avoid; }
p { text-indent: 2em; margin: 1.5mm 0; text-align: justify; }
a.fig { color: inherit; text-decoration: none; border-bottom: 1px dotted #2471a3; }
sup.fn { font-size: 6.5pt; color: #2471a3; margin-left: 1px; }
sup.fn a { color: inherit; text-decoration: none; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 2mm 0 3mm; page-break-inside: auto; }
tr { page-break-inside: avoid; }
caption { font-weight: bold; font-size: 9.5pt; margin-bottom: 1mm; }
th, td { border: 1px solid #999; padding: 0.6mm 1.5mm; text-align: center; }
th { background: #eaf2f8; }
figure { margin: 2mm 0 4mm; page-break-inside: avoid; text-align: center; }
figure svg { width: 100%; height: auto; }
figcaption { font-weight: bold; font-size: 9.5pt; }
.notes { font-size: 8pt; color: #444; border-top: 1px solid #ccc; margin-top: 2mm; padding-top: 1mm; }
.notes div { text-indent: 0; word-break: break-all; }
.notes code { font-family: @MONO@; }
)css";

// The stylesheet with the font families of render.h filled in.
std::string stylesheet() {
  std::string css = kCss;
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"@FONT@", kBulletinFontFamily},
                                   std::pair<std::string, std::string>{"@MONO@", kBulletinMonoFontFamily}}) {
    for (size_t p = css.find(key); p != std::string::npos; p = css.find(key, p))
      css.replace(p, key.size(), value);
  }
  return css;
}

const char* const kNumerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

// Footnote anchors are per section ("air-q1"): a query cited in several sections is listed in each.
std::string fn_mark(const std::string& sec, int q) {
  return fmt::format("<sup class=\"fn\"><a href=\"#{0}-q{1}\">[{1}]</a></sup>", sec, q);
}

// Figures link to their query; a footnote mark closes each stretch of figures from one query.
std::string runs_html(const std::vector<Run>& runs, const Bulletin& b, const std::string& sec,
                      std::set<int>& used, bool marks) {
  std::string s;
  for (size_t i = 0; i < runs.size(); ++i) {
    const Run& r = runs[i];
    if (r.query == 0) {
      s += escape_xml(r.text);
      continue;
    }
    used.insert(r.query);
    s += fmt::format("<a class=\"fig\" href=\"#{}-q{}\" title=\"{}\">{}</a>", sec, r.query,
                     escape_xml(b.queries[static_cast<size_t>(r.query - 1)].command_line()),
                     escape_xml(r.text));
    int next = 0;
    for (size_t k = i + 1; k < runs.size() && next == 0; ++k) next = runs[k].query;
    if (marks && next != r.query) s += fn_mark(sec, r.query);
  }
  return s;
}

}  // namespace

std::string render_html(const Bulletin& b, const RenderOptions& options) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
                  escape_xml(b.title) + "</title>\n<style>" + stylesheet() + "</style>\n</head>\n<body>\n";
  h += "<h1>" + escape_xml(b.title) + "</h1>\n<div class=\"subtitle\">" + escape_xml(b.subtitle);
  if (!options.generated.empty()) h += " · " + escape_xml(options.generated);
  h += "</div>\n";
  for (size_t si = 0; si < b.sections.size(); ++si) {
    const Section& sec = b.sections[si];
    std::set<int> used;
    h += fmt::format("<section id=\"{}\">\n<h2>{}、{}</h2>\n", sec.id, si < 10 ? kNumerals[si] : "",
                     escape_xml(sec.title));
    for (const Block& block : sec.blocks) {
      if (const auto* p = std::get_if<Paragraph>(&block)) {
        h += "<p>" + runs_html(*p, b, sec.id, used, true) + "</p>\n";
      } else if (const auto* t = std::get_if<Table>(&block)) {
        std::set<int> table_queries;
        std::string body;
        for (const auto& row : t->rows) {
          body += "<tr>";
          for (const Run& cell : row) {
            body += "<td>" + runs_html({cell}, b, sec.id, table_queries, false) + "</td>";
          }
          body += "</tr>\n";
        }
        used.insert(table_queries.begin(), table_queries.end());
        h += "<table>\n<caption>" + escape_xml(t->caption);
        for (int q : table_queries) h += fn_mark(sec.id, q);
        h += "</caption>\n<tr>";
        for (const std::string& c : t->header) h += "<th>" + escape_xml(c) + "</th>";
        h += "</tr>\n" + body + "</table>\n";
      } else if (const auto* c = std::get_if<Chart>(&block)) {
        used.insert(c->query);
        h += "<figure>\n" + c->svg + "\n<figcaption>" + escape_xml(c->caption) + fn_mark(sec.id, c->query) +
             "</figcaption>\n</figure>\n";
      }
    }
    if (!used.empty()) {
      h += "<div class=\"notes\">数据来源：\n";
      for (int q : used) {
        h += fmt::format("<div id=\"{0}-q{1}\">[{1}] <code>{2}</code></div>\n", sec.id, q,
                         escape_xml(b.queries[static_cast<size_t>(q - 1)].command_line()));
      }
      h += "</div>\n";
    }
    h += "</section>\n";
  }
  if (!options.store.empty()) {
    h += "<div class=\"notes\">以上查询命令均在数据库 <code>" + escape_xml(options.store) +
         "</code> 上运行（<code>ecomon --db " + escape_xml(options.store) + " ...</code>）。</div>\n";
  }
  return h + "</body>\n</html>\n";
}

nlohmann::json bulletin_json(const Bulletin& b) {
  using nlohmann::json;
  auto runs = [](const std::vector<Run>& rs) {
    json a = json::array();
    for (const Run& r : rs)
      a.push_back(r.query ? json{{"figure", r.text}, {"query", r.query}} : json{{"text", r.text}});
    return a;
  };
  json sections = json::array();
  for (const Section& s : b.sections) {
    json blocks = json::array();
    for (const Block& block : s.blocks) {
      if (const auto* p = std::get_if<Paragraph>(&block)) {
        blocks.push_back({{"paragraph", plain_text(*p)}, {"runs", runs(*p)}});
      } else if (const auto* t = std::get_if<Table>(&block)) {
        json rows = json::array();
        for (const auto& row : t->rows) rows.push_back(runs(row));
        blocks.push_back({{"table", t->caption}, {"header", t->header}, {"rows", rows}});
      } else if (const auto* c = std::get_if<Chart>(&block)) {
        blocks.push_back({{"chart", c->caption}, {"query", c->query}});
      }
    }
    sections.push_back({{"id", s.id}, {"title", s.title}, {"blocks", blocks}});
  }
  json queries = json::array();
  for (size_t i = 0; i < b.queries.size(); ++i) {
    queries.push_back({{"id", i + 1}, {"command", b.queries[i].command_line()}, {"args", b.queries[i].args}});
  }
  return {{"title", b.title},     {"city", b.city},     {"year", b.year},
          {"sections", sections}, {"queries", queries}, {"notes", b.notes}};
}

}  // namespace ecomon::report
