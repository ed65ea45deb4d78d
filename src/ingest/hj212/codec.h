// HJ 212 frame decoder (HJ 212-2017 污染物在线监控（监测）系统数据传输标准, HJ 212-2025 and HJ/T 212-2005
// frames): one complete frame "##" + 4-digit length + data segment + 4-hex CRC16 + CR LF in, a validated
// Message out.
//
// The codec is pure (bytes in, values out: no sockets, no clock, no files) so that it fuzzes and benchmarks
// alone. Bad input is an expected event: every failure comes back as a FrameError saying what is wrong, at
// which byte offset of the frame ("##" is offset 0) and in which field. Nothing throws.
//
// A tolerance Policy decides what happens to each departure from the letter of the standard (a Deviation):
// the strict policy rejects all of them; the lenient one accepts them (lower-case hex CRC, byte-swapped
// Modbus CRC, 17-digit DataTime, missing Flag, short MN, clock skew, ...) and lists every one on the Message.
//
//   hj212::Message m;
//   hj212::DecodeOptions opt{.policy = hj212::Policy::lenient()};
//   hj212::FrameError e = hj212::decode_frame(frame_bytes, opt, &m);
//   if (!e.ok()) { log(e.to_string()); return; }        // "CRC mismatch at byte 143 (field CRC): ..."
//   for (const hj212::CpItem& item : m.cp)  // built on demand from the validated text (CpItems)
//     if (item.field == hj212::ItemField::kRtd && item.number) store(item.code, *item.number);  // exact
//     Decimal
//
// Ownership and lifetime: a Message holds std::string_views into the frame it was decoded from; it is valid
// only while those bytes are (the CP items too: they are spans of the frame). Use OwnedMessage::copy_of() to
// keep a message beyond that. decode_frame() reuses the vectors of *out, so decoding into the same Message in
// a loop allocates nothing once they have grown. Thread safety: all functions are reentrant; a Message must
// not be shared between threads while being written.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "ingest/hj212/codes.h"
#include "ingest/hj212/cp_cipher.h"

