#include "demo/demo_io.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <system_error>

namespace ecomon::demo::internal {
namespace {

Status io_error(std::string_view what, const std::filesystem::path& path, int error) {
  const std::string message = std::string(what) + " '" + path.string() +
                              "': " + std::error_code(error, std::generic_category()).message();
  if (error == EACCES || error == EPERM || error == EROFS) return permission_denied(message);
  return {StatusCode::kUnavailable, message};
}

constexpr int kMaxFixedDecimals = 6;
constexpr double kPow10[kMaxFixedDecimals + 1] = {1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0, 1000000.0};

}  // namespace

Status write_file(const std::filesystem::path& path, std::string_view content) {
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  errno = 0;
  std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "wb"));
  if (!file) return io_error("cannot create file", path, errno);
  if (std::fwrite(content.data(), 1, content.size(), file.get()) != content.size()) {
    return io_error("cannot write file", path, errno);
  }
  std::FILE* raw = file.release();
  if (std::fclose(raw) != 0) return io_error("cannot write file", path, errno);
  return Status::ok_status();
}

Status make_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return io_error("cannot create output directory", dir, ec.value());
  if (!std::filesystem::is_directory(dir, ec)) {
    return failed_precondition("output path '" + dir.string() + "' exists and is not a directory");
  }
  return Status::ok_status();
}

std::string fixed(double x, int decimals) {
  if (decimals < 0) decimals = 0;
  if (decimals > kMaxFixedDecimals) decimals = kMaxFixedDecimals;
  const bool negative = x < 0;
  const double scaled = std::floor((negative ? -x : x) * kPow10[decimals] + 0.5);
  const auto units = static_cast<int64_t>(scaled);
  std::string digits = std::to_string(units);
  if (decimals > 0) {
    if (digits.size() <= static_cast<size_t>(decimals)) digits.insert(0, decimals + 1 - digits.size(), '0');
    digits.insert(digits.size() - decimals, 1, '.');
  }
  return (negative && units != 0 ? "-" : "") + digits;
}

}  // namespace ecomon::demo::internal
