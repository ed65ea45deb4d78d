#include "ingest/hj212/codes.h"

#include <algorithm>
#include <array>
#include <cstddef>

namespace ecomon::hj212 {
namespace {

struct SystemTypeName {
  std::string_view code;
  std::string_view name;
};
struct CommandName {
  uint16_t code;
  std::string_view name;
};
struct DataFlagName {
  char flag;
  std::string_view name;
};
struct Code2005Index {
  std::string_view code_2005;
  size_t index;
};

#include "ingest/hj212/codes_table.inc"

constexpr bool sorted_by_code() {
  for (size_t i = 1; i < std::size(kPollutants); ++i) {
    if (!(kPollutants[i - 1].code < kPollutants[i].code)) return false;
  }
  for (size_t i = 1; i < std::size(kPollutantsBy2005Code); ++i) {
    if (!(kPollutantsBy2005Code[i - 1].code_2005 < kPollutantsBy2005Code[i].code_2005)) return false;
  }
  return true;
}
static_assert(sorted_by_code(), "codes_table.inc must be sorted for binary search");

constexpr size_t kSystemTypeLength = 2;
constexpr size_t kCommandCodes = 10000;  // CN is 4 decimal digits
constexpr size_t kDecimalPairs = 100;

// Bit n set: n is in Table 9 (kCommands). A 1.25 KB bitmap instead of a linear search per frame.
using CommandBits = std::array<uint64_t, (kCommandCodes + 63) / 64>;
constexpr CommandBits make_command_bits() {
  CommandBits b{};
  for (const CommandName& c : kCommands) {
    if (c.code < kCommandCodes) b[c.code / 64] |= uint64_t{1} << (c.code % 64);
  }
  return b;
}
constexpr CommandBits kCommandBits = make_command_bits();

// Entry n set: the two-digit system type with value n is in Table 5 (kSystemTypes).
using SystemTypeDigits = std::array<bool, kDecimalPairs>;
constexpr SystemTypeDigits make_system_type_digits() {
  SystemTypeDigits d{};
  for (const SystemTypeName& s : kSystemTypes) {
    if (s.code.size() == kSystemTypeLength && s.code[0] >= '0' && s.code[0] <= '9' && s.code[1] >= '0' &&
        s.code[1] <= '9') {
      d[static_cast<size_t>((s.code[0] - '0') * 10 + (s.code[1] - '0'))] = true;
    }
  }
  return d;
}
constexpr SystemTypeDigits kSystemTypeDigits = make_system_type_digits();

}  // namespace

const PollutantCode* find_pollutant(std::string_view code) {
  const auto* end = std::end(kPollutants);
  const auto* it = std::lower_bound(std::begin(kPollutants), end, code,
                                    [](const PollutantCode& p, std::string_view c) { return p.code < c; });
  if (it == end || it->code != code) return nullptr;
  return it;
}

const PollutantCode* find_pollutant_2005(std::string_view code_2005, std::optional<Medium> medium) {
  const auto* end = std::end(kPollutantsBy2005Code);
  const auto* it =
      std::lower_bound(std::begin(kPollutantsBy2005Code), end, code_2005,
                       [](const Code2005Index& e, std::string_view c) { return e.code_2005 < c; });
  if (it == end || it->code_2005 != code_2005) return nullptr;
  const PollutantCode* p = &kPollutants[it->index];
  if (medium.has_value() && p->medium != *medium) return nullptr;
  return p;
}

const PollutantCode* resolve_pollutant(std::string_view code, ProtocolVersion version, std::string_view st) {
  if (const PollutantCode* p = find_pollutant(code)) return p;
  if (version != ProtocolVersion::kHj212_2005) return nullptr;
  return find_pollutant_2005(code, medium_of_system_type(st));
}

std::span<const PollutantCode> all_pollutants() { return kPollutants; }

std::optional<Medium> medium_of_system_type(std::string_view st) {
  static constexpr std::string_view kWater[] = {"21", "24", "26", "32", "33", "34", "52"};
  static constexpr std::string_view kAir[] = {"22", "27", "31", "39", "51"};
  static constexpr std::string_view kNoise[] = {"23", "36"};
  if (std::find(std::begin(kWater), std::end(kWater), st) != std::end(kWater)) return Medium::kWater;
  if (std::find(std::begin(kAir), std::end(kAir), st) != std::end(kAir)) return Medium::kAir;
  if (std::find(std::begin(kNoise), std::end(kNoise), st) != std::end(kNoise)) return Medium::kNoise;
  return std::nullopt;
}

std::string_view system_type_name(std::string_view st) {
  for (const SystemTypeName& s : kSystemTypes) {
    if (s.code == st) return s.name;
  }
  return {};
}

bool is_standard_system_type(std::string_view st) {
  if (st.size() != kSystemTypeLength) return false;
  // Extension range A0..Z9 (扩充编码).
  if (st[0] >= 'A' && st[0] <= 'Z' && st[1] >= '0' && st[1] <= '9') return true;
  if (st[0] >= '0' && st[0] <= '9' && st[1] >= '0' && st[1] <= '9') {
    return kSystemTypeDigits[static_cast<size_t>((st[0] - '0') * 10 + (st[1] - '0'))];
  }
  return !system_type_name(st).empty();
}

std::string_view command_name(uint16_t cn) {
  for (const CommandName& c : kCommands) {
    if (c.code == cn) return c.name;
  }
  return {};
}

bool is_standard_command(uint16_t cn) {
  return cn < kCommandCodes && ((kCommandBits[cn / 64] >> (cn % 64)) & 1U) != 0;
}

bool is_2025_extension_command(uint16_t cn) {
  return std::any_of(std::begin(kCommands2025Extension), std::end(kCommands2025Extension),
                     [cn](const CommandName& c) { return c.code == cn; });
}

bool is_known_command(uint16_t cn, ProtocolVersion version) {
  return is_standard_command(cn) ||
         (version == ProtocolVersion::kHj212_2025 && is_2025_extension_command(cn));
}

std::string_view command_name(uint16_t cn, ProtocolVersion version) {
  if (std::string_view n = command_name(cn); !n.empty() || version != ProtocolVersion::kHj212_2025) return n;
  for (const CommandName& c : kCommands2025Extension) {
    if (c.code == cn) return c.name;
  }
  return {};
}

bool is_known_system_type(std::string_view st, ProtocolVersion version) {
  if (is_standard_system_type(st)) return true;
  // 44 用电监控: CONFIRMED-std (S1 test, S3). 45 关键生产工况监控: UNCONFIRMED (S3 only); accepted.
  return version == ProtocolVersion::kHj212_2025 && (st == "44" || st == "45");
}

std::string_view protocol_version_name(ProtocolVersion v) {
  switch (v) {
    case ProtocolVersion::kHj212_2005:
      return "2005";
    case ProtocolVersion::kHj212_2017:
      return "2017";
    case ProtocolVersion::kHj212_2025:
      return "2025";
    case ProtocolVersion::kOther:
      break;
  }
  return "other";
}

uint8_t flag_version_bits(ProtocolVersion v) {
  switch (v) {
    case ProtocolVersion::kHj212_2005:
      return 0;
    case ProtocolVersion::kHj212_2017:
      return 4;
    case ProtocolVersion::kHj212_2025:
      return 8;
    case ProtocolVersion::kOther:
      break;
  }
  return 0;
}

std::string_view data_flag_name(char flag) {
  for (const DataFlagName& f : kDataFlags) {
    if (f.flag == flag) return f.name;
  }
  return {};
}

}  // namespace ecomon::hj212
