// Exports: flattening, the columns' names and units, CSV with BOM, file names (export.h).
#include "server/export.h"

#include <gtest/gtest.h>

namespace ecomon::server {
namespace {

using nlohmann::json;

TEST(Export, FlattensNestedValuesToOneColumnPerLeaf) {
  // Items with different nested keys: the union of the columns in order of first appearance; a missing cell
  // is null; arrays of scalars are one cell; arrays of objects a column per element and key, the element
  // named by its "item" when each has another, else by its index.
  const json items = json::parse(R"([
    {"date": "2025-01-01", "concentrations": {"PM2.5": 97, "CO": 1.9}, "primary": ["PM2.5", "PM10"]},
    {"date": "2025-01-02", "concentrations": {"PM2.5": 40}, "items": [{"item": "pH", "class": "Ⅰ"}], "x": {}},
    {"date": "2025-01-03", "list": [{"a": 1}, {"a": 2}], "items": [{"item": "DO"}, {"item": "DO"}]}
  ])");
  const FlatTable t = flatten_items(items);
  EXPECT_EQ(t.columns, (std::vector<std::string>{"concentrations.CO", "concentrations.PM2.5", "date",
                                                 "primary", "items.pH.class", "x", "items.0.item",
                                                 "items.1.item", "list.0.a", "list.1.a"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0][3], "PM2.5、PM10");
  EXPECT_TRUE(t.rows[1][0].is_null());  // no CO on the 2nd
  EXPECT_EQ(t.rows[1][4], "Ⅰ");
  EXPECT_TRUE(t.rows[1][5].is_null());  // an empty object is one empty cell
  EXPECT_EQ(t.rows[2][6], "DO");        // the same name twice: by index
  EXPECT_EQ(t.rows[2][9], 2);
}

TEST(Export, ColumnNamesCarryTheStandardsUnits) {
  EXPECT_EQ(column_label("concentrations.PM2.5", "zh"), "浓度 PM2.5(µg/m³)");
  EXPECT_EQ(column_label("concentrations.CO", "en"), "Concentration CO (mg/m³)");
  EXPECT_EQ(column_label("PM2.5_limit", "zh"), "PM2.5限值(µg/m³)");
  EXPECT_EQ(column_label("iaqi.PM2.5", "zh"), "分指数 PM2.5");
  EXPECT_EQ(column_label("emission_kg_d.NOx", "zh"), "排放量(kg/d) NOx");
  EXPECT_EQ(column_label("items.0.class", "zh"), "项目 1 水质类别");
  EXPECT_EQ(column_label("items.pH.class", "zh"), "项目 pH 水质类别");
  EXPECT_EQ(column_label("effective", "zh"), "有效传输率(%)");
  EXPECT_EQ(column_label("effective", "en"), "Effective transmission (%)");
  EXPECT_EQ(column_label("no_such_key", "zh"), "no_such_key");
}

TEST(Export, CsvHasABomAndQuotesWhatItMust) {
  FlatTable t{{"name", "ok", "n"},
              {{json("a,\"b\""), json(true), json(nullptr)}, {json("晋城"), json(false), json(2.5)}}};
  EXPECT_EQ(export_csv(t, ""), "\xEF\xBB\xBFname,ok,n\n\"a,\"\"b\"\"\",true,\n晋城,false,2.5\n");
  EXPECT_EQ(export_csv(t, "zh"), "\xEF\xBB\xBF名称,ok,n\n\"a,\"\"b\"\"\",是,\n晋城,否,2.5\n");
  EXPECT_EQ(export_csv(FlatTable{}, ""), "\xEF\xBB\xBF\n");  // no items: the BOM and an empty header line
}

TEST(Export, FileNamesAreSafe) {
  EXPECT_EQ(export_file_name("/api/emergency/roster", {"yellow", "", "2025-12-01 00:00"}, "csv"),
            "emergency-roster-yellow-2025-12-01_00_00.csv");
  EXPECT_EQ(export_file_name("/api/air/daily", {"演示市", "2025"}, "xlsx"), "air-daily-演示市-2025.xlsx");
  EXPECT_EQ(export_file_name("/api/x", {"../../etc/passwd"}, "csv"), "x-.._.._etc_passwd.csv");
  // Long names are cut at a character boundary: 40 CJK characters are 120 bytes.
  const std::string name = export_file_name("/api/x", {std::string(60 * 3, 'a')}, "csv");
  EXPECT_EQ(name.size(), 124u);
  EXPECT_EQ(content_disposition("air-daily-演示市.csv"),
            "attachment; filename=\"air-daily-___.csv\"; "
            "filename*=UTF-8''air-daily-%E6%BC%94%E7%A4%BA%E5%B8%82.csv");
}

TEST(Export, XlsxOfNoRowsIsStillAWorkbook) {
  auto x = export_xlsx(FlatTable{{"aqi"}, {}}, "zh", "daily");
  ASSERT_TRUE(x.ok()) << x.status().message();
  EXPECT_EQ(x->substr(0, 2), "PK");
}

}  // namespace
}  // namespace ecomon::server
