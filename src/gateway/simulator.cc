#include "gateway/simulator.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <queue>
#include <thread>

#include "gateway/gateway.h"
#include "ingest/hj212/crc.h"
#include "ingest/hj212/encoder.h"

namespace ecomon {

namespace {

constexpr int64_t kBeijingOffsetMs = int64_t{8} * 3600 * 1000;
constexpr size_t kCrcDigits = 4;
constexpr size_t kTerminatorBytes = 2;
constexpr size_t kQnDigits = 17;
constexpr size_t kDataTimeDigits = 14;
constexpr size_t kReadBuffer = 64 * 1024;
constexpr int kMaxEvents = 512;
constexpr int kMaxWaitMs = 20;  // the loop looks at the stop flags at least this often

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
double mono_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Writes v as exactly `width` decimal digits (zero-padded, the high digits dropped).
void put_digits(char* at, uint64_t v, size_t width) {
  for (size_t i = width; i-- > 0; v /= 10) at[i] = static_cast<char>('0' + v % 10);
}

// yyyyMMddHHmmss[SSS] of a civil time as a number (what the frame's digits say).
int64_t digits_of(int64_t civil_ms, bool with_ms) {
  const hj212::Timestamp t = hj212::Timestamp::from_civil_ms(civil_ms);
  int64_t v = t.year;
  for (int part : {int{t.month}, int{t.day}, int{t.hour}, int{t.minute}, int{t.second}}) v = v * 100 + part;
  return with_ms ? v * 1000 + t.millisecond : v;
}

// The version of a --protocol year.
hj212::ProtocolVersion sim_version(int protocol) {
  return protocol == 2005   ? hj212::ProtocolVersion::k2005
         : protocol == 2025 ? hj212::ProtocolVersion::k2025
                            : hj212::ProtocolVersion::k2017;
}

// The Flag of an upload asking for an answer, in the device's version: 1 (2005), 5 (2017), 9 (2025).
uint8_t upload_flag(int protocol) {
  return static_cast<uint8_t>(hj212::flag_version_bits(sim_version(protocol)) | hj212::kFlagAnswerNeeded);
}

// One device's upload with everything fixed but QN, DataTime, the four values and the CRC, which are patched
// in place for each upload (the values keep a fixed width); with a key, the CP area is then encrypted in
// place.
struct UploadTemplate {
  std::string frame;
  size_t qn_at = 0, data_time_at = 0, so2_at = 0, nox_at = 0, dust_at = 0, flow_at = 0, cp_at = 0;
  bool dust = false;  // a TSP point's minute upload: the fourth slot is TSP

  static StatusOr<UploadTemplate> make(const std::string& mn, const std::string& password, int protocol,
                                       std::string_view st = "31") {
    // The four values' codes: emission analysers (SO2, NOx, particulate, flow), or a TSP point's.
    const bool dust = st == "39";  // TSP points: minute data, TSP in the fourth (5-digit) slot
    const std::array<const char*, 4> codes =
        dust ? std::array<const char*, 4>{"a34002", "a34004", "a01007", "a34001"}
             : std::array<const char*, 4>{"a21026", "a21002", "a34013", "a00000"};
    const char* field = dust ? "Avg" : "Rtd";
    hj212::HeaderFields h;
    h.qn = "20250101000000000";
    h.st = st;
    h.cn = dust ? "2051" : "2011";
    h.pw = password;
    h.mn = mn;
    h.flag = upload_flag(protocol);
    const std::vector<hj212::PollutantRecord> recs = {
        {codes[0], {{field, "20.0"}, {"Flag", "N"}}},                    // SO2 20.0 .. 49.9
        {codes[1], {{field, "40.0"}, {"Flag", "N"}}},                    // NOx 40.0 .. 89.9
        {codes[2], {{field, "10.0"}, {"Flag", "N"}}},                    // particulate 10.0 .. 19.9
        {codes[3], {{field, dust ? "00150" : "12000"}, {"Flag", "N"}}},  // flow 12000 .. 14999 / TSP
    };
    UploadTemplate t;
    t.dust = dust;
    auto frame = hj212::encode_upload(h, hj212::Timestamp{.year = 2025}, recs);
    if (!frame.ok()) return frame.status();  // a password the protocol cannot carry
    t.frame = std::move(*frame);
    const auto after = [&](std::string_view key) { return t.frame.find(key) + key.size(); };
    t.qn_at = after("QN=");
    t.data_time_at = after("DataTime=");
    t.so2_at = after(std::string(codes[0]) + "-" + field + "=");
    t.nox_at = after(std::string(codes[1]) + "-" + field + "=");
    t.dust_at = after(std::string(codes[2]) + "-" + field + "=");
    t.flow_at = after(std::string(codes[3]) + "-" + field + "=");
    t.cp_at = after("CP=&&");
    return t;
  }