namespace ecomon::hj212 {

// ---- Frame layout (Table 2) ----
inline constexpr std::string_view kFrameStart = "##";        // 包头
inline constexpr std::string_view kFrameEnd = "\r\n";        // 包尾
inline constexpr std::string_view kCpMarker = "&&";          // CP=&&...&&
inline constexpr size_t kLengthDigits = 4;                   // 数据段长度, decimal, zero-padded
inline constexpr size_t kCrcDigits = 4;                      // CRC16 as hex
inline constexpr size_t kSegmentOffset = 2 + kLengthDigits;  // where the data segment starts in a frame
inline constexpr size_t kFrameOverhead = kSegmentOffset + kCrcDigits + 2;
inline constexpr size_t kStandardMaxDataLength = 1024;  // the standard's bound on the data segment
inline constexpr size_t kLengthFieldMax = 9999;         // the most 4 decimal digits can say

// ---- Flag bits (V5 V4 V3 V2 V1 V0 D A) ----
inline constexpr uint8_t kFlagAnswerNeeded = 0x01;  // A: the command needs an answer (应答)
inline constexpr uint8_t kFlagSplitPacket = 0x02;   // D: packet carries PNUM/PNO (拆分包)
inline constexpr int kFlagVersionShift = 2;         // V5..V0 = bits 7..2
inline constexpr uint8_t kFlagVersion2017 = 1U << kFlagVersionShift;  // Flag=4: HJ 212-2017, no answer
inline constexpr uint8_t kFlagVersion2025 = 2U << kFlagVersionShift;  // Flag=8: HJ 212-2025, no answer

// A departure from the letter of the standard that a lenient policy may accept.
enum class DeviationKind : uint8_t {
  kCrcLowercaseHex = 0,            // CRC written with a-f
  kCrcModbusSwapped,               // CRC is the byte-swapped CRC-16/MODBUS, not the standard's CRC16
  kOversizeDataSegment,            // data segment longer than 1024 bytes
  kMissingQn,                      // no QN (2005 style uploads)
  kQnNot17Digits,                  // QN is digits but not yyyyMMddHHmmssSSS (e.g. 13-digit Unix milliseconds)
  kMissingFlag,                    // no Flag (HJ/T 212-2005 style)
  kUnknownFlagVersion,             // Flag version bits neither 2005 (0), 2017 (1) nor 2025 (2)
  kNonstandardSt,                  // ST not in Table 5 nor A0..Z9
  kUnknownCn,                      // CN not in Table 9
  kNonstandardPw,                  // PW not 6 characters
  kNonstandardMn,                  // MN not 24 hex digits (EPC-96)
  kHeaderFieldOrder,               // header fields not in the order QN ST CN PW MN Flag PNUM PNO CP
  kUnknownHeaderField,             // a NAME=value before CP that the standard does not define
  kPacketNumbersWithoutSplitFlag,  // PNUM/PNO present but the D bit of Flag is not set
  kSplitFlagWithoutPacketNumbers,  // D bit of Flag set but no PNUM/PNO (read as a whole message)
  kTimestamp17Digits,              // DataTime-like field with milliseconds (17 digits instead of 14)
  kEmptyCpItem,                    // ";;" or ";&&" in CP: an empty item (skipped)
  kUnknownFieldSuffix,             // code-Suffix with a suffix outside Table 4 (kept as ItemField::kOther)
  kDuplicateKey,                   // the same CP key twice (the first one is kept)
  kEmptyValue,                     // key= with nothing after it
  kNonNumericValue,                // a numeric field (Rtd, Avg, ...) whose value is not a decimal number
  kClockSkew,    // QN time differs from the receive time by more than Policy::max_clock_skew_ms
  kInvalidUtf8,  // bytes that are not UTF-8 in the data segment (text is UTF-8; lenient: stored replaced)
  kFlagVersionMismatch,  // the Flag version bits disagree with the version configured
                         // (DecodeOptions::version)
  kCount
};
inline constexpr size_t kDeviationKindCount = static_cast<size_t>(DeviationKind::kCount);
// snake_case name, e.g. "crc_lowercase_hex".
std::string_view deviation_name(DeviationKind kind);

// Which deviations a device is allowed. Presets: strict() and lenient(); adjust single kinds with allow().
struct Policy {
  uint32_t tolerated = 0;  // bit i set: DeviationKind i is accepted (and reported)
  // Data segments longer than this are rejected outright (and dropped by the stream reader without buffering
  // them). Between kStandardMaxDataLength and this they are accepted as kOversizeDataSegment.
  size_t max_data_length = kStandardMaxDataLength;
  int64_t max_clock_skew_ms =
      10 * 60 * 1000;  // bound for kClockSkew (checked only when a receive time is given)

  static Policy strict();   // the standard to the letter
  static Policy lenient();  // every DeviationKind accepted; data segments up to 9999 bytes
  bool tolerates(DeviationKind k) const { return (tolerated >> static_cast<unsigned>(k)) & 1U; }
  Policy& allow(DeviationKind k, bool yes = true) {
    const uint32_t bit = 1U << static_cast<unsigned>(k);
    tolerated = yes ? (tolerated | bit) : (tolerated & ~bit);
    return *this;
  }
  bool is_strict() const { return tolerated == 0 && max_data_length <= kStandardMaxDataLength; }
};

enum class ErrorKind : uint8_t {
  kNone = 0,
  kNoFrameStart,       // does not begin with "##"
  kBadLengthField,     // the 4 characters after "##" are not decimal digits
  kLengthMismatch,     // frame size does not agree with the length field
  kOversize,           // length field above Policy::max_data_length
  kMissingTerminator,  // no CR LF after the CRC
  kBadCrcField,        // CRC is not 4 hex digits
  kCrcMismatch,        // CRC does not match the data segment
  kControlByte,        // a control byte (NUL, CR, LF, ...) inside the data segment
  kMissingField,       // a required field (ST, CN, PW, MN, CP) is absent
  kDuplicateField,     // a header field appears twice
  kBadField,           // a header field has an impossible value
  kBadCp,              // the CP area is malformed
  kBadTimestamp,       // a QN / DataTime / ...Time value is not a valid civil time
  kNonconforming,      // a Deviation the policy does not tolerate (FrameError::deviation says which)
  kDecryptFailed,  // CRC mismatch, and the CP area decrypts under none of the keys given to the stated CRC
};
// snake_case name, e.g. "crc_mismatch".
std::string_view error_name(ErrorKind kind);

// What is wrong with a frame, where, and in which field. kind == kNone means no error.
struct [[nodiscard]] FrameError {
  ErrorKind kind = ErrorKind::kNone;
  DeviationKind deviation = DeviationKind::kCount;  // set when kind == kNonconforming
  uint32_t offset = 0;                              // byte offset in the frame ("##" = 0)
  std::string field;                                // "length", "CRC", "QN", "a21026-Rtd", ...
  std::string detail;                               // human-readable explanation

