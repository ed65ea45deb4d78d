// The HJ 212 code vocabulary: system types (ST, 系统编码), commands (CN, 命令编码), data flags (数据标记) and
// pollutant codes (污染物编码, HJ 212-2017 Appendix B) with their HJ/T 212-2005 原编码 and units.
//
// 2005 and 2017 pollutant codes map to one vocabulary: the 2017 code is the key, the 2005 code an alias.
//
//   const PollutantCode* so2 = find_pollutant("a21026");             // 二氧化硫, 毫克/立方米
//   const PollutantCode* cod = find_pollutant_2005("011", Medium::kWater);  // w01018 化学需氧量
//   const PollutantCode* p = resolve_pollutant("060", ProtocolVersion::kHj212_2005, "32");  // w21003 氨氮
//
// The tables are constexpr data compiled in (generated from spec/hj212_codes.csv by gen_codes.py); lookups
// are pure, thread-safe and allocation-free. Returned pointers point at static data and never dangle.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ecomon::hj212 {

// Protocol generation, from the version bits V5..V0 of Flag (bits 7..2), or as configured for a device.
// HJ 212-2025 (in force since 2026-01-01) is version bits 000010: Flag 8/9/10/11 (11_hj212_2025.md §1.3,
// CONFIRMED-std). k2005/k2017/k2025 are the short names of the same values.
enum class ProtocolVersion : uint8_t {
  kHj212_2005 = 0,  // HJ/T 212-2005 (version bits 000000, or no Flag at all)
  kHj212_2017 = 1,  // HJ 212-2017 (version bits 000001)
  kHj212_2025 = 2,  // HJ 212-2025 (version bits 000010)
  kOther = 3,       // any other version bits (3..63)
  k2005 = kHj212_2005,
  k2017 = kHj212_2017,
  k2025 = kHj212_2025,
};
// "2005", "2017", "2025", "other".
std::string_view protocol_version_name(ProtocolVersion v);
// The version bits of a Flag for this version (0, 4, 8); 0 for kOther.
uint8_t flag_version_bits(ProtocolVersion v);

enum class Medium : uint8_t { kWater, kAir, kNoise };

struct PollutantCode {
  std::string_view code;           // HJ 212-2017 code, e.g. "a21026"
  std::string_view code_2005;      // HJ/T 212-2005 原编码, e.g. "02"; empty when there is none
  std::string_view name;           // Chinese name, e.g. "二氧化硫"
  std::string_view unit;           // concentration unit (浓度单位) as the standard writes it
  std::string_view emission_unit;  // emission amount unit (排放量单位); empty when none
  std::string_view data_type;      // the standard's data type, e.g. "N5.2"
  Medium medium;
  bool in_appendix_b;  // false for codes platforms use beyond Appendix B (a05024 O3)
};

// Finds a pollutant by its HJ 212-2017 code (case-sensitive, as the standard says). nullptr when unknown.
const PollutantCode* find_pollutant(std::string_view code);
// Finds a pollutant by its HJ/T 212-2005 code; a medium, when given, must match.
const PollutantCode* find_pollutant_2005(std::string_view code_2005, std::optional<Medium> medium);
// The code as a frame uses it: 2017 codes first; 2005 codes when the frame is 2005-style, restricted to the
// medium its ST implies. nullptr for codes outside the vocabulary (vendor codes, SBxxx, i-codes...).
const PollutantCode* resolve_pollutant(std::string_view code, ProtocolVersion version, std::string_view st);
std::span<const PollutantCode> all_pollutants();

// The medium that a system type (ST) monitors, when it implies one.
std::optional<Medium> medium_of_system_type(std::string_view st);
// Chinese name of a system type (Table 5); empty when not in the table.
std::string_view system_type_name(std::string_view st);
// True for codes in Table 5 and for the extension range A0..Z9.
bool is_standard_system_type(std::string_view st);
// Chinese name of a command (Table 9); empty when not in HJ 212-2017.
std::string_view command_name(uint16_t cn);
bool is_standard_command(uint16_t cn);
// CN codes new in HJ 212-2025 (1001 1002 1014 2013 2052 2062 2111 3022 3024 9015; 11_hj212_2025.md §1.5).
bool is_2025_extension_command(uint16_t cn);
// A command the version defines: Table 9 for 2005/2017 (and kOther), Table 9 plus the 2025 codes for 2025.
bool is_known_command(uint16_t cn, ProtocolVersion version);
// Chinese name of a command in the version (command_name, then the 2025 codes for 2025); empty when unknown.
std::string_view command_name(uint16_t cn, ProtocolVersion version);
// is_standard_system_type, plus ST 44 用电监控 (CONFIRMED-std) and 45 关键生产工况监控 (UNCONFIRMED, S3 only)
// for 2025 (11_hj212_2025.md §1.4).
bool is_known_system_type(std::string_view st, ProtocolVersion version);
// Chinese meaning of a data flag (Table 8: N F M S D C T B); empty when not one of them.
std::string_view data_flag_name(char flag);

}  // namespace ecomon::hj212