  // The n-th upload of device `index` into *out (appended): its QN and DataTime digits given.
  void append(std::string* out, int64_t qn_digits, int64_t data_time_digits, uint64_t n, uint64_t index,
              const std::optional<hj212::CpKey>& key) const {
    const size_t base = out->size();
    out->append(frame);
    char* f = out->data() + base;
    put_digits(f + qn_at, static_cast<uint64_t>(qn_digits), kQnDigits);
    put_digits(f + data_time_at, static_cast<uint64_t>(data_time_digits), kDataTimeDigits);
    const auto tenths = [&](size_t at, uint64_t whole) {
      put_digits(f + at, whole, 2);
      f[at + 3] = static_cast<char>('0' + n % 10);
    };
    tenths(so2_at, 20 + (n * 7 + index) % 30);
    tenths(nox_at, 40 + (n * 11 + index) % 50);
    tenths(dust_at, 10 + (n * 3) % 10);
    if (dust) {
      put_digits(f + flow_at, 150 + (n * 37 + index * 53) % 600 + (index % 10 == 9 ? 700 : 0), 5);
    } else {
      put_digits(f + flow_at, 12000 + (n * 37) % 3000, 5);
    }
    const size_t crc_at = frame.size() - kTerminatorBytes - kCrcDigits;
    const std::string_view segment(f + hj212::kSegmentOffset, crc_at - hj212::kSegmentOffset);
    std::string hex = hj212::crc_hex(hj212::hj212_crc16(segment));
    std::memcpy(f + crc_at, hex.data(), kCrcDigits);
    if (key) {  // HJ 212-2025 §6.4: the whole 16-byte blocks of the CP area, after the CRC (of the plaintext)
      const size_t cp_size = crc_at - hj212::kCpMarker.size() - cp_at;
      const size_t whole = cp_size / hj212::kSm4BlockSize * hj212::kSm4BlockSize;
      hj212::sm4_ecb_blocks(*key, true, f + cp_at, whole, f + cp_at);
    }
  }
};

// Rewrites the CRC of the frame at the end of *bytes (from `at`) as a deviation asks.
void deviate(std::string* bytes, size_t at, const std::vector<std::string>& deviations, uint64_t n) {
  bool lower = std::find(deviations.begin(), deviations.end(), "lowercase-crc") != deviations.end();
  bool modbus = std::find(deviations.begin(), deviations.end(), "modbus-crc") != deviations.end();
  if (!lower && !modbus) return;
  if (n % 2 == 1) return;  // half of the frames stay conforming
  const size_t crc_at = bytes->size() - kTerminatorBytes - kCrcDigits;
  std::string_view segment(bytes->data() + at + hj212::kSegmentOffset, crc_at - at - hj212::kSegmentOffset);
  if (modbus) bytes->replace(crc_at, kCrcDigits, hj212::crc_hex(hj212::modbus_crc16_swapped(segment)));
  if (lower) {
    for (size_t i = crc_at; i < crc_at + kCrcDigits; ++i)
      (*bytes)[i] = static_cast<char>(std::tolower((*bytes)[i]));
  }
}

struct Sent {
  int64_t qn = 0;         // QN digits
  double at_ms = 0;       // monotonic send time
  int64_t data_time = 0;  // DataTime digits
  int cn = 2011;
};

constexpr int64_t kHourMs = 3600 * 1000;

// One upload of the simulator's at civil time `data_ms` (DataTime), asking for an answer in the device's
// version, encoded from its records and, with a key, its CP area SM4-encrypted.
StatusOr<std::string> encoded_upload(std::string_view st, std::string_view cn, const std::string& mn,
                                     const std::string& password, int64_t qn_digits, int64_t data_ms,
                                     int protocol, const std::vector<hj212::PollutantRecord>& recs,
                                     const std::optional<hj212::CpKey>& key) {
  const std::string qn = std::to_string(qn_digits);  // HeaderFields holds views
  hj212::HeaderFields h;
  h.qn = qn;
  h.st = st;
  h.cn = cn;
  h.pw = password;
  h.mn = mn;
  h.flag = upload_flag(protocol);
  auto frame = hj212::encode_upload(h, hj212::Timestamp::from_civil_ms(data_ms), recs);
  if (!frame.ok() || !key) return frame;
  return hj212::encrypt_frame(*frame, *key);
}

// The hourly upload (CN 2061) of device `index` for the hour starting at `hour_ms` (civil): SO2 20.0 .. 29.0
// (20 + index % 10), NOx 40, particulate 8, flow 13500, below the demo registry's limits (SO2 35, NOx 50,
// particulate 10 mg/m3 for its strictest outlets), except device 13 of every 16 with SO2 48.0: one exceeding
// device in the demo. ZsAvg = Avg (no O2 reference simulated).
StatusOr<std::string> hourly_upload(const std::string& mn, const std::string& password, int64_t qn_digits,
                                    int64_t hour_ms, int index, int protocol,
                                    const std::optional<hj212::CpKey>& key) {
  constexpr int kExceedingEvery = 16, kExceedingAt = 13;
  const int so2_whole = index % kExceedingEvery == kExceedingAt ? 48 : 20 + index % 10;
  const std::string so2 = std::to_string(so2_whole) + ".0", so2_min = std::to_string(so2_whole - 5) + ".0",
                    so2_max = std::to_string(so2_whole + 5) + ".0";
  const std::vector<hj212::PollutantRecord> recs = {
      {"a21026", {{"Avg", so2}, {"Min", so2_min}, {"Max", so2_max}, {"ZsAvg", so2}, {"Flag", "N"}}},
      {"a21002", {{"Avg", "40.0"}, {"Min", "30.0"}, {"Max", "48.0"}, {"ZsAvg", "40.0"}, {"Flag", "N"}}},
      {"a34013", {{"Avg", "8.0"}, {"Min", "5.0"}, {"Max", "9.5"}, {"ZsAvg", "8.0"}, {"Flag", "N"}}},
      {"a00000", {{"Avg", "13500"}, {"Min", "12000"}, {"Max", "14999"}, {"Flag", "N"}}},
  };
  return encoded_upload("31", "2061", mn, password, qn_digits, hour_ms, protocol, recs, key);
}

std::string kw_text(int64_t tenths) { return fmt::format("{}.{}", tenths / 10, tenths % 10); }

// A power module's real-time upload (ST 44, CN 2011) at `data_ms` (civil): its production line d20101 and its
// treatment line d30101 in kW (power_module_reading), each flagged N. Encoded for each upload (the values'
// widths vary: "0.3" for a line that is off, "412.7" for a kiln).
StatusOr<std::string> power_upload(const std::string& mn, const std::string& password, int64_t qn_digits,
                                   int64_t data_ms, int index, int protocol,
                                   const std::optional<hj212::CpKey>& key) {
  const PowerModuleReading r = power_module_reading(index, data_ms);
  const std::string production = kw_text(r.production_tenths), treatment = kw_text(r.treatment_tenths);
  const std::vector<hj212::PollutantRecord> recs = {
      // FieldValue holds views of the two texts
      {"d20101", {{"Rtd", production}, {"Flag", "N"}}},
      {"d30101", {{"Rtd", treatment}, {"Flag", "N"}}},
  };
  return encoded_upload("44", "2011", mn, password, qn_digits, data_ms, protocol, recs, key);
}

}  // namespace

bool power_module_faulty(int index) { return index % 12 == 0; }

PowerModuleReading power_module_reading(int index, int64_t civil_ms) {
  constexpr int64_t kDayMs = 24 * kHourMs;
  constexpr int64_t kMinuteMs = 60 * 1000;
  const int64_t minute_of_day = ((civil_ms % kDayMs + kDayMs) % kDayMs) / kMinuteMs;
  const int64_t hour = minute_of_day / 60, minute = minute_of_day % 60;
  const int64_t i = index < 0 ? -int64_t{index} : index;
  const bool night = hour >= 22 || hour < 6;
  PowerModuleReading r;
  if (night && i % 5 == 2) {  // a day-shift module: stopped, standby draw only
    r.production_tenths = 15;
    r.treatment_tenths = 5;
    return r;
  }
  const int64_t base_kw = 200 + (i * 37) % 300;
  const int64_t percent = hour >= 8 && hour < 20 ? 100 : night ? 50 : 75;
  r.production_tenths = base_kw * 10 * percent / 100 + (minute_of_day * 7 + i * 13) % 50;
  const bool outage = power_module_faulty(static_cast<int>(i)) &&
                      ((hour >= 11 && hour < 13) ||
                       (hour >= 6 && hour <= 21 && minute >= 10 && minute < 30 && (hour + i / 12) % 3 == 0));
  r.treatment_tenths =
      outage ? (minute_of_day + i) % 5 : (40 + (i * 11) % 50) * 10 + (minute_of_day * 3 + i) % 10;
  return r;
}

std::string sim_station_mn(int i) {
  return fmt::format("A22{:021X}", static_cast<uint64_t>(static_cast<int64_t>(i)));
}

std::vector<std::pair<std::string, std::string>> station_hourly_values(int index, int hour, bool micro) {
  // µg/m³ before the unit conversion: PM2.5 25..54 over the day (evening peak), PM10 1.6 times it; micro
  // stations +12..44 µg/m³ of PM2.5.
  const int diurnal = (hour >= 17 ? hour - 17 : hour + 7) % 24;  // 0 at 17:00, growing through the night
  const int pm25 = 25 + (diurnal * 5 + index * 3) % 30 + (micro ? 12 + (index % 5) * 8 : 0);
  const int pm10 = pm25 * 8 / 5;
  const int so2 = 6 + (hour + index) % 9;
  const int no2 = 18 + (hour * 3 + index) % 25;
  const int o3 = 30 + (hour >= 10 && hour <= 18 ? (hour - 9) * 12 : 0) + index % 7;
  const int co_tenths = 5 + (hour + index) % 6;
  const auto mg = [](int ug) { return fmt::format("{}.{:03d}", ug / 1000, ug % 1000); };
  return {{"a34004", std::to_string(pm25 * 1000)},
          {"a34002", std::to_string(pm10 * 1000)},
          {"a21026", mg(so2)},
          {"a21004", mg(no2)},
          {"a05024", mg(o3)},
          {"a21005", fmt::format("{}.{}", co_tenths / 10, co_tenths % 10)}};
}

std::string sim_water_mn(int i) {
  return fmt::format("W21{:021X}", static_cast<uint64_t>(static_cast<int64_t>(i)));
}

std::string sim_noise_mn(int i) {
  return fmt::format("N23{:021X}", static_cast<uint64_t>(static_cast<int64_t>(i)));
}

std::vector<std::pair<std::string, std::string>> water_hourly_values(int index, int hour) {
  const int h = hour, i = index;
  const int tenths_do = (h * 3 + i) % 30, tenths_codmn = (h + 2 * i) % 40;
  return {{"w01001", fmt::format("7.{}", 2 + (h + i) % 8)},
          {"w01009", fmt::format("{}.{}", 6 + tenths_do / 10, tenths_do % 10)},
          {"w01019", fmt::format("{}.{}", 2 + tenths_codmn / 10, tenths_codmn % 10)},
          {"w21003", fmt::format("0.{:03d}", 100 + (h * 37 + i * 11) % 800)},
          {"w21011", fmt::format("0.{:03d}", 50 + (h * 13 + i * 7) % 200)},
          {"w20120", fmt::format("{}.{}", 1 + (h + i) % 9, (h * 7) % 10)},
          {"w01010", fmt::format("{}.{}", 10 + i % 8, h % 10)}};
}

std::vector<std::pair<std::string, std::string>> noise_hourly_values(int index, int hour) {
  constexpr int kDayStart = 6, kNightStart = 22;  // GB 3096: 昼间 06:00–22:00
  const bool day = hour >= kDayStart && hour < kNightStart;
  const int whole = (day ? 52 : 40) + (hour + index) % 10, tenth = (hour * 3 + index) % 10;
  const auto level = [&](int offset) { return fmt::format("{}.{}", whole + offset, tenth); };
  return {{"Leq", level(0)},  {"L10", level(3)},  {"L50", level(-1)},
          {"L90", level(-5)}, {"LMx", level(15)}, {"LMn", level(-8)}};
}

namespace {

// The hourly upload (CN 2061) of a simulated quality station `index` for the hour starting at `hour_ms`: an
// air station (ST 22), a water station (21) or a noise station (23).
StatusOr<std::string> station_hourly_upload(const std::string& mn, const std::string& password,
                                            int64_t qn_digits, int64_t hour_ms, int index, bool micro,
                                            int protocol, const std::optional<hj212::CpKey>& key,
                                            std::string_view st = "22") {
  const hj212::Timestamp t = hj212::Timestamp::from_civil_ms(hour_ms);
  const auto values = st == "21"   ? water_hourly_values(index, t.hour)
                      : st == "23" ? noise_hourly_values(index, t.hour)
                                   : station_hourly_values(index, t.hour, micro);
  std::vector<hj212::PollutantRecord> recs;
  for (const auto& [code, v] : values) recs.push_back({code, {{"Avg", v}, {"Flag", "N"}}});
  return encoded_upload(st, "2061", mn, password, qn_digits, hour_ms, protocol, recs, key);
}

// A 9015 heartbeat asking for its 9013 (HJ 212-2025 C54: empty CP, the device's ST).
StatusOr<std::string> heartbeat_frame(const std::string& mn, const std::string& password, int64_t qn_digits) {
  const std::string qn = std::to_string(qn_digits);
  return hj212::encode_heartbeat(
      {.qn = qn,
       .st = "31",
       .pw = password,
       .mn = mn,
       .flag = static_cast<uint8_t>(hj212::kFlagVersion2025 | hj212::kFlagAnswerNeeded)});
}

struct Device {
  int index = 0;
  std::string mn;
  UploadTemplate upload;
  int fd = -1;
  bool connected = false;
  bool closed = false;
  std::string out;  // bytes the socket did not take yet
  std::string in;   // a partial answer frame
  std::deque<Sent> sent;
  uint64_t count = 0;
  int64_t next_data_ms = 0;
  int64_t next_hour_ms = 0;  // the next hour whose hourly upload is due once the data clock has passed it
  int64_t qn_ms = 0;
  // Settings downstream commands set (1062, 1064, 1012) and the "get" commands report.
  int64_t rtd_interval_s = 0;
  double interval_ms = 0;  // between real-time uploads: --interval, then what a 1062 set (like a device)
  int min_interval = 10;
  int64_t clock_offset_ms = 0;
  std::optional<hj212::CpKey> key;  // --encrypt: the session key (a 1014 from the host replaces it)
  bool unprovisioned = false;       // --unprovisioned: no MN yet (sends 1001 until a 1002 assigns one)
};

// Results shared by the threads.
struct Shared {
  std::mutex acked_mu;
  std::ofstream acked;
};

// One io thread: its devices, their connections and send schedule, all on one epoll set.
class SimThread {
 public:
  SimThread(const SimOptions& o, const sockaddr_storage& target, socklen_t target_len, Shared& shared,
            double end_ms)
      : o_(o), target_(target), target_len_(target_len), shared_(shared), end_ms_(end_ms) {
    epfd_ = epoll_create1(EPOLL_CLOEXEC);
    buffer_ = std::make_unique<char[]>(kReadBuffer);
    garbage_ = has("garbage");
    fragmented_ = has("fragmented");
    crc_deviation_ = has("lowercase-crc") || has("modbus-crc");
    if (o.encrypt) key_ = sim_key(o.key).value();  // run_simulator() checked it
    answer_flag_ = hj212::answer_flag(sim_version(o.protocol));
  }
  ~SimThread() {
    for (Device& d : devices_) {
      if (d.fd >= 0) close(d.fd);
    }
    if (epfd_ >= 0) close(epfd_);
  }

