#include "ledger/deadline.h"

#include <array>
#include <utility>

namespace ecomon {
namespace {

constexpr char32_t kRangeMark = U'—';  // every dash form is normalised to this
constexpr int32_t kMonthsPerYear = 12;
constexpr int32_t kMonthsPerQuarter = 3;
constexpr int32_t kDaysPerWeek = 7;
constexpr int32_t kTenDays = 10;  // one 旬
constexpr int32_t kYearDigits = 4;
constexpr int32_t kMaxSmallNumber = 99;  // months, days, counts
// 1970-01-01 was a Thursday: days_since_epoch + 3 is 0 on a Monday.
constexpr int32_t kEpochToMondayOffset = 3;

// Decodes UTF-8; invalid bytes become U+FFFD so that they fail the parse with the phrase quoted.
std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
    if (extra < 0 || i + static_cast<size_t>(extra) >= s.size()) {
      out.push_back(U'\uFFFD');
      ++i;
      continue;
    }
    char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    bool ok = true;
    for (int k = 1; k <= extra; ++k) {
      auto cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((cc >> 6) != 0x2) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    out.push_back(ok ? cp : U'\uFFFD');
    i += static_cast<size_t>(ok ? extra + 1 : 1);
  }
  return out;
}

std::string encode_utf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

bool is_space(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\u3000' || c == U'\u00A0';
}
bool is_dash(char32_t c) {
  return c == U'-' || c == U'\u2012' || c == U'\u2013' || c == U'\u2014' || c == U'\u2015' ||
         c == U'\uFF0D' || c == U'~' || c == U'\uFF5E' || c == U'至' || c == U'到';
}

// Drops spaces, maps full-width digits to ASCII and every dash form to kRangeMark.
std::u32string normalise(std::u32string_view in) {
  std::u32string out;
  for (char32_t c : in) {
    if (is_space(c)) continue;
    if (c >= U'０' && c <= U'９') c = U'0' + (c - U'０');
    if (is_dash(c)) c = kRangeMark;
    out.push_back(c);
  }
  return out;
}

int32_t cn_digit(char32_t c) {
  static constexpr std::array<char32_t, 10> kDigits = {U'〇', U'一', U'二', U'三', U'四',
                                                       U'五', U'六', U'七', U'八', U'九'};
  if (c == U'零') return 0;
  for (size_t i = 0; i < kDigits.size(); ++i) {
    if (kDigits[i] == c) return static_cast<int32_t>(i);
  }
  return -1;
}

class Cursor {
 public:
  explicit Cursor(std::u32string text) : s_(std::move(text)) {}
  bool done() const { return i_ >= s_.size(); }
  size_t pos() const { return i_; }
  void seek(size_t p) { i_ = p; }
  char32_t peek(size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : U'\0'; }
  std::u32string_view rest() const { return std::u32string_view(s_).substr(i_); }
  bool eat(std::u32string_view word) {
    if (rest().substr(0, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }
  // Arabic digits (1-2) or a Chinese number 一..九十九; nullopt (position unchanged) when none.
  std::optional<int32_t> small_number() {
    size_t start = i_;
    if (peek() >= U'0' && peek() <= U'9') {
      int32_t v = 0;
      while (!done() && peek() >= U'0' && peek() <= U'9' && v <= kMaxSmallNumber)
        v = v * 10 + static_cast<int32_t>(s_[i_++] - U'0');
      if (v > kMaxSmallNumber) {
        i_ = start;
        return std::nullopt;
      }
      return v;
    }
    // 十, 十二, 二十, 二十一, 三十一, 一..九
    int32_t tens = 0, units = 0;
    int32_t d = cn_digit(peek());
    if (d > 0 && peek(1) == U'十') {
      tens = d;
      i_ += 2;
    } else if (peek() == U'十') {
      tens = 1;
      ++i_;
    }
    int32_t u = cn_digit(peek());
    if (u > 0) {
      units = u;
      ++i_;
    }
    if (tens == 0 && units == 0) {
      i_ = start;
      return std::nullopt;
    }
    return tens * 10 + units;
  }
  // Four Arabic or Chinese digits followed by 年.
  std::optional<int32_t> year() {
    size_t start = i_;
    int32_t v = 0;
    for (int32_t k = 0; k < kYearDigits; ++k) {
      char32_t c = peek();
      int32_t d = (c >= U'0' && c <= U'9') ? static_cast<int32_t>(c - U'0') : cn_digit(c);
      if (d < 0) {
        i_ = start;
        return std::nullopt;
      }
      v = v * 10 + d;
      ++i_;
    }
    if (!eat(U"年")) {
      i_ = start;
      return std::nullopt;
    }
    return v;
  }

 private:
  std::u32string s_;
  size_t i_ = 0;
};

Status not_understood(std::string_view phrase, const std::string& why) {
  return invalid_argument("not understood: '" + std::string(phrase) + "': " + why);
}

// How precisely the dated part of a phrase names its days.
enum class Grain : uint8_t { kYear, kMonth, kTenDay, kDay, kEndOf };

struct Span {
  CivilDay first;
  CivilDay last;
  Grain grain = Grain::kYear;
  bool is_range = false;  // two ends joined by a dash
};

// Words that may follow a date and name what is due (完成时限 column of the water projects).
constexpr std::array<std::u32string_view, 9> kMilestones = {
    U"完成主体工程", U"完成土石方工程", U"投入运行", U"投运", U"完成", U"启动", U"建成", U"开工", U"销号"};
constexpr std::array<std::u32string_view, 4> kOngoing = {U"长期坚持", U"持续开展", U"长期", U"常态化"};

struct Parser {
  std::string_view phrase;
  int32_t plan_year;
  Cursor c;
  bool year_from_plan = false;

  StatusOr<Deadline> run() {
    if (c.done()) return not_understood(phrase, "empty phrase");
    for (std::u32string_view w : kOngoing) {
      if (c.rest() == w) {
        Deadline d;
        d.kind = DeadlineKind::kOngoing;
        return d;
      }
    }
    if (c.peek() == U'每' || c.peek() == U'按') return recurring();
    return dated();
  }

  Status fail(const std::string& why) const { return not_understood(phrase, why); }
  Status unexpected() const {
    return fail(c.done() ? "phrase ends too early" : "unexpected '" + encode_utf8(c.rest()) + "'");
  }

  StatusOr<int32_t> year_or_plan() {
    if (std::optional<int32_t> y = c.year()) return *y;
    if (plan_year <= 0) return fail("no year in the phrase and no plan year given");
    year_from_plan = true;
    return plan_year;
  }

  // One end of a date: [YYYY年] ( 全年 | 年底/年末 | 年内/年度内 | M月[份] [D日|上旬|中旬|下旬|底|末] |
  // nothing ). `year` is the year in force (plan year or the left end's year); a printed year replaces it.
  StatusOr<Span> point(int32_t year, bool year_printed) {
    if (c.eat(U"全年"))
      return Span{CivilDay::from_ymd(year, 1, 1), CivilDay::from_ymd(year, 12, 31), Grain::kYear};
    // After "YYYY年" the 年 is consumed; without a printed year the phrase may start with 年底/年末/年内.
    bool after_year = year_printed || c.eat(U"年");
    if (after_year && (c.eat(U"底") || c.eat(U"末"))) {
      CivilDay end = CivilDay::from_ymd(year, 12, 31);
      return Span{end, end, Grain::kEndOf};
    }
    if (after_year && (c.eat(U"内") || c.eat(U"度内"))) {
      return Span{CivilDay::from_ymd(year, 1, 1), CivilDay::from_ymd(year, 12, 31), Grain::kYear};
    }
    size_t before_month = c.pos();
    std::optional<int32_t> m = c.small_number();
    if (!m) {
      if (!year_printed) return unexpected();
      return Span{CivilDay::from_ymd(year, 1, 1), CivilDay::from_ymd(year, 12, 31), Grain::kYear};
    }
    // "5—9月": a month range sharing one 月.
    if (c.peek() == kRangeMark) {
      size_t save = c.pos();
      c.eat(std::u32string(1, kRangeMark));
      std::optional<int32_t> m2 = c.small_number();
      if (m2 && c.eat(U"月")) {
        c.eat(U"份");
        if (*m < 1 || *m > kMonthsPerYear || *m2 < 1 || *m2 > kMonthsPerYear)
          return fail("month out of range");
        if (*m2 < *m) return fail("month range runs backwards");
        return Span{CivilDay::from_ymd(year, *m, 1), CivilDay::from_ymd(year, *m2, days_in_month(year, *m2)),
                    Grain::kMonth, true};
      }
      c.seek(save);
    }
    if (!c.eat(U"月")) {
      c.seek(before_month);
      return unexpected();
    }
    c.eat(U"份");
    if (*m < 1 || *m > kMonthsPerYear) return fail("month " + std::to_string(*m) + " out of range");
    CivilDay first = CivilDay::from_ymd(year, *m, 1);
    CivilDay last = CivilDay::from_ymd(year, *m, days_in_month(year, *m));
    if (c.eat(U"底") || c.eat(U"末")) return Span{last, last, Grain::kEndOf};
    if (c.eat(U"上旬")) return Span{first, first + (kTenDays - 1), Grain::kTenDay};
    if (c.eat(U"中旬")) return Span{first + kTenDays, first + (2 * kTenDays - 1), Grain::kTenDay};
    if (c.eat(U"下旬")) return Span{first + 2 * kTenDays, last, Grain::kTenDay};
    size_t before_day = c.pos();
    if (std::optional<int32_t> d = c.small_number()) {
      if (c.eat(U"日") || c.eat(U"号")) {
        if (!CivilDay::is_valid_ymd(year, *m, *d)) {
          return fail("no such day " + std::to_string(year) + "-" + std::to_string(*m) + "-" +
                      std::to_string(*d));
        }
        CivilDay day = CivilDay::from_ymd(year, *m, *d);
        return Span{day, day, Grain::kDay};
      }
      c.seek(before_day);
      return unexpected();
    }
    return Span{first, last, Grain::kMonth};
  }

  StatusOr<Deadline> dated() {
    bool from_prefix = c.eat(U"自") || c.eat(U"从");
    size_t before_year = c.pos();
    StatusOr<int32_t> year = year_or_plan();
    if (!year.ok()) return year.status();
    bool year_printed = c.pos() != before_year;
    StatusOr<Span> left = point(*year, year_printed);
    if (!left.ok()) return left.status();
    Span span = *left;
    if (c.peek() == kRangeMark) {
      c.eat(std::u32string(1, kRangeMark));
      size_t before = c.pos();
      std::optional<int32_t> y2 = c.year();
      StatusOr<Span> right = point(y2 ? *y2 : span.first.year(), y2.has_value());
      if (!right.ok()) return right.status();
      if (c.pos() == before) return unexpected();
      if (right->last < span.first) return fail("range ends before it starts");
      span = Span{span.first, right->last, right->grain, true};
    }
    Deadline d;
    d.year_from_plan = year_from_plan;
    bool before = c.eat(U"以前") || c.eat(U"之前") || c.eat(U"前");
    bool from = !before && (c.eat(U"起") || c.eat(U"开始"));
    if (from_prefix && !from) return fail("自/从 without 起");
    std::u32string_view tail = c.rest();
    if (!tail.empty()) {
      bool known = false;
      for (std::u32string_view w : kMilestones) known = known || tail == w;
      if (!known) return unexpected();
      if (from) return fail("a start date cannot carry a milestone");
      d.milestone = encode_utf8(tail);
    }
    if (from) {
      if (span.grain == Grain::kEndOf) return fail("'底起' names no start");
      d.kind = DeadlineKind::kFromDate;
      d.start = span.first;
      return d;
    }
    d.due = span.last;
    if (span.grain == Grain::kTenDay && !span.is_range && !before) {
      d.kind = DeadlineKind::kDeadline;  // a 旬 is a window: done within it
      d.start = span.first;
      return d;
    }
    if (span.is_range && !before && d.milestone.empty()) {
      d.kind = DeadlineKind::kRange;
      d.start = span.first;
      return d;
    }
    if (before || span.grain == Grain::kEndOf || span.grain == Grain::kDay || !d.milestone.empty()) {
      d.kind = DeadlineKind::kDeadline;
      return d;
    }
    d.kind = DeadlineKind::kRange;
    d.start = span.first;
    return d;
  }

  // (每|按) period [初N日内 | N日前] [filler N次]
  StatusOr<Deadline> recurring() {
    if (!c.eat(U"每")) c.eat(U"按");
    Recurrence r;
    if (c.eat(U"季度") || c.eat(U"季")) {
      r.period = RecurrencePeriod::kQuarterly;
    } else if (c.eat(U"年度") || c.eat(U"年")) {
      r.period = RecurrencePeriod::kYearly;
    } else if (c.eat(U"月")) {
      r.period = RecurrencePeriod::kMonthly;
    } else if (c.eat(U"周") || c.eat(U"星期")) {
      r.period = RecurrencePeriod::kWeekly;
    } else if (c.eat(U"日") || c.eat(U"天")) {
      r.period = RecurrencePeriod::kDaily;
    } else {
      return unexpected();
    }
    bool leading = c.eat(U"初");
    size_t before = c.pos();
    if (std::optional<int32_t> n = c.small_number()) {
      if ((leading && c.eat(U"日内")) || (!leading && (c.eat(U"日前") || c.eat(U"日内")))) {
        if (r.period == RecurrencePeriod::kDaily || r.period == RecurrencePeriod::kWeekly || *n < 1) {
          return fail("a day limit needs a month, quarter or year");
        }
        r.within_days = *n;
      } else {
        c.seek(before);
      }
    } else if (leading) {
      return unexpected();
    }
    std::u32string_view tail = c.rest();
    if (!tail.empty()) {
      // Free activity text (开展, 最少开展, …) is allowed only before a count "N次" that ends the phrase.
      if (tail.back() != U'次') return unexpected();
      size_t count_at = tail.size() - 1;
      while (count_at > 0 && (cn_digit(tail[count_at - 1]) > 0 || tail[count_at - 1] == U'十' ||
                              (tail[count_at - 1] >= U'0' && tail[count_at - 1] <= U'9'))) {
        --count_at;
      }
      std::u32string_view filler = tail.substr(0, count_at);
      for (char32_t ch : filler) {
        if ((ch >= U'0' && ch <= U'9') || ch == U'年' || ch == U'月' || ch == U'日' || ch == kRangeMark)
          return unexpected();
      }
      c.seek(c.pos() + count_at);
      std::optional<int32_t> times = c.small_number();
      if (!times || !c.eat(U"次") || !c.done() || *times < 1) return unexpected();
      r.times = *times;
    }
    Deadline d;
    d.kind = DeadlineKind::kRecurring;
    d.recurrence = r;
    return d;
  }
};

}  // namespace

StatusOr<Deadline> parse_deadline(std::string_view phrase, int32_t plan_year) {
  Parser p{phrase, plan_year, Cursor(normalise(decode_utf8(phrase)))};
  return p.run();
}

std::string_view deadline_kind_name(DeadlineKind kind) {
  switch (kind) {
    case DeadlineKind::kDeadline:
      return "deadline";
    case DeadlineKind::kFromDate:
      return "from-date";
    case DeadlineKind::kRange:
      return "range";
    case DeadlineKind::kOngoing:
      return "ongoing";
    case DeadlineKind::kRecurring:
      return "recurring";
  }
  return "?";
}

std::string_view recurrence_period_name(RecurrencePeriod period) {
  switch (period) {
    case RecurrencePeriod::kNone:
      return "none";
    case RecurrencePeriod::kDaily:
      return "daily";
    case RecurrencePeriod::kWeekly:
      return "weekly";
    case RecurrencePeriod::kMonthly:
      return "monthly";
    case RecurrencePeriod::kQuarterly:
      return "quarterly";
    case RecurrencePeriod::kYearly:
      return "yearly";
  }
  return "?";
}

bool is_overdue(const Deadline& deadline, CivilDay as_of) {
  return (deadline.kind == DeadlineKind::kDeadline || deadline.kind == DeadlineKind::kRange) &&
         deadline.due && as_of > *deadline.due;
}

std::optional<Recurrence> recurrence_in_text(std::string_view text) {
  const std::string_view times = "次";
  for (std::string_view mark : {"每日", "每天", "每周", "每月", "每季度", "每年"}) {
    for (size_t at = text.find(mark); at != std::string_view::npos; at = text.find(mark, at + mark.size())) {
      const size_t end = text.find(times, at);
      if (end == std::string_view::npos) break;
      const std::string_view fragment = text.substr(at, end + times.size() - at);
      bool punctuated = false;
      for (std::string_view stop : {"，", "。", "；", "（", "）", "、", ",", ";"})
        punctuated = punctuated || fragment.find(stop) != std::string_view::npos;
      if (punctuated) continue;
      auto d = parse_deadline(fragment, 0);
      if (d.ok() && d->kind == DeadlineKind::kRecurring) return d->recurrence;
    }
  }
  return std::nullopt;
}

std::optional<DayRange> current_period(const Deadline& deadline, CivilDay day) {
  if (deadline.kind != DeadlineKind::kRecurring) return std::nullopt;
  switch (deadline.recurrence.period) {
    case RecurrencePeriod::kNone:
      return std::nullopt;
    case RecurrencePeriod::kDaily:
      return DayRange{day, day};
    case RecurrencePeriod::kWeekly: {
      int32_t since_monday = (day.days_since_epoch() + kEpochToMondayOffset) % kDaysPerWeek;
      if (since_monday < 0) since_monday += kDaysPerWeek;
      return DayRange{day - since_monday, day - since_monday + (kDaysPerWeek - 1)};
    }
    case RecurrencePeriod::kMonthly:
      return DayRange::month(day.year(), day.month());
    case RecurrencePeriod::kQuarterly:
      return DayRange::quarter(day.year(), (day.month() - 1) / kMonthsPerQuarter + 1);
    case RecurrencePeriod::kYearly:
      return DayRange::year(day.year());
  }
  return std::nullopt;
}

}  // namespace ecomon