  bool ok() const { return kind == ErrorKind::kNone; }
  // "crc_mismatch at byte 143 (field CRC): stated 4981, computed 4980"
  std::string to_string() const;
  Status to_status() const;
};

// A civil (Beijing) time as HJ 212 writes it: yyyyMMddHHmmss[SSS].
struct Timestamp {
  int16_t year = 1970;
  uint8_t month = 1;
  uint8_t day = 1;
  uint8_t hour = 0;
  uint8_t minute = 0;
  uint8_t second = 0;
  uint16_t millisecond = 0;

  // Milliseconds since 1970-01-01 00:00 of the same civil clock (no time zone arithmetic).
  int64_t civil_ms() const;
  static Timestamp from_civil_ms(int64_t ms);
  std::string to_digits14() const;  // yyyyMMddHHmmss (DataTime)
  std::string to_digits17() const;  // yyyyMMddHHmmssSSS (QN)
  std::string to_iso() const;       // "2019-10-12T13:37:10" (+ ".130" when millisecond != 0)
  bool operator==(const Timestamp&) const = default;
};
// Parses exactly 14 or 17 digits into a valid civil time; nullopt otherwise.
std::optional<Timestamp> parse_timestamp(std::string_view digits);

// Parses a plain decimal ("12.3", "-0.036", "1425"; at most 18 digits; no exponent, no leading '+' or '.').
std::optional<Decimal> parse_decimal(std::string_view text);

struct Deviation {
  DeviationKind kind = DeviationKind::kCount;
  uint32_t offset = 0;     // byte offset in the frame
  std::string_view field;  // the field it concerns ("CRC", "MN", a CP key, ...)
};

// What a CP key's suffix says the value is (Table 4).
enum class ItemField : uint8_t {
  kRtd,
  kAvg,
  kMin,
  kMax,
  kCou,  // 实时值, 平均值, 最小值, 最大值, 累计值
  kZsRtd,
  kZsAvg,
  kZsMin,
  kZsMax,  // 折算值
  kFlag,
  kEFlag,
  kSampleTime,  // 数据标记, 扩充数据标记, 采样时间
  kData,
  kDayData,
  kNightData,  // 噪声
  kInfo,
  kSn,  // 现场端信息, 仪器编码
  kRunState,
  kRunTime,   // SBxxx-RS 设施运行状态, SBxxx-RT 日运行时间
  kDataTime,  // DataTime (数据时间)
  kPlain,     // NAME=value without a code (RtdInterval, QnRtn, ExeRtn, SystemTime, ...)
  kOther,     // code-Suffix with a suffix outside Table 4 (and, in 2005/2017 frames, the 2025 suffixes below)
  // HJ 212-2025 only (11_hj212_2025.md §1.6); in frames of other versions these are kOther.
  kRawAvg,         // xxx-RawAvg, a number (App. C p.59 minute data; meaning not stated: UNCONFIRMED)
  kCompleteTime,   // xxx-CompleteTime, yyyyMMddHHmmss (2013 raw data: sampling complete; CONFIRMED-impl)
  kSampleType,     // xxx-SampleType, a code as sent (2013 raw data; values not documented: UNCONFIRMED)
  kSampleRd,       // xxx-SampleRd, a number: measured value of the standard sample (2062; CONFIRMED-impl)
  kStandardValue,  // xxx-StandardValue, a number: nominal value of the standard sample (2062; CONFIRMED-impl)
  kResultType,     // xxx-ResultType, 1 pass / 0 fail as sent (2062; CONFIRMED-impl)
};
// True for the fields only HJ 212-2025 defines (kRawAvg .. kResultType).
bool is_2025_field(ItemField f);
// The suffix as written ("Rtd"), "DataTime", "" for kPlain / kOther.
std::string_view item_field_name(ItemField f);
// True for the fields whose value must be a number (Rtd Avg Min Max Cou Zs* Data DayData NightData RT RS).
bool is_numeric_field(ItemField f);

// One NAME=value of the CP area.
struct CpItem {
  std::string_view key;    // "a21026-Rtd", "DataTime", "RtdInterval"
  std::string_view code;   // "a21026", "SB1"; empty for plain keys
  std::string_view name;   // the part after the last '-' ("Rtd"), or the whole plain key
  std::string_view value;  // as sent
  ItemField field = ItemField::kPlain;
  std::optional<Decimal> number;  // exact value of numeric fields
  std::optional<Timestamp> time;  // parsed value of DataTime, SampleTime, SystemTime, ...
  uint16_t group = 0;   // index of the ';'-separated group this item is in (',' joins items of one group)
  uint32_t offset = 0;  // byte offset of the key in the frame
};

struct Header {
  std::string_view qn;  // 请求编码 (empty when absent)
  std::string_view st;  // 系统编码
  std::string_view cn;  // 命令编码
  std::string_view pw;  // 访问密码
  std::string_view mn;  // 设备唯一标识
  std::optional<Timestamp> qn_time;
  uint16_t command = 0;  // CN as a number
  std::optional<uint8_t> flag;
  std::optional<uint16_t> pnum;  // total packets (总包数)
  std::optional<uint16_t> pno;   // this packet's number, 1-based (包号)
  // HJ 212-2025 补传标志 RF: 1 = a re-sent packet; absent (nullopt) = not re-sent. Read only in 2025 frames
  // (elsewhere "RF" is an unknown header field). Placed after PNO, before CP (Fig. 4): UNCONFIRMED (S2 only).
  std::optional<uint8_t> rf;