  // Uploads more frequent than one a second advance a device's data clock faster than real time (by at least
  // 1 s each, frames_per_write of them per tick): a long load run would send DataTimes the gateway refuses as
  // too far ahead (GatewayOptions::max_future_skew_s, 10 min). The clock then starts early enough to be at
  // most kMaxDataLeadMs ahead at the end of the run (a run without an end: its first hour).
  int64_t data_clock_start_back_ms() const {
    constexpr double kMaxDataLeadMs = 5 * 60 * 1000;
    constexpr double kOpenEndedRunS = 3600;
    const double interval_ms = std::max(o_.interval_s * 1000, 1.0);
    const double uploads_per_s = std::max(1, o_.frames_per_write) * 1000 / interval_ms;
    const double data_s_per_s = uploads_per_s * std::max(1.0, data_step_ms() / 1000);
    if (data_s_per_s <= 1) return 0;
    double run_s = o_.duration_s > 0 ? o_.duration_s : kOpenEndedRunS;
    if (o_.messages_per_device > 0) run_s = std::min(run_s, o_.messages_per_device / uploads_per_s);
    const double lead_ms = (data_s_per_s - 1) * run_s * 1000;
    return lead_ms > kMaxDataLeadMs ? static_cast<int64_t>(lead_ms - kMaxDataLeadMs) : 0;
  }

