// Delivering notifications (app::Deliver, app/notify.h) with libcurl: a webhook is an HTTP POST of the JSON
// (Content-Type: application/json; 2xx is delivered, anything else or no answer is a failure), an e-mail goes
// by SMTP to the configured relay (smtp://host:port, MAIL FROM the configured sender, a UTF-8 text/plain
// message with an RFC 2047 subject). Every delivery of a round runs at once on one curl multi handle, each
// bounded by `timeout_ms` (connecting by `connect_timeout_ms`): a receiver that hangs costs its own
// delivery that long and nothing more.
//
//   notify::CurlOptions o{.smtp_url = "smtp://127.0.0.1:25", .mail_from = "ecomon@bureau.example"};
//   app::Deliver deliver = notify::curl_deliver(o);
#pragma once

#include <cstdint>
#include <string>

#include "app/notify.h"

namespace ecomon::notify {

struct CurlOptions {
  int64_t timeout_ms = 5000;          // a whole delivery, HTTP or SMTP
  int64_t connect_timeout_ms = 2000;  // its connection
  std::string smtp_url;               // the relay, smtp://host[:port]; "" = e-mail deliveries fail, saying so
  std::string mail_from = "ecomon@localhost";
};

app::Deliver curl_deliver(const CurlOptions& options);

}  // namespace ecomon::notify
