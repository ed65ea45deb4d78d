// File output shared by the demo writers (internal): whole-file writes and directory creation whose errors
// name the path, and fixed-decimal text of a double that is the same on every machine.
//
//   ECOMON_RETURN_IF_ERROR(internal::make_directory(out / "quality"));
//   ECOMON_RETURN_IF_ERROR(internal::write_file(out / "quality" / "wells.csv", text));
//   internal::fixed(0.1049, 3);  // "0.105"
//
// Thread safety: pure functions; concurrent writes to different paths are fine.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ecomon::demo::internal {

// Creates `path` (replacing an existing file) with exactly `content`. kPermissionDenied or kUnavailable with
// the path in the message when it cannot be created or written.
Status write_file(const std::filesystem::path& path, std::string_view content);
// Creates `dir` and its parents; kFailedPrecondition when it exists and is not a directory.
Status make_directory(const std::filesystem::path& dir);
// `x` rounded half away from zero to `decimals` (0..6) places, as plain decimal text ("0.105", "-2.0", "13").
// Uses one IEEE multiplication, floor and integer formatting only, so the text is identical on every machine.
std::string fixed(double x, int decimals);

}  // namespace ecomon::demo::internal
