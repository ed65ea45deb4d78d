// `ecomon hj212-sim`: field devices that speak HJ 212-2017 to a gateway, for demos and load tests.
//
// Each simulated device holds one TCP connection and sends a real-time upload (CN 2011: SO2, NOx,
// particulate, flow with data flags; with `hourly`, also the hourly 2061 of each completed hour) every
// `interval_s` (`frames_per_write` of them in one write, as a device catching up), asking for an answer
// (Flag=5); it measures the time from sending a frame to receiving its 9014 answer. On request it speaks like
// sloppy real devices: lower-case CRC, the byte-swapped Modbus CRC, garbage between frames, frames split
// across TCP writes.
//
//   SimOptions o;  o.target = "127.0.0.1:9212";  o.devices = 100;  o.interval_s = 1;  o.duration_s = 10;
//   auto stats = run_simulator(o, nullptr);   // sent, answered, latency percentiles
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/hj212/cp_cipher.h"
#include "sources/demo_devices.h"  // sim_mn
#include "store/api/store.h"

namespace ecomon {

struct SimOptions {
  std::string target = "127.0.0.1:9212";
  int devices = 10;
  int first_device = 0;         // device numbers first_device .. first_device+devices-1
  double interval_s = 30;       // between uploads of one device
  double duration_s = 60;       // 0 = until *stop is set
  int messages_per_device = 0;  // stop a device after this many uploads (0 = no limit)
  std::string password = "123456";
  std::vector<std::string> deviations;  // lowercase-crc, modbus-crc, garbage, fragmented
  int frames_per_write = 1;  // uploads sent together in one TCP write per tick (consecutive DataTimes)
  int io_threads = 1;
  double connect_spread_s = 1;  // connections are opened over this long
  std::string acked_log;        // if set: one line "MN,CN,DataTime" per answered upload, flushed as they come
  int64_t first_data_time_ms = 0;  // civil ms of the first DataTime (0 = now); later ones step by interval
  // Also send an hourly upload (CN 2061: Avg/Min/Max, ZsAvg) for every hour the data clock completes,
  // starting with the hour before the first DataTime, as field devices do beside their real-time data.
  bool hourly = false;
  // The protocol edition the devices speak: 2017 (Flag=5), 2025 (Flag=9) or 2005 (Flag=1: version bits 0,
  // an answer asked). Answers are expected in that version (SimStats::answers_in_other_version counts the
  // others).
  int protocol = 2017;
  // HJ 212-2025 only: the CP area of every upload SM4-encrypted (form A, ciphertext bytes in place) under
  // `key`: 16 characters, or 32 hex digits.
  bool encrypt = false;
  std::string key;
  // Also send a 9015 heartbeat (Flag asking for a 9013) every heartbeat_s seconds (0: none; 2025 only).
  double heartbeat_s = 0;
  // Send a 1014 key request (SKCreateTime) right after connecting (2025, --encrypt). A 1014 with NewSK from
  // the gateway (asked for or not) is answered 9011 + 9012 and its key used from the next upload on.
  bool request_key = false;
  // Air quality stations instead of pollution sources (issue 19): MNs sim_station_mn(i), ST 22, and the
  // hourly uploads (implies `hourly`) carry the six AQI pollutants in the HJ 212 code table's units
  // (sources/station_upload.h): PM2.5 and PM10 in ng/m³, SO2, NO2, O3 and CO in mg/m³ (station_hourly_cp).
  // The real-time uploads keep the source template's items (they are stored, never observations).
  bool stations = false;
  // With `stations`: devices from this number on are micro stations, whose PM values run higher (a kitchen or
  // a building site next to them) so the hotspot view has something to find; -1: none.
  int micro_from = -1;
  // Surface-water automatic stations (ST 21, MNs sim_water_mn(i)) or noise stations (ST 23, sim_noise_mn(i))
  // instead of pollution sources (issue 19): only the hourly uploads (CN 2061) of each completed hour, the
  // hour before the first DataTime included, with water_hourly_values / noise_hourly_values; no real-time
  // uploads (the clock still advances by --interval per tick). Register them first: `ecomon stations register
  // --type water|noise --mn ...`.
  bool water = false;
  bool noise = false;
  // Power-use modules (用电监控, HJ 212-2025 ST 44; needs protocol 2025; `--power`, alias `--electricity`)
  // instead of emission analysers: each module meters one production line (d20101) and one treatment line
  // (d30101), in kW, following a daily production pattern with a few modules whose treatment line goes off
  // while production runs (power_module_reading below; codes UNCONFIRMED, spec 11); no hourly.
  bool electricity = false;
  // Seconds the DataTime advances from one upload of a device to its next (0: interval_s). A test or a
  // benchmark sends minute data faster than real time with --interval 0.1 --data-step 60.
  double data_step_s = 0;
  // Fugitive-dust TSP points (扬尘, ST 39 工地扬尘; docs/dust.md) instead of emission analysers: minute
  // uploads (CN 2051, `-Avg`) of a34001 TSP (µg/m³: 150..749, and 850..1449 for every tenth device, index %
  // 10 == 9, which therefore exceeds a construction site's 800), a34002 PM10 20.0..49.9, a34004
  // PM2.5 40.0..89.9 and a01007 wind speed 10.0..19.9 (a fixed-width pattern, not weather); no hourly. Give
  // --interval 60.
  bool dust = false;
  // HJ 212-2025 provisioning: one data logger without an MN, this its 数采仪ID (i23005-Info). It sends a 1001
  // (its identity, empty MN, asking for a 9013) on connecting and every `interval_s` until a 1002 gives it an
  // MN, answers that 9011 + 9012 under the new MN, then uploads under it. Needs --protocol 2025, --devices 1,
  // no --encrypt.
  std::string unprovisioned;
};

// The MN of simulated air station i ("A22" + 21 hex digits).
std::string sim_station_mn(int i);
// The CP records of simulated station `index`'s hourly upload for the hour starting at civil hour-of-day
// `hour` (0..23): a diurnal pattern, higher PM for micro stations; values in the code table's units.
std::vector<std::pair<std::string, std::string>> station_hourly_values(int index, int hour, bool micro);

// What simulated power module `index` (its device number) meters at civil time `civil_ms` (the upload's
// DataTime), in tenths of a kW. Per module: a production line of base P = 200 + (index × 37) % 300 kW and a
// treatment line of base T = 40 + (index × 11) % 50 kW.
// - Production over the day: 100 % of P 08:00–19:59, 75 % 06:00–07:59 and 20:00–21:59, 50 % 22:00–05:59;
//   a day-shift module (index % 5 == 2) stops 22:00–05:59 instead (production 1.5 kW, treatment 0.5 kW:
//   standby, below any sensible running threshold). Plus (minute of day × 7 + index × 13) % 50 tenths.
// - Treatment while production runs: T plus (minute of day × 3 + index) % 10 tenths.
// - A faulty module (index % 12 == 0) has its treatment line off ((minute of day + index) % 5 tenths of a
//   kW) while production runs: 11:00–12:59 every day, and the 20 minutes hh:10–hh:29 of each hour hh in
//   06..21 with (hh + index / 12) % 3 == 0 — an outage of 20 minutes starts every few hours per module, so
//   treatment_not_running events (15 minutes by default) open and close while one watches.
struct PowerModuleReading {
  int64_t production_tenths = 0, treatment_tenths = 0;
};
PowerModuleReading power_module_reading(int index, int64_t civil_ms);
// Whether module `index` is one of the faulty ones above.
bool power_module_faulty(int index);
// The MNs of simulated water station i ("W21" + 21 hex digits) and noise station i ("N23" + 21 hex digits).
std::string sim_water_mn(int i);
std::string sim_noise_mn(int i);
// The CP records (code, Avg) of simulated water station `index`'s hourly upload for the hour starting at
// civil hour-of-day `hour` (0..23), in the code table's units: w01001 pH 7.2..7.9, w01009 DO 6.0..8.9,
// w01019 CODMn 2.0..5.9, w21003 NH3-N 0.100..0.899, w21011 TP 0.050..0.249 (mg/L), w20120 Pb 1.0..9.9 µg/L,
// w01010 water temperature 10.0..17.9 ℃.
std::vector<std::pair<std::string, std::string>> water_hourly_values(int index, int hour);
// Noise station `index`'s: Leq 52.0..61.9 dB by day (hours starting 06..21), 40.0..49.9 at night; L10 = Leq
// + 3, L50 = Leq − 1, L90 = Leq − 5, LMx = Leq + 15, LMn = Leq − 8.
std::vector<std::pair<std::string, std::string>> noise_hourly_values(int index, int hour);

struct SimStats {
  int connections = 0;
  int connect_failures = 0;
  uint64_t sent = 0;
  uint64_t answered = 0;                  // 9014
  uint64_t refused = 0;                   // 9011 (MN or PW refused)
  uint64_t unanswered = 0;                // sent but no answer at the end
  uint64_t heartbeats = 0;                // 9015 sent
  uint64_t notices_answered = 0;          // 9013 received
  uint64_t answers_in_other_version = 0;  // answers whose Flag is not the devices' version
  uint64_t key_requests = 0;              // 1014 sent
  uint64_t keys_received = 0;             // 1014 with NewSK taken (the device switched keys)
  uint64_t hardware_notices = 0;          // 1001 sent (--unprovisioned)
  std::string assigned_mn;                // the MN a 1002 gave (--unprovisioned)
  double seconds = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  std::string to_text() const;
  std::string to_json() const;
};

// Registry entries for devices first..first+n-1 (to register before a run), of that protocol
// (DeviceRecord::protocol: 2005, 2017, 2025 or 0 = auto).
std::vector<DeviceRecord> sim_devices(int first, int n, const std::string& password, int protocol = 2017);
// The SM4 key of --key: 16 characters, or 32 hex digits; kInvalidArgument otherwise (the text not echoed).
StatusOr<hj212::CpKey> sim_key(const std::string& text);
// Runs until the duration is over (or *stop). Errors only for bad options; connection failures are counted.
StatusOr<SimStats> run_simulator(const SimOptions& options, const std::atomic<bool>* stop);

}  // namespace ecomon
