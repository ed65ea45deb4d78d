// CSV fields and the UTF-8 check of a row, and the escaping of bad bytes in tables and CSV output.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/csv.h"
#include "core/text_table.h"

namespace ecomon {
namespace {

TEST(Csv, TheFirstCellThatIsNotUtf8IsNamedByTheHeaderOrItsNumber) {
  const std::vector<std::string> header = {"section", "river"};
  EXPECT_FALSE(find_non_utf8_cell({"赵庄", "丹河"}, header).has_value());
  // 丹 is E4 B8 B9: cut after two bytes, at byte 1 of the cell.
  auto cut = find_non_utf8_cell({"赵庄", "\xE4\xB8"}, header);
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(cut->index, 1u);
  EXPECT_EQ(cut->column, "river");
  EXPECT_EQ(cut->message, "byte 1 (0xE4) is not valid UTF-8");
  // Past the header, or without one: "column N" (1-based). The first bad cell is the one named.
  auto past = find_non_utf8_cell({"a", "b", "c\xFF", "\xFE"}, header);
  ASSERT_TRUE(past.has_value());
  EXPECT_EQ(past->column, "column 3");
  EXPECT_EQ(past->message, "byte 2 (0xFF) is not valid UTF-8");
  EXPECT_EQ(find_non_utf8_cell({"\xC0\xAF"})->column, "column 1");  // an overlong '/'
}

TEST(Csv, OutputEscapesBytesThatAreNotUtf8) {
  EXPECT_EQ(csv_field("ab\xE6\x99"), "ab\\xE6\\x99");
  EXPECT_EQ(csv_field("a,\xFF"), "\"a,\\xFF\"");
  EXPECT_EQ(csv_row({"中文", "x\xFE"}), "中文,x\\xFE\n");
}

TEST(TextTable, BadBytesAreShownAsHexAndTheColumnsStayAligned) {
  TextTable t({"断面", "n"});
  t.add(
      {"\xFF\xFE"
       "BAD",
       "1"});
  t.add({"赵庄", "22"});
  // Widths: \xFF\xFEBAD is 11 columns once escaped (断面 4, 赵庄 4), n 2; two spaces between; the numbers
  // right-aligned; the rule 11 + 2 + 2 = 15 wide.
  const std::string gap(9, ' ');  // 11 - 4 + 2
  EXPECT_EQ(t.render(), "断面" + gap + "n\n" + std::string(15, '-') + "\n" +
                            "\\xFF\\xFEBAD   1\n"
                            "赵庄" +
                            gap + "22\n");
}

}  // namespace
}  // namespace ecomon