  // The version the Flag bits say (no Flag: 2005). Message::version is the one the frame was checked as.
  ProtocolVersion version() const;
  bool resent() const { return rf && *rf == 1; }
  bool answer_needed() const { return flag && (*flag & kFlagAnswerNeeded); }
  // A part of a split message: the D bit is set and PNUM/PNO are present.
  bool split() const { return flag && (*flag & kFlagSplitPacket) && pnum && pno; }
};

// Where one CP item lies in its data segment: what the decoder keeps per item (12 bytes), from which CpItems
// builds the CpItem on demand. Offsets fit 16 bits: a data segment has at most 9999 bytes.
struct CpSpan {
  static constexpr uint16_t kNoDash = 0xFFFF;
  uint16_t key = 0;         // offset of the key in the data segment
  uint16_t key_size = 0;    // the value starts after the '=' at key + key_size
  uint16_t value_size = 0;  // bytes of the value
  uint16_t dash = kNoDash;  // index of the last '-' in the key (code-Suffix), or kNoDash for a plain key
  uint16_t group = 0;       // CpItem::group
  ItemField field = ItemField::kPlain;
};

// The CP items of a Message, in frame order. The decoder validates every item in one pass (so a Message that
// decoded without error has only well-formed items: numbers are decimals, times valid) but keeps only their
// spans; operator[] and iteration build each CpItem when it is read, parsing its number or time again from
// the validated text. Items are returned by value: `for (const CpItem& item : m.cp)` works as before, a
// pointer to an item does not outlive the expression. key(i), value(i), field(i) and group(i) read without
// building.
class CpItems {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = CpItem;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = CpItem;
    iterator() = default;
    CpItem operator*() const { return (*items_)[index_]; }
    iterator& operator++() {
      ++index_;
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++index_;
      return old;
    }
    bool operator==(const iterator& o) const { return index_ == o.index_ && items_ == o.items_; }

