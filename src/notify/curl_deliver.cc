#include "notify/curl_deliver.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>

namespace ecomon::notify {
namespace {

std::once_flag g_curl_init;

std::string base64(const std::string& in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) | static_cast<unsigned char>(in[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out += kAlphabet[(v >> k) & 63];
  }
  if (i < in.size()) {
    uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// The message as SMTP carries it: headers, a blank line, the text with CRLF line ends (libcurl doubles a
// line's leading '.' itself, RFC 5321 §4.5.2).
std::string mail_message(const CurlOptions& o, const app::Delivery& d) {
  char date[64];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  std::string m = std::string("Date: ") + date + "\r\nFrom: <" + o.mail_from + ">\r\nTo: <" + d.target +
                  ">\r\nSubject: =?UTF-8?B?" + base64(d.subject) +
                  "?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                  "Content-Transfer-Encoding: 8bit\r\n\r\n";
  std::string line;
  for (char c : d.text) {
    if (c == '\r') continue;
    if (c == '\n') {
      m += line + "\r\n";
      line.clear();
    } else {
      line += c;
    }
  }
  if (!line.empty()) m += line + "\r\n";
  return m;
}

struct Transfer {
  const app::Delivery* delivery = nullptr;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  curl_slist* rcpt = nullptr;
  std::string body;  // what is sent (the JSON, or the mail)
  size_t sent = 0;   // of body, for the SMTP read callback
  std::string answer;
  char error[CURL_ERROR_SIZE] = {0};
  std::chrono::steady_clock::time_point start;
  bool started = false;
  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    if (headers) curl_slist_free_all(headers);
    if (rcpt) curl_slist_free_all(rcpt);
  }
};

size_t read_body(char* buf, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t left = t->body.size() - t->sent;
  const size_t k = std::min(left, size * n);
  std::memcpy(buf, t->body.data() + t->sent, k);
  t->sent += k;
  return k;
}

size_t keep_answer(char* buf, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  constexpr size_t kKeep = 512;  // the start of what the receiver says is enough for the log
  if (t->answer.size() < kKeep) t->answer.append(buf, std::min(size * n, kKeep - t->answer.size()));
  return size * n;
}

// Sets up `t` for its delivery; "" when ready, else why it cannot be sent.
std::string prepare(const CurlOptions& o, Transfer& t) {
  const app::Delivery& d = *t.delivery;
  t.easy = curl_easy_init();
  if (!t.easy) return "curl_easy_init failed";
  CURL* e = t.easy;
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout_ms));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout_ms));
  curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
  if (d.channel == "webhook") {
    t.body = d.json;
    curl_easy_setopt(e, CURLOPT_URL, d.target.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    t.headers = curl_slist_append(t.headers, "Content-Type: application/json; charset=utf-8");
    t.headers = curl_slist_append(t.headers, "User-Agent: ecomon-notify");
    t.headers = curl_slist_append(t.headers, "Expect:");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, t.body.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(t.body.size()));
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, keep_answer);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    return "";
  }
  if (d.channel == "email") {
    if (o.smtp_url.empty()) return "no SMTP relay configured (--smtp smtp://HOST:PORT)";
    t.body = mail_message(o, d);
    curl_easy_setopt(e, CURLOPT_URL, o.smtp_url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(e, CURLOPT_MAIL_FROM, ("<" + o.mail_from + ">").c_str());
    t.rcpt = curl_slist_append(t.rcpt, ("<" + d.target + ">").c_str());
    curl_easy_setopt(e, CURLOPT_MAIL_RCPT, t.rcpt);
    curl_easy_setopt(e, CURLOPT_READFUNCTION, read_body);
    curl_easy_setopt(e, CURLOPT_READDATA, &t);
    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
    return "";
  }
  return "unknown channel '" + d.channel + "'";
}

app::DeliveryOutcome outcome_of(const CurlOptions& o, Transfer& t, CURLcode rc) {
  app::DeliveryOutcome out;
  out.took_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t.start)
          .count();
  long code = 0;
  curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &code);
  const bool http = t.delivery->channel == "webhook";
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    out.detail = "timeout after " + std::to_string(o.timeout_ms) + " ms";
  } else if (rc != CURLE_OK) {
    out.detail = std::string(t.error[0] ? t.error : curl_easy_strerror(rc));
    if (code > 0) out.detail = (http ? "HTTP " : "SMTP ") + std::to_string(code) + ": " + out.detail;
  } else if (http) {
    out.ok = code >= 200 && code < 300;
    out.detail = "HTTP " + std::to_string(code);
  } else {
    out.ok = true;
    out.detail = "SMTP " + std::to_string(code);
  }
  return out;
}

}  // namespace

app::Deliver curl_deliver(const CurlOptions& options) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return [options](const std::vector<app::Delivery>& list) {
    std::vector<app::DeliveryOutcome> out(list.size());
    std::vector<std::unique_ptr<Transfer>> transfers;
    CURLM* multi = curl_multi_init();
    if (!multi) {
      for (auto& o : out) o.detail = "curl_multi_init failed";
      return out;
    }
    for (size_t i = 0; i < list.size(); ++i) {
      auto t = std::make_unique<Transfer>();
      t->delivery = &list[i];
      t->start = std::chrono::steady_clock::now();
      if (std::string why = prepare(options, *t); !why.empty()) {
        out[i].detail = why;
      } else if (curl_multi_add_handle(multi, t->easy) == CURLM_OK) {
        t->started = true;
      } else {
        out[i].detail = "curl_multi_add_handle failed";
      }
      transfers.push_back(std::move(t));
    }
    int running = 0;
    do {
      if (curl_multi_perform(multi, &running) != CURLM_OK) break;
      if (running > 0) curl_multi_poll(multi, nullptr, 0, 200, nullptr);
      int left = 0;
      while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
        if (m->msg != CURLMSG_DONE) continue;
        Transfer* t = nullptr;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &t);
        const size_t i = static_cast<size_t>(t->delivery - list.data());
        out[i] = outcome_of(options, *t, m->data.result);
      }
    } while (running > 0);
    for (auto& t : transfers) {
      if (t->started) curl_multi_remove_handle(multi, t->easy);
    }
    curl_multi_cleanup(multi);
    return out;
  };
}

}  // namespace ecomon::notify
