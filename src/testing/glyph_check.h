// Checking what a reader sees in a PDF, not only its text layer: every Roman numeral Ⅰ–Ⅻ (U+2160–U+216B) that
// the text layer places on a page must be drawn there. A font without the glyph (WenQuanYi Micro Hei has no
// Ⅴ) still writes the character into the text layer, so `pdftotext` finds it while the page shows a blank.
//
//   auto g = check_numeral_glyphs("bulletin.pdf", work_dir);   // needs poppler-utils (pdftotext, pdftoppm)
//   EXPECT_TRUE(g->blank.empty()) << g->blank.front();          // "page 2: 'Ⅴ' in '劣Ⅴ类' at 212,33 pt is
//   blank"
//
// How: `pdftotext -bbox` gives each word's box in points; a word whose characters are all full-width (CJK,
// and the numerals in CJK fonts) is split into equal cells, one per character; the page is rendered at 144
// dpi in grey (`pdftoppm -gray`, 2 pixels a point) and a numeral's cell must hold at least `min_dark_pixels`
// pixels darker than mid-grey. Words that mix in half-width characters are skipped (their cells cannot be
// told apart).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/status.h"

namespace ecomon::testing {

struct GlyphCheck {
  int checked = 0;                 // numerals whose cell was examined
  std::vector<std::string> found;  // the numerals examined, one entry per distinct character ("Ⅴ")
  std::vector<std::string> blank;  // one line per numeral drawn as nothing
};

StatusOr<GlyphCheck> check_numeral_glyphs(const std::filesystem::path& pdf,
                                          const std::filesystem::path& work_dir, int min_dark_pixels = 4);

}  // namespace ecomon::testing