   private:
    friend class CpItems;
    iterator(const CpItems* items, size_t index) : items_(items), index_(index) {}
    const CpItems* items_ = nullptr;
    size_t index_ = 0;
  };

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  CpItem operator[](size_t i) const;
  CpItem front() const { return (*this)[0]; }
  CpItem back() const { return (*this)[size_ - 1]; }
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size_}; }

  std::string_view key(size_t i) const { return {segment_ + spans_[i].key, spans_[i].key_size}; }
  std::string_view value(size_t i) const {
    return {segment_ + spans_[i].key + spans_[i].key_size + 1, spans_[i].value_size};
  }
  ItemField field(size_t i) const { return spans_[i].field; }
  uint16_t group(size_t i) const { return spans_[i].group; }
  std::span<const CpSpan> spans() const { return {spans_.data(), size_}; }

 private:
  friend struct CpItemsAccess;     // the decoder (codec.cc) fills and rebases the spans
  const char* segment_ = nullptr;  // the data segment the spans point into
  uint32_t segment_offset_ = 0;    // where it starts in the frame
  // The first size_ spans are the items; the vector only grows (the decoder writes into room it sized once
  // per run of items, and a Message reused for the next frame keeps it).
  std::vector<CpSpan> spans_;
  size_t size_ = 0;
};

struct Message {
  std::string_view frame;         // the whole frame that was decoded
  std::string_view data_segment;  // 数据段
  uint16_t crc = 0;               // as stated in the frame
  Header header;
  std::optional<Timestamp> data_time;  // DataTime of the CP area, when present
  CpItems cp;
  std::vector<Deviation> deviations;  // every deviation accepted, in frame order
  // The version the frame was checked as: DecodeOptions::version when given (the registry wins), otherwise
  // header.version() from the Flag bits.
  ProtocolVersion version = ProtocolVersion::kHj212_2017;
  // The CP area was SM4-encrypted on the wire (HJ 212-2025 §6.4). Then `frame` and every view are into the
  // reconstructed PLAINTEXT frame (held by plaintext_frame), whose CRC is the one stated.
  enum class CpWireForm : uint8_t {
    kClear,    // not encrypted
    kBinary,   // form A: the ciphertext bytes in place (length field = bytes on the wire)
    kHexList,  // form B: "{0xE4,0x3E,...}" text then the clear tail
  };
  CpWireForm cp_form = CpWireForm::kClear;
  int8_t key_index = -1;  // which of DecodeOptions::keys decrypted it (0 = current, 1 = previous); -1 = none
  std::shared_ptr<std::string> plaintext_frame;  // reused between decodes (do not use directly)

  bool encrypted() const { return cp_form != CpWireForm::kClear; }

  // The first item with this key, or nullopt.
  std::optional<CpItem> find(std::string_view key) const;
  bool has(DeviationKind kind) const;
  void clear();
};

// What the receiver knows of one device, looked up by the MN of a frame's header (read in clear before the
// CRC is checked: the header is never encrypted): its configured protocol version and its SM4 session keys.
struct DeviceProfile {
  std::optional<ProtocolVersion> version;  // nullopt: "auto", from the Flag bits
  std::span<const CpKey> keys;             // current first, then previous ones in their grace; may be empty
};

// The receiver's per-device settings (the gateway's registry snapshot). Called on the decoding thread, at
// most once per candidate frame; the keys it gives must stay valid until the frame's decode returns.
class DeviceLookup {
 public:
  virtual ~DeviceLookup() = default;
  // Fills *out for this MN; false when the MN is unknown (then DecodeOptions::version and keys apply).
  virtual bool find(std::string_view mn, DeviceProfile* out) const = 0;
  // True when some device may send encrypted frames (then the stream reader frames those devices' candidates
  // by the length field alone; see StreamReader).
  virtual bool any_keys() const = 0;
};

// The MN of a frame's header ("MN=" after "##LLLL" or a ';', before "CP="), read without decoding anything
// else; nullopt when there is none before the CP area.
std::optional<std::string_view> header_mn(std::string_view frame);

