#include "ingest/hj212/cp_cipher.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>

namespace ecomon::hj212 {
namespace {

struct CipherDeleter {
  void operator()(EVP_CIPHER* c) const { EVP_CIPHER_free(c); }
};
struct ContextDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// The fetched algorithm (once per process) and one context per thread, re-keyed per call: SM4's key schedule
// is 32 rounds, far cheaper than creating a context.
const EVP_CIPHER* sm4_ecb() {
  static const std::unique_ptr<EVP_CIPHER, CipherDeleter> cipher(
      EVP_CIPHER_fetch(nullptr, "SM4-ECB", nullptr));
  return cipher.get();
}

// A few keyed contexts per thread (current and previous key, both directions), so that a frame costs the
// cipher only and not a key schedule: ECB without padding keeps no state between whole-block updates.
struct KeyedContext {
  std::unique_ptr<EVP_CIPHER_CTX, ContextDeleter> ctx;
  CpKey key;
  bool encrypt = false;
};
constexpr size_t kCachedContexts = 4;

EVP_CIPHER_CTX* keyed_context(const CpKey& key, bool encrypt) {
  thread_local std::array<KeyedContext, kCachedContexts> cache;
  thread_local size_t next = 0;
  for (KeyedContext& c : cache) {
    if (c.ctx && c.encrypt == encrypt && c.key == key) return c.ctx.get();
  }
  const EVP_CIPHER* cipher = sm4_ecb();
  if (cipher == nullptr) return nullptr;
  KeyedContext& c = cache[next];
  next = (next + 1) % kCachedContexts;
  if (!c.ctx) c.ctx.reset(EVP_CIPHER_CTX_new());
  if (!c.ctx) return nullptr;
  c.key = key;
  c.encrypt = encrypt;
  if (EVP_CipherInit_ex2(c.ctx.get(), cipher, key.bytes.data(), nullptr, encrypt ? 1 : 0, nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(c.ctx.get(), 0) != 1) {
    c.ctx.reset();
    return nullptr;
  }
  return c.ctx.get();
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

StatusOr<std::string> run(const CpKey& key, bool encrypt, std::string_view bytes) {
  std::string out(bytes);
  if (!sm4_ecb_blocks(key, encrypt, bytes.data(), bytes.size(), out.data()))
    return internal_error("SM4-ECB is not available from OpenSSL");
  return out;
}

}  // namespace

std::optional<CpKey> CpKey::from_text(std::string_view text) {
  if (text.size() != kSm4KeySize) return std::nullopt;
  CpKey k;
  for (size_t i = 0; i < kSm4KeySize; ++i) k.bytes[i] = static_cast<uint8_t>(text[i]);
  return k;
}

std::optional<CpKey> CpKey::from_hex(std::string_view hex) {
  if (hex.size() != 2 * kSm4KeySize) return std::nullopt;
  CpKey k;
  for (size_t i = 0; i < kSm4KeySize; ++i) {
    const int hi = hex_digit(hex[2 * i]);
    const int lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    k.bytes[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return k;
}

bool sm4_ecb_blocks(const CpKey& key, bool encrypt, const char* in, size_t n, char* out) {
  const size_t whole = n / kSm4BlockSize * kSm4BlockSize;
  if (out != in && n > whole) std::copy(in + whole, in + n, out + whole);  // the tail stays in clear
  if (whole == 0) return true;
  EVP_CIPHER_CTX* ctx = keyed_context(key, encrypt);
  if (ctx == nullptr) return false;
  int written = 0;
  if (EVP_CipherUpdate(ctx, reinterpret_cast<unsigned char*>(out), &written,
                       reinterpret_cast<const unsigned char*>(in), static_cast<int>(whole)) != 1)
    return false;
  return static_cast<size_t>(written) == whole;
}

StatusOr<std::string> decrypt_cp(const CpKey& key, std::string_view bytes) { return run(key, false, bytes); }
StatusOr<std::string> encrypt_cp(const CpKey& key, std::string_view bytes) { return run(key, true, bytes); }

std::optional<std::string> parse_hex_list(std::string_view text, size_t* consumed) {
  // "{0xE4,0x3E,...}": at least one byte, each "0x" + 2 hex digits (either case), ',' between, '}' after.
  if (text.size() < 6 || text[0] != '{') return std::nullopt;
  std::string bytes;
  size_t i = 1;
  for (;;) {
    if (i + 4 > text.size() || text[i] != '0' || (text[i + 1] != 'x' && text[i + 1] != 'X'))
      return std::nullopt;
    const int hi = hex_digit(text[i + 2]);
    const int lo = hex_digit(text[i + 3]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(hi * 16 + lo));
    i += 4;
    if (i >= text.size()) return std::nullopt;
    if (text[i] == '}') break;
    if (text[i] != ',') return std::nullopt;
    ++i;
  }
  ++i;
  if (consumed != nullptr) *consumed = i;
  bytes.append(text.substr(i));
  return bytes;
}

std::string format_hex_list(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "{";
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i != 0) out += ',';
    const auto b = static_cast<uint8_t>(bytes[i]);
    out += "0x";
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  out += '}';
  return out;
}

}  // namespace ecomon::hj212
