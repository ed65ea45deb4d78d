// The notifications' options shared by `ecomon notify run` and `ecomon serve` (cli/notify_commands.cc):
// the SMTP relay, the sender, the escalation time, a delivery's time limit and the attempts.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "app/notify.h"
#include "cli/commands.h"
#include "notify/curl_deliver.h"

namespace ecomon::cli {

struct NotifyCliOptions {
  std::string smtp;       // smtp://HOST:PORT; "" = $ECOMON_SMTP, else e-mail deliveries fail saying so
  std::string mail_from;  // "" = ecomon@localhost
  int64_t escalate_min = 30;
  double timeout_s = 5;
  int attempts = 5;
  void add_to(CLI::App* c);
  app::NotifyParams params() const;
  notify::CurlOptions curl() const;
};

void register_notify(CLI::App& app, GlobalOptions& global);

}  // namespace ecomon::cli
