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
};

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
