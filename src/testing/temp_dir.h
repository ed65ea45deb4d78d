// A fresh directory under the system temp dir for one test, removed with everything in it when the object
// goes; and reading a whole file.
//
//   TempDir dir("import");
//   write_files(dir.path());
//   std::string text = read_all(dir.path() / "out.csv");
#pragma once

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

namespace ecomon::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view tag) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("ecomon_test_" + std::string(tag) + "_" + std::to_string(::getpid()) + "_" +
             std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace ecomon::testing
