#include "accounts/key_vault.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ecomon {
namespace {

void init_sodium() {
  if (sodium_init() < 0) std::abort();  // libsodium cannot work: nothing safe is left to do
}

std::string associated_data(std::string_view mn) { return "ecomon-device-key:" + std::string(mn); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

StatusOr<MasterKey> MasterKey::from_hex(std::string_view hex) {
  hex = trim(hex);
  MasterKey k;
  size_t len = 0;
  const char* end = nullptr;
  if (hex.size() != 2 * kSize ||
      sodium_hex2bin(k.bytes_.data(), k.bytes_.size(), hex.data(), hex.size(), nullptr, &len, &end) != 0 ||
      len != kSize || end != hex.data() + hex.size()) {
    return invalid_argument("a master key is 64 hex digits (32 bytes); this one is not (" +
                            std::to_string(hex.size()) + " characters)");
  }
  return k;
}

StatusOr<MasterKey> MasterKey::load(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return failed_precondition("cannot read the master key file " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << f.rdbuf();
  auto k = from_hex(text.str());
  if (!k.ok()) return k.status().with_context("master key file " + path);
  return k;
}

StatusOr<MasterKey> MasterKey::load_default() {
  if (const char* file = std::getenv("ECOMON_MASTER_KEY_FILE"); file && *file) return load(file);
  if (const char* hex = std::getenv("ECOMON_MASTER_KEY"); hex && *hex) {
    auto k = from_hex(hex);
    if (!k.ok()) return k.status().with_context("$ECOMON_MASTER_KEY");
    return k;
  }
  return failed_precondition(
      "no master key: set ECOMON_MASTER_KEY_FILE to a file made by `ecomon sources key init-master --out "
      "FILE` "
      "(or ECOMON_MASTER_KEY to its 64 hex digits); device keys are stored sealed under it");
}

MasterKey MasterKey::generate() {
  init_sodium();
  MasterKey k;
  randombytes_buf(k.bytes_.data(), k.bytes_.size());
  return k;
}

Status MasterKey::create_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return errno == EEXIST
               ? Status(StatusCode::kAlreadyExists,
                        path +
                            " exists; a master key is never overwritten (the keys sealed under it "
                            "would be lost)")
               : failed_precondition("cannot create " + path + ": " + std::strerror(errno));
  }
  const std::string text = generate().hex() + "\n";
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(path.c_str());
      return failed_precondition("cannot write " + path + ": " + why);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return failed_precondition("cannot write " + path);
  return Status();
}

std::string MasterKey::hex() const {
  std::string out(2 * kSize + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes_.data(), bytes_.size());
  out.pop_back();
  return out;
}

std::string generate_session_key() {
  init_sodium();
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string key(kSessionKeyChars, '0');
  for (char& c : key) c = kAlphabet[randombytes_uniform(62)];
  return key;
}

bool valid_session_key(std::string_view key) {
  if (key.size() != kSessionKeyChars) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

StatusOr<std::string> seal_device_key(const MasterKey& master, std::string_view mn, std::string_view key) {
  init_sodium();
  const std::string ad = associated_data(mn);
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string out(kNonce + key.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(p, kNonce);
  unsigned long long clen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_encrypt(
          p + kNonce, &clen, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
          reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr, p,
          master.bytes().data()) != 0) {
    return internal_error("sealing device " + std::string(mn) + "'s key failed");
  }
  out.resize(kNonce + clen);
  return out;
}

StatusOr<std::string> open_device_key(const MasterKey& master, std::string_view mn, std::string_view sealed) {
  init_sodium();
  const std::string ad = associated_data(mn);
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < kNonce + kTag) {
    return data_loss("device " + std::string(mn) + "'s stored key is " + std::to_string(sealed.size()) +
                     " bytes, too short to be a sealed key");
  }
  std::string key(sealed.size() - kNonce - kTag, '\0');
  unsigned long long len = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(key.data()), &len, nullptr, p + kNonce, sealed.size() - kNonce,
          reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), p, master.bytes().data()) != 0) {
    sodium_memzero(key.data(), key.size());
    return permission_denied(
        "device " + std::string(mn) +
        "'s stored key does not open under this master key (another master key, a row of "
        "another device, or altered bytes)");
  }
  key.resize(len);
  return key;
}

}  // namespace ecomon
