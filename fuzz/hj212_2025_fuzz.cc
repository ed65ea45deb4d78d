// libFuzzer target for HJ 212-2025 in the codec: SM4-encrypted CP areas (both wire forms), version forcing
// and the 2025 header/CP rules, through decode_frame and the stream reader with keys.
//
// Input: byte 0 picks the options (bits 0-1: version auto / 2017 / 2025 / auto, bit 2: lenient policy), bytes
// 1..16 are a key (tried first, before the standard's test key 16 × '0'), the rest is a frame or a stream.
// Checked properties:
//  - nothing crashes, leaks or trips a sanitizer; a frame that does not decrypt is an error, never a crash;
//  - SM4 round trip: decrypt_cp(encrypt_cp(x)) == x, same length, the tail under 16 bytes in clear; the
//    {0x..} list form round-trips;
//  - a frame that decodes in clear, encrypted under the test key (form A and form B), decodes with the keys
//    to the same plaintext frame (unless its ciphertext happens to decode as a clear frame, or starts "{0x");
//    a ciphertext whose CRC matches in clear (1 in 256: the HJ 212 CRC keeps 8 bits between bytes) included;
//  - an encrypted frame that decodes gives a plaintext frame that decodes on its own to the same result;
//  - the stream reader with keys covers the stream exactly once (frames and dropped runs, in order), and so
//    does one with per-device keys (DecodeOptions::devices: every MN but "CLEAR" has the two keys).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ingest/hj212/codec.h"
#include "ingest/hj212/cp_cipher.h"
#include "ingest/hj212/crc.h"
#include "ingest/hj212/stream_reader.h"

namespace {

using namespace ecomon::hj212;  // NOLINT(google-build-using-namespace)
using ecomon::StatusOr;

void require(bool ok) {
  if (!ok) std::abort();
}

// The encrypted wire could pass as a clear frame or as form B: then the round trip is not promised.
bool ambiguous(std::string_view wire, const DecodeOptions& clear_options) {
  if (wire.find("CP=&&{0x") != std::string_view::npos) return true;
  Message m;
  return decode_frame(wire, clear_options, &m).ok();
}

// Per-device keys: every MN has the two keys but "CLEAR", which has none.
class FuzzDevices : public DeviceLookup {
 public:
  explicit FuzzDevices(std::span<const CpKey> keys) : keys_(keys) {}
  bool find(std::string_view mn, DeviceProfile* out) const override {
    out->version = std::nullopt;
    out->keys = mn == "CLEAR" ? std::span<const CpKey>() : keys_;
    return true;
  }
  bool any_keys() const override { return true; }

 private:
  std::span<const CpKey> keys_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kHeader = 1 + kSm4KeySize;
  if (size < kHeader) return 0;
  const uint8_t mode = data[0];
  CpKey fuzz_key;
  for (size_t i = 0; i < kSm4KeySize; ++i) fuzz_key.bytes[i] = data[1 + i];
  const CpKey test_key = *CpKey::from_text("0000000000000000");
  const std::string_view input(reinterpret_cast<const char*>(data) + kHeader, size - kHeader);

  // The cipher alone.
  const StatusOr<std::string> c = encrypt_cp(fuzz_key, input);
  require(c.ok() && c->size() == input.size());
  const size_t whole = input.size() / kSm4BlockSize * kSm4BlockSize;
  require(std::string_view(*c).substr(whole) == input.substr(whole));
  const StatusOr<std::string> p = decrypt_cp(fuzz_key, *c);
  require(p.ok() && *p == input);
  if (!input.empty()) {
    size_t used = 0;
    const std::optional<std::string> back = parse_hex_list(format_hex_list(input), &used);
    require(back && *back == input && used == format_hex_list(input).size());
  }

  DecodeOptions options{.policy = (mode & 4) != 0 ? Policy::lenient() : Policy::strict()};
  switch (mode & 3) {
    case 1:
      options.version = ProtocolVersion::k2017;
      break;
    case 2:
      options.version = ProtocolVersion::k2025;
      break;
    default:
      break;
  }
  const CpKey keys[] = {fuzz_key, test_key};
  DecodeOptions with_keys = options;
  with_keys.keys = keys;

  Message m;
  const FrameError e = decode_frame(input, with_keys, &m);
  if (e.ok() && m.encrypted()) {
    require(m.key_index >= 0 && m.key_index < 2);
    const std::string plain(m.frame);
    Message again;
    require(decode_frame(plain, options, &again).ok());
    require(again.cp.size() == m.cp.size() && again.deviations.size() == m.deviations.size());
  }
  if (e.ok() && !m.encrypted()) {
    // A clear frame, encrypted under the test key, comes back.
    for (bool hex_list : {false, true}) {
      const StatusOr<std::string> wire = encrypt_frame(input, test_key, hex_list);
      if (!wire.ok()) continue;  // (form B over 9999 bytes)
      if (!hex_list && ambiguous(*wire, options)) continue;
      if (hex_list && wire->find("CP=&&{0x") == std::string::npos) continue;  // no whole block: stays clear
      Message dec;
      const FrameError we = decode_frame(*wire, with_keys, &dec);
      require(we.ok());
      require(dec.frame == input);
    }
  }

  // The stream reader with keys, and with per-device keys: frames and dropped runs cover the stream once, in
  // order.
  const FuzzDevices devices(keys);
  DecodeOptions per_device = options;
  per_device.devices = &devices;
  for (const DecodeOptions* decode : {&with_keys, &per_device}) {
    StreamOptions so;
    so.decode = *decode;
    StreamReader reader(so);
    uint64_t covered = 0;
    const auto on_event = [&](const StreamEvent& ev) {
      require(ev.offset == covered);
      covered += ev.size;
    };
    const size_t chunk = 1 + (mode >> 3);
    for (size_t at = 0; at < input.size(); at += chunk) reader.feed_all(input.substr(at, chunk), on_event);
    reader.finish();
    reader.drain(on_event);
    require(covered == input.size());
  }
  return 0;
}
