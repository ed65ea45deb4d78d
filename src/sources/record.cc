#include "sources/record.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace ecomon::sources {
namespace {

constexpr int64_t kHoursPerDay = 24;
constexpr int64_t kMinutesPerHour = 60;
constexpr int64_t kDigitsYear = 10000000000;  // yyyy * 10^10 in yyyymmddhhmmss
constexpr int64_t kDigitsMonth = 100000000;
constexpr int64_t kDigitsDay = 1000000;
constexpr int64_t kDigitsHour = 10000;
constexpr int64_t kDigitsMinute = 100;

constexpr char kFlagLetters[kDataFlagCount] = {'N', 'F', 'M', 'S', 'D', 'C', 'T', 'B', '?'};

bool valid_clock(int64_t h, int64_t m, int64_t s) {
  return h >= 0 && h < kHoursPerDay && m >= 0 && m < 60 && s >= 0 && s < 60;
}

bool parse_int(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

SourceTime SourceTime::of(CivilDay day, int hour, int minute, int second) {
  return SourceTime{int64_t{day.days_since_epoch()} * kSecondsPerDay + hour * kSecondsPerHour +
                    minute * kSecondsPerMinute + second};
}

StatusOr<SourceTime> SourceTime::from_digits(int64_t v) {
  const int64_t y = v / kDigitsYear, mo = v / kDigitsMonth % 100, d = v / kDigitsDay % 100;
  const int64_t h = v / kDigitsHour % 100, mi = v / kDigitsMinute % 100, s = v % 100;
  if (v < 0 || y > 9999 ||
      !CivilDay::is_valid_ymd(static_cast<int>(y), static_cast<int>(mo), static_cast<int>(d)) ||
      !valid_clock(h, mi, s)) {
    return invalid_argument("invalid time " + std::to_string(v) + " (expected yyyymmddhhmmss)");
  }
  return of(CivilDay::from_ymd(static_cast<int>(y), static_cast<int>(mo), static_cast<int>(d)),
            static_cast<int>(h), static_cast<int>(mi), static_cast<int>(s));
}

StatusOr<SourceTime> SourceTime::parse(std::string_view text) {
  auto bad = [&] {
    return invalid_argument("invalid time '" + std::string(text) + "' (expected YYYY-MM-DD hh:mm[:ss])");
  };
  constexpr size_t kDateLength = 10, kMinuteLength = 16, kSecondLength = 19;
  if (text.size() != kMinuteLength && text.size() != kSecondLength) return bad();
  if (text[kDateLength] != ' ' && text[kDateLength] != 'T') return bad();
  auto day = CivilDay::parse(text.substr(0, kDateLength));
  if (!day.ok()) return bad();
  int h = 0, m = 0, s = 0;
  if (text[13] != ':' || !parse_int(text.substr(11, 2), h) || !parse_int(text.substr(14, 2), m)) return bad();
  if (text.size() == kSecondLength && (text[16] != ':' || !parse_int(text.substr(17, 2), s))) return bad();
  if (!valid_clock(h, m, s)) return bad();
  return of(*day, h, m, s);
}

SourceTime SourceTime::from_timestamp(const hj212::Timestamp& t) {
  return of(CivilDay::from_ymd(t.year, t.month, t.day), t.hour, t.minute, t.second);
}

CivilDay SourceTime::day() const {
  const int64_t d =
      seconds >= 0 ? seconds / kSecondsPerDay : (seconds - (kSecondsPerDay - 1)) / kSecondsPerDay;
  return CivilDay::from_days(static_cast<int32_t>(d));
}

int64_t SourceTime::to_digits() const {
  const CivilDay d = day();
  const int64_t in_day = seconds - int64_t{d.days_since_epoch()} * kSecondsPerDay;
  return d.year() * kDigitsYear + d.month() * kDigitsMonth + d.day() * kDigitsDay +
         in_day / kSecondsPerHour * kDigitsHour +
         in_day / kSecondsPerMinute % kMinutesPerHour * kDigitsMinute + in_day % kSecondsPerMinute;
}

std::string SourceTime::to_string() const {
  const CivilDay d = day();
  const int64_t in_day = seconds - int64_t{d.days_since_epoch()} * kSecondsPerDay;
  char buf[16];
  std::snprintf(buf, sizeof buf, " %02d:%02d:%02d", static_cast<int>(in_day / kSecondsPerHour),
                static_cast<int>(in_day / kSecondsPerMinute % kMinutesPerHour),
                static_cast<int>(in_day % kSecondsPerMinute));
  return d.to_string() + buf;
}

uint16_t command_of(DataKind kind) {
  switch (kind) {
    case DataKind::kRealtime:
      return 2011;
    case DataKind::kMinute:
      return 2051;
    case DataKind::kHourly:
      return 2061;
    case DataKind::kDaily:
      return 2031;
  }
  return 0;
}

std::optional<DataKind> data_kind_of(uint16_t command) {
  for (int i = 0; i < kDataKindCount; ++i) {
    const auto k = static_cast<DataKind>(i);
    if (command_of(k) == command) return k;
  }
  return std::nullopt;
}

std::string_view data_kind_name(DataKind kind) {
  switch (kind) {
    case DataKind::kRealtime:
      return "realtime";
    case DataKind::kMinute:
      return "minute";
    case DataKind::kHourly:
      return "hourly";
    case DataKind::kDaily:
      return "daily";
  }
  return "?";
}

std::optional<DataKind> parse_data_kind(std::string_view name) {
  for (int i = 0; i < kDataKindCount; ++i) {
    const auto k = static_cast<DataKind>(i);
    if (name == data_kind_name(k) || name == std::to_string(command_of(k))) return k;
  }
  return std::nullopt;
}

char flag_letter(DataFlag flag) { return kFlagLetters[static_cast<int>(flag)]; }

DataFlag parse_data_flag(std::string_view s) {
  if (s.size() != 1) return DataFlag::kUnknown;
  for (int i = 0; i + 1 < kDataFlagCount; ++i) {
    if (kFlagLetters[i] == s[0]) return static_cast<DataFlag>(i);
  }
  return DataFlag::kUnknown;
}

StatusOr<FlagSet> FlagSet::parse(std::string_view letters) {
  FlagSet set;
  for (char c : letters) {
    const DataFlag f = parse_data_flag(std::string_view(&c, 1));
    if (f == DataFlag::kUnknown) {
      return invalid_argument(std::string("'") + c + "' is not an HJ 212 data flag (N F M S D C T B)");
    }
    set.insert(f);
  }
  return set;
}

std::string FlagSet::letters() const {
  std::string out;
  for (int i = 0; i + 1 < kDataFlagCount; ++i) {
    if (contains(static_cast<DataFlag>(i))) out += kFlagLetters[i];
  }
  return out;
}

const PollutantValue* MonitoringRecord::find(std::string_view code) const {
  for (const PollutantValue& v : values) {
    if (v.code == code) return &v;
  }
  return nullptr;
}

StatusOr<StandardCheckRecord> standard_check_of(const hj212::Message& m) {
  if (m.header.command != 2062) return invalid_argument("CN " + std::string(m.header.cn) + " is not a 2062");
  if (!m.data_time) return invalid_argument("2062 without DataTime");
  StandardCheckRecord r{.mn = std::string(m.header.mn),
                        .data_time = SourceTime::from_timestamp(*m.data_time)};
  for (const hj212::CpItem& item : m.cp) {
    if (item.code.empty()) continue;
    const hj212::PollutantCode* known = hj212::resolve_pollutant(item.code, m.header.version(), m.header.st);
    const std::string code = known ? std::string(known->code) : std::string(item.code);
    auto it = std::find_if(r.checks.begin(), r.checks.end(),
                           [&](const StandardCheck& c) { return c.code == code; });
    StandardCheck& c = it != r.checks.end() ? *it : r.checks.emplace_back(StandardCheck{.code = code});
    if (item.field == hj212::ItemField::kSampleRd) c.measured = item.number;
    if (item.field == hj212::ItemField::kStandardValue) c.nominal = item.number;
    if (item.field == hj212::ItemField::kResultType) {
      int v = 0;
      const auto [end, ec] = std::from_chars(item.value.data(), item.value.data() + item.value.size(), v);
      if (ec == std::errc() && end == item.value.data() + item.value.size()) c.result = v;
    }
  }
  return r;
}

StatusOr<FurnaceTemperatureRecord> furnace_temperature_of(const hj212::Message& m) {
  if (m.header.command != 2111) return invalid_argument("CN " + std::string(m.header.cn) + " is not a 2111");
  if (!m.data_time) return invalid_argument("2111 without DataTime");
  FurnaceTemperatureRecord r{.mn = std::string(m.header.mn),
                             .data_time = SourceTime::from_timestamp(*m.data_time)};
  for (const hj212::CpItem& item : m.cp) {
    if (item.code == "a01901" && item.field == hj212::ItemField::kAvg) r.mean = item.number;
  }
  return r;
}

StatusOr<MonitoringRecord> record_of(const hj212::Message& m) {
  const std::optional<DataKind> kind = data_kind_of(m.header.command);
  if (!kind) {
    return invalid_argument("CN " + std::string(m.header.cn) +
                            " carries no measurements (expected 2011, 2051, 2061 or 2031)");
  }
  if (!m.data_time) return invalid_argument("upload CN " + std::string(m.header.cn) + " has no DataTime");
  MonitoringRecord r;
  r.mn = std::string(m.header.mn);
  r.kind = *kind;
  r.data_time = SourceTime::from_timestamp(*m.data_time);
  const hj212::ProtocolVersion version = m.header.version();
  for (const hj212::CpItem& item : m.cp) {
    if (item.code.empty()) continue;
    const hj212::PollutantCode* known = hj212::resolve_pollutant(item.code, version, m.header.st);
    const std::string code = known ? std::string(known->code) : std::string(item.code);
    PollutantValue* v = nullptr;
    for (PollutantValue& existing : r.values) {
      if (existing.code == code) v = &existing;
    }
    auto slot = [&]() -> PollutantValue& {
      if (!v) {
        r.values.push_back(PollutantValue{.code = code});
        v = &r.values.back();
      }
      return *v;
    };
    switch (item.field) {
      case hj212::ItemField::kRtd:
        slot().rtd = item.number;
        break;
      case hj212::ItemField::kAvg:
        slot().avg = item.number;
        break;
      case hj212::ItemField::kZsRtd:
        slot().zs_rtd = item.number;
        break;
      case hj212::ItemField::kZsAvg:
        slot().zs_avg = item.number;
        break;
      case hj212::ItemField::kCou:
        slot().cou = item.number;
        break;
      case hj212::ItemField::kRawAvg:
        slot().raw_avg = item.number;
        break;
      case hj212::ItemField::kFlag:
        slot().flag = parse_data_flag(item.value);
        break;
      default:
        break;
    }
  }
  return r;
}

}  // namespace ecomon::sources
