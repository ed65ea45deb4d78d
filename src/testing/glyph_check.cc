#include "testing/glyph_check.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>

#include "testing/run_command.h"

namespace ecomon::testing {
namespace fs = std::filesystem;

namespace {

constexpr int kDpi = 144;
constexpr double kPixelsPerPoint = kDpi / 72.0;
constexpr int kDark = 128;  // grey level below which a pixel counts as ink

struct Grey {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;
  int at(int x, int y) const { return pixels[static_cast<size_t>(y) * width + x]; }
};

// A binary PGM (P5, maxval 255) as pdftoppm -gray writes it.
StatusOr<Grey> read_pgm(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("no page image " + path.string());
  std::string magic;
  int maxval = 0;
  Grey g;
  in >> magic >> g.width >> g.height >> maxval;
  in.get();
  if (magic != "P5" || maxval != 255 || g.width <= 0 || g.height <= 0)
    return invalid_argument(path.string() + " is not an 8-bit binary PGM");
  g.pixels.resize(static_cast<size_t>(g.width) * g.height);
  in.read(reinterpret_cast<char*>(g.pixels.data()), static_cast<std::streamsize>(g.pixels.size()));
  if (!in) return invalid_argument(path.string() + " is cut short");
  return g;
}

// The UTF-8 characters of a word.
std::vector<std::string> characters(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<uint8_t>(s[i]);
    const size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// U+2160..U+216B: E2 85 A0 .. E2 85 AB.
bool is_roman_numeral(const std::string& c) {
  return c.size() == 3 && static_cast<uint8_t>(c[0]) == 0xE2 && static_cast<uint8_t>(c[1]) == 0x85 &&
         static_cast<uint8_t>(c[2]) >= 0xA0 && static_cast<uint8_t>(c[2]) <= 0xAB;
}

// The value of attribute `name` in one line of pdftotext's XHTML, or nullopt.
std::optional<double> attribute(const std::string& line, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const size_t p = line.find(key);
  if (p == std::string::npos) return std::nullopt;
  try {
    return std::stod(line.substr(p + key.size()));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The page number of a file pdftoppm wrote ("glyph-7.pgm", "glyph-07.pgm"), or 0.
int page_number(const std::string& name) {
  constexpr std::string_view kPrefix = "glyph-", kSuffix = ".pgm";
  if (name.size() <= kPrefix.size() + kSuffix.size() || name.compare(0, kPrefix.size(), kPrefix) != 0 ||
      name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0)
    return 0;
  const std::string digits = name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoi(digits);
}

std::string unescape_xml(std::string s) {
  const std::pair<const char*, const char*> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + 1))
      s.replace(p, strlen(from), to);
  }
  return s;
}

}  // namespace

StatusOr<GlyphCheck> check_numeral_glyphs(const fs::path& pdf, const fs::path& work_dir,
                                          int min_dark_pixels) {
  auto quote = [](const fs::path& p) { return "'" + p.string() + "'"; };
  CommandResult layout = run_command("pdftotext -bbox " + quote(pdf) + " -");
  if (layout.code != 0) return internal_error("pdftotext -bbox failed on " + pdf.string());
  fs::create_directories(work_dir);
  const fs::path prefix = work_dir / "glyph";
  CommandResult png =
      run_command("pdftoppm -r " + std::to_string(kDpi) + " -gray " + quote(pdf) + " " + quote(prefix), true);
  if (png.code != 0) return internal_error("pdftoppm failed: " + png.out);
  // pdftoppm numbers pages with as many digits as the last page needs: glyph-1.pgm or glyph-01.pgm.
  std::map<int, fs::path> pages;
  for (const auto& e : fs::directory_iterator(work_dir)) {
    if (const int n = page_number(e.path().filename().string())) pages[n] = e.path();
  }

  GlyphCheck result;
  std::istringstream lines(layout.out);
  int page = 0;
  std::optional<Grey> image;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("<page ") != std::string::npos) {
      ++page;
      image.reset();
      continue;
    }
    const size_t open = line.find("<word ");
    const size_t text = line.find('>', open);
    const size_t close = line.find("</word>", text);
    if (open == std::string::npos || text == std::string::npos || close == std::string::npos) continue;
    const auto x0 = attribute(line, "xMin"), y0 = attribute(line, "yMin"), x1 = attribute(line, "xMax"),
               y1 = attribute(line, "yMax");
    if (!x0 || !y0 || !x1 || !y1) continue;
    const std::string word = unescape_xml(line.substr(text + 1, close - text - 1));
    const std::vector<std::string> chars = characters(word);
    if (std::none_of(chars.begin(), chars.end(), is_roman_numeral)) continue;
    if (std::any_of(chars.begin(), chars.end(), [](const std::string& c) { return c.size() == 1; })) continue;
    if (!image) {
      auto it = pages.find(page);
      if (it == pages.end()) return not_found("no image of page " + std::to_string(page));
      auto g = read_pgm(it->second);
      if (!g.ok()) return g.status();
      image = std::move(*g);
    }
    const double cell = (*x1 - *x0) / static_cast<double>(chars.size());
    for (size_t i = 0; i < chars.size(); ++i) {
      if (!is_roman_numeral(chars[i])) continue;
      const int px0 = std::max(0, static_cast<int>((*x0 + cell * i) * kPixelsPerPoint) + 1);
      const int px1 = std::min(image->width, static_cast<int>((*x0 + cell * (i + 1)) * kPixelsPerPoint) - 1);
      const int py0 = std::max(0, static_cast<int>(*y0 * kPixelsPerPoint));
      const int py1 = std::min(image->height, static_cast<int>(*y1 * kPixelsPerPoint));
      int dark = 0;
      for (int y = py0; y < py1; ++y) {
        for (int x = px0; x < px1; ++x) dark += image->at(x, y) < kDark;
      }
      ++result.checked;
      if (std::find(result.found.begin(), result.found.end(), chars[i]) == result.found.end())
        result.found.push_back(chars[i]);
      if (dark < min_dark_pixels) {
        std::ostringstream s;
        s << "page " << page << ": '" << chars[i] << "' in '" << word << "' at "
          << static_cast<int>(*x0 + cell * i) << "," << static_cast<int>(*y0) << " pt is blank (" << dark
          << " dark pixels)";
        result.blank.push_back(s.str());
      }
    }
  }
  return result;
}

}  // namespace ecomon::testing