struct DecodeOptions {
  Policy policy = Policy::strict();
  // Civil (Beijing) milliseconds since 1970-01-01 when the frame arrived; enables the clock-skew check.
  std::optional<int64_t> received_at_ms;
  // false: a frame may end right after its CRC (lines of a log file). Default: CR LF required.
  bool require_terminator = true;
  // The device's protocol version as configured (the registry); nullopt = from the Flag bits. When both are
  // known and differ, the frame is read as the configured version with a kFlagVersionMismatch deviation.
  std::optional<ProtocolVersion> version;
  // SM4 session keys to try on a frame whose CRC does not match in clear (current first, then previous), for
  // HJ 212-2025 encrypted CP areas. Caller-owned: must outlive the options. Empty: no decryption at all (and
  // the stream reader keeps its early drop of candidates holding a line feed; with keys it frames by the
  // length field only, since ciphertext may hold CR and LF).
  std::span<const CpKey> keys;
  // Per-device version and keys by the frame's MN (caller-owned, may be null). A device found there decodes
  // with its own version (when not auto) and its own keys instead of `version` and `keys`.
  const DeviceLookup* devices = nullptr;
};

// Decodes one complete frame. On error *out is left partly filled (header fields decoded so far).
// With options.keys, an encrypted 2025 frame (form A: binary ciphertext after "CP=&&", or form B: the
// "{0x..}" text; for form B the length field may count either the text sent or the plaintext, as the
// standard prints it) is decrypted and its CRC checked on the plaintext; the Message then views the
// plaintext frame (error offsets of form B frames are in the plaintext frame too).
FrameError decode_frame(std::string_view frame, const DecodeOptions& options, Message* out);
// Encrypts the CP area of a complete plaintext frame under key (form A: ciphertext bytes in place; length and
// CRC unchanged), or writes it as form B ("{0x..}" text, length field counting the text sent).
StatusOr<std::string> encrypt_frame(std::string_view plain_frame, const CpKey& key, bool hex_list = false);
// Parses a data segment alone (no CRC check): for the decoder, and to show the header of a frame that failed
// its CRC. segment_offset is where the segment starts in the frame, to report byte offsets. Segments over
// 65535 bytes (no frame has one) are refused with kOversize.
FrameError parse_data_segment(std::string_view segment, uint32_t segment_offset, const DecodeOptions& options,
                              Message* out);

namespace detail {
// parse_data_segment without its fast paths (the standard-header template and the common CP items): the
// reference the tests and the fuzz target compare it with (both must give the same Message and error on every
// input).
FrameError parse_data_segment_scalar(std::string_view segment, uint32_t segment_offset,
                                     const DecodeOptions& options, Message* out);

// The kernels of the fast CP-item path: each turns the CP area into bit masks (separators, ';', '=', '-',
// '.', digits; one bit per byte) from which the common items are checked without reading their bytes again.
// kScalar goes byte by byte (any CPU), kSse2 16 and kAvx2 32 bytes per step. parse_data_segment uses the best
// one the CPU runs (chosen once by CPUID).
enum class CpKernel : uint8_t { kScalar, kSse2, kAvx2 };
bool cp_kernel_available(CpKernel k);
CpKernel cp_kernel_in_use();
std::string_view cp_kernel_name(CpKernel k);  // "scalar", "sse2", "avx2"
// parse_data_segment with a given kernel, which must be available (for tests and benchmarks).
FrameError parse_data_segment_with(CpKernel k, std::string_view segment, uint32_t segment_offset,
                                   const DecodeOptions& options, Message* out);
}  // namespace detail

// A Message that owns its bytes: for queues and anything that outlives the receive buffer. Not copyable or
// movable (its views point into itself); hold it by unique_ptr.
class OwnedMessage {
 public:
  static std::unique_ptr<OwnedMessage> copy_of(const Message& m);
  OwnedMessage(const OwnedMessage&) = delete;
  OwnedMessage& operator=(const OwnedMessage&) = delete;
  const Message& message() const { return message_; }
  const std::string& frame() const { return frame_; }

 private:
  OwnedMessage() = default;
  std::string frame_;
  Message message_;
};

}  // namespace ecomon::hj212
