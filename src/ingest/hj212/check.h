// `ecomon hj212 check`: validates HJ 212 messages, one per line, and writes one JSON object per line.
//
// Lines may end with CR LF, LF, or nothing after the CRC (as in data/hj212/messages.csv's message column).
// Blank lines are skipped. For each other line:
//   {"line":N,"ok":true|false,"error":null|{"what":..,"offset":..,"field":..,"detail":..},
//    "deviations":[{"kind":..,"offset":..,"field":..}],
//    "header":{"QN":..,"ST":..,"CN":..,"PW":..,"MN":..,"Flag":..,"PNUM":..,"PNO":..[,"RF":1],"version":..
//              [,"encrypted":"binary"|"hex_list"]},
//    "cp":[{"key":"a21026-Rtd","code":"a21026","field":"Rtd","value":"12.3","name":"二氧化硫","unit":".."}],
//    "data_time":"2019-10-12T13:37:10"|null}
// Offsets are bytes from the start of the line ("##" = 0). When a line fails, "header" and "cp" are shown
// when its data segment can still be read (lenient reading, for diagnosis only) and are otherwise null.
//
//   std::ifstream f("messages.txt");
//   return ecomon::hj212::run_hj212_check(f, std::cout, ecomon::hj212::Policy::strict());
//
// The JSON is written by hand (no dependency). Thread-safe as long as the streams are not shared.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

#include "ingest/hj212/codec.h"

namespace ecomon::hj212 {

// The version is the one the line was checked as ("HJ212-2025" for Flag 8-11, or CheckOptions::version). "RF"
// (HJ 212-2025 re-send flag) and "encrypted" appear only when present, so 2017 output is unchanged.
// Encrypted lines: form B ("{0x..}" text) is line-safe; form A (binary ciphertext) may contain CR/LF and only
// survives this line-oriented reading when it does not.
struct CheckOptions {
  Policy policy = Policy::strict();
  std::optional<ProtocolVersion> version;  // nullopt: from the Flag bits
  std::span<const CpKey> keys;             // SM4 keys for encrypted 2025 CP areas (caller-owned)
};

// Returns the process exit code: 0 when every line is a valid message under policy, 1 otherwise.
int run_hj212_check(std::istream& in, std::ostream& out, const Policy& policy);
int run_hj212_check(std::istream& in, std::ostream& out, const CheckOptions& options);

// The JSON object for one line (without a trailing newline); *ok tells the verdict.
std::string check_line_json(std::string_view line, size_t line_number, const Policy& policy, bool* ok);
std::string check_line_json(std::string_view line, size_t line_number, const CheckOptions& options, bool* ok);

// Appends s as a JSON string literal (quotes included); invalid UTF-8 bytes become U+FFFD.
void append_json_string(std::string* out, std::string_view s);

}  // namespace ecomon::hj212
