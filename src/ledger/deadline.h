// Deadline phrases (完成时限) as the city's action plans print them, parsed into dates and a recurrence.
//
// The plans write deadlines in their own Chinese: "2021年4月底前" (by the end of April), "2021年10月1日起"
// (from 1 October on), "2021年5—9月" (May to September), "2021年4月上旬" (the first ten days of April),
// "长期坚持" (kept up without end), "每季度开展一次" (once a quarter). parse_deadline turns one phrase into a
// Deadline value; a phrase it does not understand is an error that quotes it, never a guess. A phrase without
// a year ("8月底前", "年底前", "全年") takes the plan's year, which the caller passes in.
//
// Pure: no clock, no I/O. The grammar is described in docs/ledger.md.
//
//   StatusOr<Deadline> d = parse_deadline("2021年4月底前", 2021);
//   d->kind == DeadlineKind::kDeadline && d->due == CivilDay::from_ymd(2021, 4, 30);
//   parse_deadline("8月底前", 2021)->due;                 // 2021-08-31 (year from the plan)
//   parse_deadline("每季度开展一次", 2021)->recurrence;   // {kQuarterly, times 1}
//   parse_deadline("赛前", 2021).status().message();      // "not understood: '赛前': ..."
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace ecomon {

// What a phrase asks for.
enum class DeadlineKind : uint8_t {
  kDeadline,  // done by `due` (…底前, …月底, …日前); `start` set only when the phrase names a window (上旬)
  kFromDate,   // in force from `start` on, no end (…起)
  kRange,      // carried out over [start, due] (2021年5—9月, 全年, 2021年)
  kOngoing,    // kept up without dates (长期坚持, 持续开展)
  kRecurring,  // repeated every period (每季度…一次, 按月, 每月初10日内)
};

enum class RecurrencePeriod : uint8_t { kNone, kDaily, kWeekly, kMonthly, kQuarterly, kYearly };

struct Recurrence {
  RecurrencePeriod period = RecurrencePeriod::kNone;
  int32_t times = 0;  // at least this many times per period (…一次 = 1); 0 when the phrase gives no count
  int32_t within_days =
      0;  // due within the first N days of each period (每月初10日内 = 10); 0: by period end
  bool operator==(const Recurrence&) const = default;
};

struct Deadline {
  DeadlineKind kind = DeadlineKind::kDeadline;
  std::optional<CivilDay> start;
  std::optional<CivilDay> due;
  Recurrence recurrence;
  // What must have happened by `due` when the phrase says it (完成主体工程, 投入运行, 完成土石方工程, 启动);
  // empty when the phrase is a bare date.
  std::string milestone;
  bool year_from_plan = false;  // the phrase printed no year; the plan's year was used
  bool operator==(const Deadline&) const = default;
};

// Parses one phrase. plan_year is the year of the plan the phrase belongs to (0: none, and then a phrase
// without a year is an error). Spaces, full-width digits and every dash form (- – — － ～ 至 到) are
// accepted.
StatusOr<Deadline> parse_deadline(std::string_view phrase, int32_t plan_year);

// "deadline", "from-date", "range", "ongoing", "recurring".
std::string_view deadline_kind_name(DeadlineKind kind);
// "none", "daily", "weekly", "monthly", "quarterly", "yearly".
std::string_view recurrence_period_name(RecurrencePeriod period);

// Whether a task with this deadline is overdue on `as_of` when not yet done: a kDeadline task the day after
// `due`, and a whole-period one (kRange: 2021年, 全年, 2021年5—9月) the day after its period. Recurring tasks
// are judged per period (see current_period).
bool is_overdue(const Deadline& deadline, CivilDay as_of);

// A recurrence written inside a task's text rather than in its deadline column
// ("…（每季度最少开展一次专项行动）", "每月向社会公开…一次"): the first fragment from
// 每日/每天/每周/每月/每季度/每年 to the next 次 (no punctuation in between) that parses as a recurring
// deadline; nullopt when there is none.
std::optional<Recurrence> recurrence_in_text(std::string_view text);

// The recurrence period that contains `day` (the quarter for kQuarterly, Monday-based week for kWeekly...),
// nullopt when the deadline does not recur.
std::optional<DayRange> current_period(const Deadline& deadline, CivilDay day);

}  // namespace ecomon
