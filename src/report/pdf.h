// Prints an HTML file to PDF with headless Chromium (the page has no script, so the output depends only on
// the HTML and the installed fonts). Runs the browser as a child process with its own throw-away profile,
// kills its process group after `timeout_seconds`, and checks that a PDF came out.
//
//   Status s = print_pdf("out/bulletin.html", "out/bulletin.pdf", {});
#pragma once

#include <filesystem>
#include <string>

#include "core/status.h"

namespace ecomon::report {

struct PdfOptions {
  std::string chromium;  // "" = $ECOMON_CHROMIUM, else /usr/bin/chromium
  int timeout_seconds = 180;
};

// The browser that print_pdf would run, or not_found naming where it looked.
StatusOr<std::string> find_chromium(const PdfOptions& options);

Status print_pdf(const std::filesystem::path& html, const std::filesystem::path& pdf,
                 const PdfOptions& options);

}  // namespace ecomon::report
