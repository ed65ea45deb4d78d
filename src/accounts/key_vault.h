// Device session keys at rest (HJ 212-2025 §6.4, issue 17): each SM4 key is sealed under the platform's
// master key before it is stored, so that a copied store file or database dump gives no device's key away.
//
//   auto master = MasterKey::load_default();             // $ECOMON_MASTER_KEY_FILE, else $ECOMON_MASTER_KEY
//   std::string key = generate_session_key();              // 16 characters, sent to the device as NewSK
//   auto sealed = seal_device_key(*master, mn, key);        // what the store keeps
//   auto again = open_device_key(*master, mn, *sealed);     // the gateway's copy, in memory only
//
// The seal is XChaCha20-Poly1305 (libsodium's crypto_aead_xchacha20poly1305_ietf): a random 24-byte nonce,
// the ciphertext and its 16-byte tag, with "ecomon-device-key:" + MN as associated data, so a sealed key
// opens only under the master key that sealed it and only for the device it was sealed for (a row copied to
// another MN fails). A key is never logged or put in an error message by this module.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ecomon {

class MasterKey {
 public:
  static constexpr size_t kSize = 32;
  // 64 hex digits (surrounding white space ignored). kInvalidArgument otherwise; the text is not echoed.
  static StatusOr<MasterKey> from_hex(std::string_view hex);
  // A file holding the hex form. The error names the file, never its content.
  static StatusOr<MasterKey> load(const std::string& path);
  // $ECOMON_MASTER_KEY_FILE, else $ECOMON_MASTER_KEY (hex); kFailedPrecondition naming both when neither is
  // set.
  static StatusOr<MasterKey> load_default();
  // A fresh random key.
  static MasterKey generate();
  // Writes a new random key to `path` (mode 0600; refuses to overwrite an existing file).
  static Status create_file(const std::string& path);

  std::string hex() const;
  const std::array<uint8_t, kSize>& bytes() const { return bytes_; }

 private:
  std::array<uint8_t, kSize> bytes_{};
};

// The session key's form: 16 characters of [0-9A-Za-z] (HJ 212-2025's NewSK carries 16 characters; 62^16 is
// about 2^95 keys), uniformly random.
inline constexpr size_t kSessionKeyChars = 16;
std::string generate_session_key();
// True when `key` is 16 characters of [0-9A-Za-z] (the form a key given by hand must have).
bool valid_session_key(std::string_view key);

StatusOr<std::string> seal_device_key(const MasterKey& master, std::string_view mn, std::string_view key);
// kPermissionDenied when the seal does not open: another master key, another device's row, or tampered bytes.
StatusOr<std::string> open_device_key(const MasterKey& master, std::string_view mn, std::string_view sealed);

}  // namespace ecomon