  // How far the DataTime advances from one upload to the next: --data-step, else the interval.
  double data_step_ms() const { return o_.data_step_s > 0 ? o_.data_step_s * 1000 : o_.interval_s * 1000; }

  void add_device(int index, double connect_at_ms) {
    Device d;
    d.index = index;
    d.unprovisioned = !o_.unprovisioned.empty();
    d.mn = d.unprovisioned ? std::string()
           : o_.stations   ? sim_station_mn(index)
           : o_.water      ? sim_water_mn(index)
           : o_.noise      ? sim_noise_mn(index)
                           : sim_mn(index);
    if (!d.unprovisioned) {
      d.upload = UploadTemplate::make(d.mn, o_.password, o_.protocol,
                                      o_.stations      ? "22"
                                      : o_.water       ? "21"
                                      : o_.noise       ? "23"
                                      : o_.electricity ? "44"
                                      : o_.dust        ? "39"
                                                       : "31")
                     .value();  // run_simulator() checked it
    }
    const int64_t base = o_.first_data_time_ms ? o_.first_data_time_ms
                                               : wall_ms() + kBeijingOffsetMs - data_clock_start_back_ms();
    d.next_data_ms = base - base % 1000;
    d.next_hour_ms = base - base % kHourMs - kHourMs;  // the hour before: sent with the first tick
    d.qn_ms = wall_ms() + kBeijingOffsetMs + index;    // distinct QNs across devices
    d.rtd_interval_s = static_cast<int64_t>(o_.interval_s);
    d.key = key_;
    d.interval_ms = o_.interval_s * 1000;
    devices_.push_back(std::move(d));
    schedule_.push({connect_at_ms, devices_.size() - 1, Due::kConnect});
  }

  // 1014 现场机获取新密钥 (C7): SKCreateTime = now, asking for a 9013; encrypted under the device's key (1014
  // is on the standard's list of encrypted commands).
  void request_key(Device& d, size_t slot) {
    const std::string qn = std::to_string(digits_of(d.qn_ms++, true));
    const hj212::HeaderFields h{
        .qn = qn, .st = "31", .cn = "1014", .pw = o_.password, .mn = d.mn, .flag = upload_flag(o_.protocol)};
    auto f = hj212::encode_frame(h, "SKCreateTime=" + qn);
    if (f.ok() && d.key) f = hj212::encrypt_frame(*f, *d.key);
    if (!f.ok()) return;
    ++key_requests;
    write_bytes(d, slot, *f);
  }

  // 1001 上传数采仪硬件序号 (C2) of a logger without an MN: its 数采仪ID and made-up CPU ID and MACs (the
  // note's F1 values), asking for a 9013.
  void announce(Device& d) {
    const std::string qn = std::to_string(digits_of(d.qn_ms++, true));
    const hj212::HeaderFields h{
        .qn = qn,
        .st = "31",
        .cn = "1001",
        .pw = o_.password,
        .mn = "",
        .flag = static_cast<uint8_t>(hj212::kFlagVersion2025 | hj212::kFlagAnswerNeeded)};
    auto f = hj212::encode_frame(
        h, "i23005-Info=" + o_.unprovisioned +
               ";i23006-Info=A800200A8C6D;i23007-Info=E86A643C7BBC;i23008-Info=A763742C1AE1");
    if (!f.ok()) return;
    ++hardware_notices;
    write_bytes(d, static_cast<size_t>(&d - devices_.data()), *f);
  }

  // A heartbeat of the device (9015, asking for a 9013).
  void beat(Device& d) {
    auto f = heartbeat_frame(d.mn, o_.password, digits_of(d.qn_ms++, true));
    if (!f.ok()) return;
    ++heartbeats;
    write_bytes(d, static_cast<size_t>(&d - devices_.data()), *f);
  }

  // Runs until *finish; sends until end_ms.
  void run(const std::atomic<bool>& finish, const std::atomic<bool>& stop_sending) {
    std::array<epoll_event, kMaxEvents> events{};
    while (!finish.load(std::memory_order_relaxed)) {
      double now = mono_ms();
      const bool sending = now < end_ms_ && !stop_sending.load(std::memory_order_relaxed);
      while (!schedule_.empty() && schedule_.top().at_ms <= now) {
        const Due due = schedule_.top();
        schedule_.pop();
        Device& d = devices_[due.device];
        if (due.what == Due::kConnect) {
          connect(d, due.device);
        } else if (due.what == Due::kAnnounce) {
          if (sending && !d.closed && d.unprovisioned) {
            announce(d);
            schedule_.push({due.at_ms + d.interval_ms, due.device, Due::kAnnounce});
          }
        } else if (due.what == Due::kHeartbeat) {
          if (sending && !d.closed && !done(d)) {
            beat(d);
            schedule_.push({due.at_ms + o_.heartbeat_s * 1000, due.device, Due::kHeartbeat});
          }
        } else if (sending && !d.closed && tick(d)) {
          schedule_.push({due.at_ms + d.interval_ms, due.device, Due::kSend});
        }
      }
      int timeout = kMaxWaitMs;
      if (!schedule_.empty()) {
        const double wait = schedule_.top().at_ms - now;
        timeout = wait <= 0 ? 0 : std::min(kMaxWaitMs, static_cast<int>(wait) + 1);
      }
      const int n = epoll_wait(epfd_, events.data(), kMaxEvents, timeout);
      for (int i = 0; i < n; ++i) {
        const epoll_event& ev = events[static_cast<size_t>(i)];
        Device& d = devices_[ev.data.u64];
        if (d.closed) continue;
        if (!d.connected) {
          on_connected(d, ev.data.u64);
          continue;
        }
        if (ev.events & EPOLLOUT) flush(d, ev.data.u64);
        if (!d.closed && (ev.events & (EPOLLIN | EPOLLERR | EPOLLHUP))) on_readable(d, ev.data.u64);
      }
      answered_total.store(realtime_done_, std::memory_order_relaxed);
    }
  }

  // Results (after run()).
  uint64_t connections = 0, connect_failures = 0, sent = 0, answered = 0, refused = 0, heartbeats = 0,
           notices_answered = 0, other_version = 0, keys_received = 0, key_requests = 0, hardware_notices = 0;
  std::string assigned_mn;
  // Real-time uploads answered or refused (hourly ones not: the caller counts messages_per_device), for the
  // caller's stop condition.
  std::atomic<uint64_t> answered_total{0};
  std::vector<double> latencies;
  uint64_t pending() const {
    uint64_t n = 0;
    for (const Device& d : devices_) n += d.sent.size();
    return n;
  }

 private:
  struct Due {
    enum What : uint8_t { kConnect, kSend, kHeartbeat, kAnnounce };
    double at_ms;
    size_t device;
    What what;
    bool operator>(const Due& o) const { return at_ms > o.at_ms; }
  };

  bool has(std::string_view deviation) const {
    return std::find(o_.deviations.begin(), o_.deviations.end(), deviation) != o_.deviations.end();
  }
  bool done(const Device& d) const {
    return o_.messages_per_device > 0 && d.count >= static_cast<uint64_t>(o_.messages_per_device);
  }

  void connect(Device& d, size_t slot) {
    d.fd = socket(target_.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (d.fd < 0 || (::connect(d.fd, reinterpret_cast<const sockaddr*>(&target_), target_len_) != 0 &&
                     errno != EINPROGRESS)) {
      ++connect_failures;
      d.closed = true;
      return;
    }
    epoll_event ev{.events = EPOLLOUT, .data = {.u64 = slot}};
    epoll_ctl(epfd_, EPOLL_CTL_ADD, d.fd, &ev);
  }

  void on_connected(Device& d, size_t slot) {
    int error = 0;
    socklen_t len = sizeof error;
    getsockopt(d.fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0) {
      ++connect_failures;
      close_device(d);
      return;
    }
    d.connected = true;
    ++connections;
    const int on = 1;
    setsockopt(d.fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    epoll_event ev{.events = EPOLLIN, .data = {.u64 = slot}};
    epoll_ctl(epfd_, EPOLL_CTL_MOD, d.fd, &ev);
    // The first uploads at once, then every interval; the first heartbeat after one period. A logger without
    // an MN announces itself instead until it has one.
    schedule_.push({mono_ms(), slot, d.unprovisioned ? Due::kAnnounce : Due::kSend});
    if (o_.heartbeat_s > 0) schedule_.push({mono_ms() + o_.heartbeat_s * 1000, slot, Due::kHeartbeat});
    if (o_.request_key) request_key(d, slot);
  }

  void close_device(Device& d) {
    if (d.fd >= 0) close(d.fd);
    d.fd = -1;
    d.closed = true;
  }

  // One tick: frames_per_write uploads in one TCP write (two when fragmenting). False when the device is
  // done.
  bool tick(Device& d) {
    if (done(d)) return false;
    batch_.clear();
    uint64_t frames = 0;
    const double now = mono_ms();
    const bool quality = o_.water || o_.noise;  // water and noise stations: hourly uploads only
    while ((o_.hourly || o_.stations || quality) && !o_.electricity && !o_.dust &&
           d.next_hour_ms + kHourMs <= d.next_data_ms) {
      const int64_t qn = digits_of(d.qn_ms++, true);
      auto f = o_.stations || quality
                   ? station_hourly_upload(d.mn, o_.password, qn, d.next_hour_ms, d.index,
                                           o_.micro_from >= 0 && d.index >= o_.micro_from, o_.protocol, d.key,
                                           o_.water   ? "21"
                                           : o_.noise ? "23"
                                                      : "22")
                   : hourly_upload(d.mn, o_.password, qn, d.next_hour_ms, d.index, o_.protocol, d.key);
      if (f.ok()) {  // run_simulator() checked the password
        batch_.append(*f);
        d.sent.push_back({qn, now, digits_of(d.next_hour_ms, false), 2061});
        ++frames;
      }
      d.next_hour_ms += kHourMs;
    }
    for (int k = 0; k < std::max(1, o_.frames_per_write) && !done(d); ++k) {
      const uint64_t n = d.count++;
      if (quality) {  // the clock moves on; a water or noise station sends no real-time upload
        d.next_data_ms += std::max<int64_t>(1000, static_cast<int64_t>(d.interval_ms));
        continue;
      }
      if (garbage_ && n % 3 == 0) batch_.append("\r\nGARBAGE#");
      const size_t at = batch_.size();
      const int64_t qn = digits_of(d.qn_ms++, true);
      const int64_t data_time = digits_of(d.next_data_ms, false);
      const int64_t data_ms = d.next_data_ms;
      d.next_data_ms += std::max<int64_t>(
          1000, static_cast<int64_t>(o_.data_step_s > 0 ? o_.data_step_s * 1000 : d.interval_ms));
      if (o_.electricity) {
        auto f = power_upload(d.mn, o_.password, qn, data_ms, d.index, o_.protocol, d.key);
        if (!f.ok()) continue;  // run_simulator() checked the password
        batch_.append(*f);
      } else {
        d.upload.append(&batch_, qn, data_time, n, static_cast<uint64_t>(d.index), d.key);
      }
      if (crc_deviation_) deviate(&batch_, at, o_.deviations, n);
      d.sent.push_back({qn, now, data_time});
      ++frames;
    }
    sent += frames;
    const size_t slot = static_cast<size_t>(&d - devices_.data());
    if (fragmented_ && batch_.size() > 10) {
      // Two TCP writes: the bytes split in the middle.
      write_bytes(d, slot, std::string_view(batch_).substr(0, batch_.size() / 2));
      write_bytes(d, slot, std::string_view(batch_).substr(batch_.size() / 2));
    } else {
      write_bytes(d, slot, batch_);
    }
    return !done(d);
  }

  void write_bytes(Device& d, size_t slot, std::string_view bytes) {
    if (d.closed) return;
    if (!d.out.empty()) {
      d.out.append(bytes);
      return;
    }
    const ssize_t n = send(d.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n == static_cast<ssize_t>(bytes.size())) return;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      close_device(d);
      return;
    }
    d.out.assign(bytes.substr(n < 0 ? 0 : static_cast<size_t>(n)));
    epoll_event ev{.events = EPOLLIN | EPOLLOUT, .data = {.u64 = slot}};
    epoll_ctl(epfd_, EPOLL_CTL_MOD, d.fd, &ev);
  }

  void flush(Device& d, size_t slot) {
    while (!d.out.empty()) {
      const ssize_t n = send(d.fd, d.out.data(), d.out.size(), MSG_NOSIGNAL);
      if (n > 0) {
        d.out.erase(0, static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      close_device(d);
      return;
    }
    epoll_event ev{.events = EPOLLIN, .data = {.u64 = slot}};
    epoll_ctl(epfd_, EPOLL_CTL_MOD, d.fd, &ev);
  }

  void on_readable(Device& d, size_t slot) {
    const ssize_t n = recv(d.fd, buffer_.get(), kReadBuffer, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      close_device(d);
      return;
    }
    if (n < 0) return;
    std::string_view data(buffer_.get(), static_cast<size_t>(n));
    if (!d.in.empty()) {
      d.in.append(data);
      data = d.in;
    }
    // Frames by their length field (a 1014 push is encrypted: its ciphertext may hold CR LF); a partial one
    // waits for the next read, bytes before a "##" are skipped.
    size_t used = 0;
    while (used < data.size()) {
      const size_t start = data.find("##", used);
      if (start == std::string_view::npos) {
        used = data.size() - (data.back() == '#' ? 1 : 0);
        break;
      }
      used = start;
      if (data.size() - used < hj212::kSegmentOffset) break;
      size_t length = 0;
      bool digits = true;
      for (size_t i = used + 2; i < used + hj212::kSegmentOffset; ++i) {
        digits = digits && data[i] >= '0' && data[i] <= '9';
        length = length * 10 + static_cast<size_t>(data[i] - '0');
      }
      if (!digits) {
        used += 2;
        continue;
      }
      const size_t size = length + hj212::kFrameOverhead;
      if (data.size() - used < size) break;
      const std::string_view frame = data.substr(used, size - kTerminatorBytes);
      used += size;
      if (!answer_command(d, slot, frame)) on_answer(d, frame);
    }
    if (d.in.empty()) {
      d.in.assign(data.substr(used));
    } else {
      d.in.erase(0, used);
    }
  }

  // A downstream command (a frame without its CR LF) answered as a field device does (HJ 212-2017 §4): 9011
  // (QnRtn 1, or 3 for a wrong password), for a "get" the data with the command's QN, then 9012 (ExeRtn 1).
  // Set values are kept (reported by the "get" commands); the upload schedule stays as started. False when
  // the frame is no command.
  bool answer_command(Device& d, size_t slot, std::string_view frame) {
    const size_t c = frame.find(";CN=");
    if (c == std::string_view::npos || c + 8 > frame.size()) return false;
    const std::string_view cn_text = frame.substr(c + 4, 4);
    static constexpr std::string_view kCommands[] = {"1002", "1011", "1012", "1014", "1061", "1062",
                                                     "1063", "1064", "3011", "3020", "3022", "3024"};
    if (std::find(std::begin(kCommands), std::end(kCommands), cn_text) == std::end(kCommands)) return false;
    const std::string whole = std::string(frame) + "\r\n";
    hj212::Message m;
    hj212::DecodeOptions decode{.policy = hj212::Policy::lenient()};
    if (d.key) decode.keys = std::span<const hj212::CpKey>(&*d.key, 1);
    if (!hj212::decode_frame(whole, decode, &m).ok()) return true;
    // 1002 设置数采仪MN编码 (C3) for this logger's 数采仪ID: the header MN is its MN from now on (S1 does
    // so), its answers carry it, and its uploads start.
    if (const auto id = m.find("i23005-Info"); m.header.command == hj212::kCnSetMn && d.unprovisioned && id &&
                                               id->value == o_.unprovisioned && m.header.pw == o_.password) {
      auto upload = UploadTemplate::make(std::string(m.header.mn), o_.password, o_.protocol);
      if (upload.ok()) {
        d.mn = std::string(m.header.mn);
        d.upload = std::move(*upload);
        d.unprovisioned = false;
        assigned_mn = d.mn;
        schedule_.push({mono_ms(), slot, Due::kSend});
      }
    }
    const hj212::Peer peer{o_.password, d.mn, answer_flag_};
    auto or_empty = [](StatusOr<std::string> f) { return f.ok() ? std::move(*f) : std::string(); };
    if (m.header.pw != o_.password) {
      write_bytes(d, slot,
                  or_empty(hj212::encode_request_answer(m.header.qn, peer, hj212::QnRtn::kPasswordError)));
      return true;
    }
    std::string out = or_empty(hj212::encode_request_answer(m.header.qn, peer, hj212::QnRtn::kReady));
    const int64_t now_civil = wall_ms() + kBeijingOffsetMs + d.clock_offset_ms;
    std::string data;  // the CP of the data answer, for the "get" commands
    const uint16_t cn = m.header.command;
    auto item = [&](std::string_view key) { return m.find(key); };
    if (cn == hj212::kCnGetTime) {
      data = "SystemTime=" + hj212::Timestamp::from_civil_ms(now_civil).to_digits14();
    } else if (cn == hj212::kCnGetRtdInterval) {
      data = "RtdInterval=" + std::to_string(d.rtd_interval_s);
    } else if (cn == hj212::kCnGetMinInterval) {
      data = "MinInterval=" + std::to_string(d.min_interval);
    } else if (cn == hj212::kCnDeviceInfo) {
      const auto pol = item("PolId");
      const auto info = item("InfoId");
      data = "DataTime=" + hj212::Timestamp::from_civil_ms(now_civil).to_digits14() +
             ";PolId=" + std::string(pol ? pol->value : "") + ";" + std::string(info ? info->value : "") +
             "-Info=ecomon-sim";
    } else if (const auto t = item("SystemTime"); cn == hj212::kCnSetTime && t && t->time) {
      d.clock_offset_ms = t->time->civil_ms() - (wall_ms() + kBeijingOffsetMs);
    } else if (const auto v = item("RtdInterval"); cn == hj212::kCnSetRtdInterval && v && v->number) {
      d.rtd_interval_s = v->number->to_milli() / 1000;
      if (d.rtd_interval_s > 0)
        d.interval_ms = static_cast<double>(d.rtd_interval_s) * 1000;  // from the next
    } else if (const auto n = item("MinInterval"); cn == hj212::kCnSetMinInterval && n && n->number) {
      d.min_interval = static_cast<int>(n->number->to_milli() / 1000);
    } else if (const auto k = item("NewSK"); cn == hj212::kCnNewKey && k) {
      // 1014 上位机下发新密钥: the device encrypts with the new key from its next frame on.
      if (auto key = hj212::CpKey::from_text(k->value)) {
        d.key = *key;
        ++keys_received;
      }
    }
    if (!data.empty()) {
      const std::string cn_digits(m.header.cn);
      hj212::HeaderFields h{.qn = m.header.qn,
                            .st = "31",
                            .cn = cn_digits,
                            .pw = o_.password,
                            .mn = d.mn,
                            .flag = answer_flag_};
      out += or_empty(hj212::encode_frame(h, data));
    }
    out += or_empty(hj212::encode_execution_result(m.header.qn, peer, hj212::ExeRtn::kSuccess));
    write_bytes(d, slot, out);
    return true;
  }

  // One answer frame (without its CR LF): 9014 or 9011 to one of our QNs (its CRC is not checked: the
  // simulator measures, it does not judge the gateway).
  void on_answer(Device& d, std::string_view frame) {
    const size_t q = frame.find("QN=");
    const size_t c = frame.find(";CN=");
    if (q == std::string_view::npos || c == std::string_view::npos || q + 3 + kQnDigits > frame.size() ||
        c + 8 > frame.size())
      return;
    // In the device's version: Flag = its version bits (none for 2005).
    const size_t flag_at = frame.find(";Flag=");
    const size_t flag_end = flag_at == std::string_view::npos ? flag_at : frame.find(';', flag_at + 1);
    const std::string_view flag_text = flag_at == std::string_view::npos || flag_end == std::string_view::npos
                                           ? std::string_view()
                                           : frame.substr(flag_at + 6, flag_end - flag_at - 6);
    const std::string expected = answer_flag_ ? std::to_string(*answer_flag_) : std::string();
    if (flag_text != expected) ++other_version;
    if (frame.substr(c + 4, 4) == "9013") {
      ++notices_answered;
      return;
    }
    int64_t qn = 0;
    for (char ch : frame.substr(q + 3, kQnDigits)) {
      if (ch < '0' || ch > '9') return;
      qn = qn * 10 + (ch - '0');
    }
    auto it = std::find_if(d.sent.begin(), d.sent.end(), [&](const Sent& s) { return s.qn == qn; });
    if (it == d.sent.end()) return;
    const std::string_view cn = frame.substr(c + 4, 4);
    // --messages counts real-time uploads; a water or noise station sends hourly ones only.
    const int counted_cn = o_.water || o_.noise ? 2061 : 2011;
    if ((cn == "9014" || cn == "9011") && it->cn == counted_cn) ++realtime_done_;
    if (cn == "9014") {
      ++answered;
      latencies.push_back(mono_ms() - it->at_ms);
      if (shared_.acked.is_open()) {
        std::lock_guard<std::mutex> lock(shared_.acked_mu);
        shared_.acked << d.mn << "," << it->cn << "," << it->data_time << "\n" << std::flush;
      }
    } else if (cn == "9011") {
      ++refused;
    }
    d.sent.erase(it);
  }

  uint64_t realtime_done_ = 0;
  const SimOptions& o_;
  sockaddr_storage target_;
  socklen_t target_len_;
  Shared& shared_;
  double end_ms_;
  int epfd_ = -1;
  std::unique_ptr<char[]> buffer_;
  std::vector<Device> devices_;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> schedule_;
  std::string batch_;
  bool garbage_ = false, fragmented_ = false, crc_deviation_ = false;
  std::optional<hj212::CpKey> key_;
  std::optional<uint8_t> answer_flag_;
};

double percentile_of(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

}  // namespace

StatusOr<hj212::CpKey> sim_key(const std::string& text) {
  if (auto k = hj212::CpKey::from_text(text)) return *k;
  if (auto k = hj212::CpKey::from_hex(text)) return *k;
  return invalid_argument("--key must be 16 characters or 32 hex digits (got " + std::to_string(text.size()) +
                          " characters)");
}

std::vector<DeviceRecord> sim_devices(int first, int n, const std::string& password, int protocol) {
  std::vector<DeviceRecord> out;
  for (int i = first; i < first + n; ++i) {
    DeviceRecord d;
    d.mn = sim_mn(i);
    d.password = password;
    d.protocol = protocol;
    d.enterprise = fmt::format("模拟企业{:03d}", i % 1000);
    d.outlet = fmt::format("废气排放口{}", i);
    d.county = "演示县";
    out.push_back(std::move(d));
  }
  return out;
}

std::string SimStats::to_text() const {
  std::string extra;
  if (heartbeats > 0) extra += fmt::format("; heartbeats {}, 9013 received {}", heartbeats, notices_answered);
  if (key_requests > 0 || keys_received > 0)
    extra += fmt::format("; 1014 key requests {}, new keys taken {}", key_requests, keys_received);
  if (answers_in_other_version > 0)
    extra += fmt::format("; {} answers not in the devices' version", answers_in_other_version);
  if (hardware_notices > 0)
    extra += fmt::format("; 1001 sent {}, MN assigned {}", hardware_notices,
                         assigned_mn.empty() ? "none" : assigned_mn);
  return fmt::format(
      "connections {} ({} failed), sent {}, answered {}, refused {}, unanswered {} in {:.1f} s: {:.0f} "
      "msg/s; "
      "latency p50 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms{}\n",
      connections, connect_failures, sent, answered, refused, unanswered, seconds,
      seconds > 0 ? static_cast<double>(answered) / seconds : 0.0, p50_ms, p99_ms, max_ms, extra);
}

std::string SimStats::to_json() const {
  return fmt::format(
      "{{\"connections\":{},\"connect_failures\":{},\"sent\":{},\"answered\":{},\"refused\":{},"
      "\"unanswered\":{},\"heartbeats\":{},\"notices_answered\":{},\"answers_in_other_version\":{},"
      "\"key_requests\":{},\"keys_received\":{},\"hardware_notices\":{},\"assigned_mn\":\"{}\","
      "\"seconds\":{:.3f},\"p50_ms\":{:.3f},\"p99_ms\":{:.3f},\"max_ms\":{:.3f}}}",
      connections, connect_failures, sent, answered, refused, unanswered, heartbeats, notices_answered,
      answers_in_other_version, key_requests, keys_received, hardware_notices, assigned_mn, seconds, p50_ms,
      p99_ms, max_ms);
}

StatusOr<SimStats> run_simulator(const SimOptions& o, const std::atomic<bool>* stop) {
  if (o.devices <= 0) return invalid_argument("--devices must be positive");
  if (o.interval_s <= 0) return invalid_argument("--interval must be positive");
  sockaddr_storage target{};
  socklen_t target_len = 0;
  if (Status a = socket_address(o.target, &target, &target_len); !a.ok()) {
    return invalid_argument("--target: " + a.message());
  }
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
  Shared shared;
  if (!o.acked_log.empty()) {
    shared.acked.open(o.acked_log, std::ios::app);
    if (!shared.acked) return invalid_argument("cannot write " + o.acked_log);
  }
  const double start = mono_ms();
  const double end = o.duration_s > 0 ? start + o.duration_s * 1000 : 1e300;
  if (o.protocol != 2005 && o.protocol != 2017 && o.protocol != 2025)
    return invalid_argument("--protocol must be 2005, 2017 or 2025");
  if (o.encrypt && o.protocol != 2025) return invalid_argument("--encrypt needs --protocol 2025");
  if (o.heartbeat_s < 0) return invalid_argument("--heartbeat must not be negative");
  if (o.heartbeat_s > 0 && o.protocol != 2025) return invalid_argument("--heartbeat needs --protocol 2025");
  if (o.encrypt) ECOMON_RETURN_IF_ERROR(sim_key(o.key).status());
  if (!o.encrypt && !o.key.empty()) return invalid_argument("--key is for --encrypt");
  if (o.request_key && !o.encrypt) return invalid_argument("--request-key needs --encrypt");
  if (o.electricity && o.protocol != 2025) return invalid_argument("--power needs --protocol 2025");
  if (o.dust && (o.electricity || o.stations))
    return invalid_argument("--dust, --power and --stations are different devices: give one");
  if (o.electricity && o.stations)
    return invalid_argument("--power and --stations are different devices: give one");
  if (o.data_step_s < 0) return invalid_argument("--data-step must not be negative");
  if ((o.water || o.noise) && (o.water + o.noise + o.stations + o.dust + o.electricity > 1))
    return invalid_argument(
        "--water, --noise, --stations, --dust and --power are different devices: give one");
  if ((o.water || o.noise) && !o.unprovisioned.empty())
    return invalid_argument("--unprovisioned is a pollution source's logger, not a water or noise station");
  if (!o.unprovisioned.empty()) {
    if (o.protocol != 2025) return invalid_argument("--unprovisioned needs --protocol 2025");
    if (o.devices != 1) return invalid_argument("--unprovisioned is one logger: --devices 1");
    if (o.encrypt) return invalid_argument("--unprovisioned does not take --encrypt");
    if (auto probe = hj212::encode_set_mn({.qn = "20000101000000000", .st = "31", .pw = "123456", .mn = "0"},
                                          o.unprovisioned);
        !probe.ok() || o.unprovisioned.size() > 64)
      return invalid_argument("--unprovisioned: a 数采仪ID of 1..64 characters a CP area carries");
  }
  if (auto probe = UploadTemplate::make(sim_mn(o.first_device), o.password, o.protocol); !probe.ok()) {
    return invalid_argument("--password: " + probe.status().message());
  }
  const size_t thread_count = static_cast<size_t>(std::max(1, o.io_threads));
  std::vector<std::unique_ptr<SimThread>> sims;
  for (size_t t = 0; t < thread_count; ++t) {
    sims.push_back(std::make_unique<SimThread>(o, target, target_len, shared, end));
  }
  for (int i = 0; i < o.devices; ++i) {
    sims[static_cast<size_t>(i) % thread_count]->add_device(
        o.first_device + i, start + o.connect_spread_s * 1000.0 * i / o.devices);
  }
  std::atomic<bool> finish{false}, stop_sending{false};
  std::vector<std::thread> threads;
  for (auto& s : sims) threads.emplace_back([&, raw = s.get()] { raw->run(finish, stop_sending); });
  const uint64_t target_answers =
      static_cast<uint64_t>(std::max(0, o.messages_per_device)) * static_cast<uint64_t>(o.devices);
  while (mono_ms() < end && !(stop && *stop)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (target_answers > 0) {
      uint64_t answered = 0;
      for (auto& s : sims) answered += s->answered_total.load(std::memory_order_relaxed);
      if (answered >= target_answers) break;
    }
  }
  // Give answers in flight a moment.
  stop_sending = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  finish = true;
  for (auto& t : threads) t.join();
  SimStats s;
  std::vector<double> latencies;
  for (auto& t : sims) {
    s.connections += static_cast<int>(t->connections);
    s.connect_failures += static_cast<int>(t->connect_failures);
    s.sent += t->sent;
    s.answered += t->answered;
    s.refused += t->refused;
    s.unanswered += t->pending();
    s.heartbeats += t->heartbeats;
    s.notices_answered += t->notices_answered;
    s.answers_in_other_version += t->other_version;
    s.keys_received += t->keys_received;
    s.key_requests += t->key_requests;
    s.hardware_notices += t->hardware_notices;
    if (!t->assigned_mn.empty()) s.assigned_mn = t->assigned_mn;
    latencies.insert(latencies.end(), t->latencies.begin(), t->latencies.end());
  }
  s.seconds = (mono_ms() - start) / 1000.0;
  s.p50_ms = percentile_of(latencies, 0.50);
  s.p99_ms = percentile_of(latencies, 0.99);
  s.max_ms = latencies.empty() ? 0 : *std::max_element(latencies.begin(), latencies.end());
  return s;
}

}  // namespace ecomon
