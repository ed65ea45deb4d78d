// HJ 212 frame encoders: answers a host sends (9011 请求应答, 9012 执行结果, 9013 通知应答, 9014 数据应答),
// the common downstream commands (1011/1012 time, 1061-1064 intervals, 3020 device info) and uploads a field
// device (or the simulator) sends (2011 real-time, 2051 minute, 2061 hourly, 2031 daily, 2021 equipment
// status, ...). Every frame comes out complete: "##" + length + data segment + CRC16 (standard algorithm,
// upper-case) + CR LF.
//
//   hj212::CommandTarget t{.qn = "20160801085857223", .st = "32", .pw = "100000",
//                          .mn = "010000A8900016F000169DC0"};
//   StatusOr<std::string> f = hj212::encode_set_rtd_interval(t, 30);
//   // "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
//   // "CP=&&RtdInterval=30&&1C80\r\n"
//
// Inputs are string_views the caller keeps alive for the call; results are owned strings. Pure, thread-safe.
// Invalid input (a value containing ';' '=' ',' '&', a QN that is not 17 digits, an interval outside the
// standard's range, a frame over the length limit) is an InvalidArgument status, never an exception.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ingest/hj212/codec.h"

namespace ecomon::hj212 {

// 请求命令返回 (Table 7).
enum class QnRtn : uint16_t {
  kReady = 1,
  kRejected = 2,
  kPasswordError = 3,
  kMnError = 4,
  kStError = 5,
  kFlagError = 6,
  kQnError = 7,
  kCnError = 8,
  kCrcError = 9,
  kUnknownError = 100,
};
// 执行结果 (Table 6).
enum class ExeRtn : uint16_t {
  kSuccess = 1,
  kFailed = 2,
  kConditionError = 3,
  kTimeout = 4,
  kBusy = 5,
  kSystemFault = 6,
  kNoData = 100,
};

// Well-known CN values.
inline constexpr uint16_t kCnGetTime = 1011, kCnSetTime = 1012, kCnTimeCalibrationRequest = 1013;
inline constexpr uint16_t kCnGetRtdInterval = 1061, kCnSetRtdInterval = 1062;
inline constexpr uint16_t kCnGetMinInterval = 1063, kCnSetMinInterval = 1064;
inline constexpr uint16_t kCnRealTimeData = 2011, kCnEquipmentStatus = 2021, kCnDailyData = 2031;
inline constexpr uint16_t kCnEquipmentRunTime = 2041, kCnMinuteData = 2051, kCnHourlyData = 2061;
inline constexpr uint16_t kCnDeviceInfo = 3020;
inline constexpr uint16_t kCnRequestAnswer = 9011, kCnExecutionResult = 9012, kCnNoticeAnswer = 9013,
                          kCnDataAnswer = 9014;
inline constexpr std::string_view kStSystemInteraction = "91";  // 系统交互
// New in HJ 212-2025 (11_hj212_2025.md §1.5).
inline constexpr uint16_t kCnHardwareSerials = 1001, kCnSetMn = 1002, kCnNewKey = 1014;
inline constexpr uint16_t kCnRawData = 2013, kCnNoiseSingle = 2052, kCnStandardCheckData = 2062;
inline constexpr uint16_t kCnFurnaceTemperature = 2111, kCnSampleNow = 3022, kCnStartStandardCheck = 3024;
inline constexpr uint16_t kCnCalibrate = 3011, kCnHeartbeat = 9015;

// The header of a frame to encode. Empty qn = no QN (2005 style); flag nullopt = no Flag.
// PNUM/PNO are written when flag has the D bit.
struct HeaderFields {
  std::string_view qn;
  std::string_view st;
  std::string_view cn;
  std::string_view pw;
  std::string_view mn;
  std::optional<uint8_t> flag = kFlagVersion2017;
  uint16_t pnum = 0;
  uint16_t pno = 0;
  // HJ 212-2025 补传标志: writes "RF=1;" after PNO (position UNCONFIRMED, S2 Fig. 4).
  bool resent = false;
};
// MN may be empty only in 2025 frames (flag version bits 2): CN 1001 from a device not yet assigned an MN,
// and the 9013 that answers it ("MN=;Flag=8", 11_hj212_2025.md §3.3 F1).

// Frames a data segment: "##" + 4-digit length + segment + CRC + CR LF. Fails above max_data_length.
StatusOr<std::string> frame_data_segment(std::string_view data_segment,
                                         size_t max_data_length = kStandardMaxDataLength);
// Header fields in the standard's order + "CP=&&" + cp_content + "&&", framed.
StatusOr<std::string> encode_frame(const HeaderFields& header, std::string_view cp_content,
                                   size_t max_data_length = kStandardMaxDataLength);
// Re-encodes a decoded message: header fields it had, in the standard's order; CP items with their groups;
// upper-case standard CRC. Identical to the input frame unless the input deviated in form (lower-case or
// Modbus CRC, header field order, empty CP items, duplicate keys, unknown header fields).
StatusOr<std::string> encode_message(const Message& message, size_t max_data_length = kLengthFieldMax);

// "yyyyMMddHHmmssSSS" for a QN.
std::string format_qn(const Timestamp& t);

// ---- Answers (field device <-> host), ST=91, Flag=4 (2017, no answer needed) ----
struct Peer {
  std::string_view pw;
  std::string_view mn;
  std::optional<uint8_t> flag = kFlagVersion2017;
};
StatusOr<std::string> encode_request_answer(std::string_view request_qn, const Peer& peer,
                                            QnRtn rtn);  // 9011
StatusOr<std::string> encode_execution_result(std::string_view request_qn, const Peer& peer,
                                              ExeRtn rtn);                                 // 9012
StatusOr<std::string> encode_notice_answer(std::string_view notice_qn, const Peer& peer);  // 9013
StatusOr<std::string> encode_data_answer(std::string_view upload_qn, const Peer& peer);    // 9014

// Answers in the device's version (11_hj212_2025.md §4.2): Flag = version bits, answer bit clear (8 for 2025,
// 4 for 2017); no Flag for a 2005 device (kOther: the bits of the request, answer bit clear).
std::optional<uint8_t> answer_flag(ProtocolVersion version);
// The Peer that answers `request`: its PW and MN, answer_flag(request.version). The Message must be alive.
Peer answer_peer(const Message& request);
// The answer a request asks for, in its version: 9013 to a notice (9015 heartbeat, 1001, 1013, 1014 from the
// field), 9014 to an upload (2xxx), 9011 QnRtn=1 to a command; nullopt when the Flag's answer bit is clear
// (the 9011+9012 of a command the host executes are the caller's).
StatusOr<std::optional<std::string>> encode_answer_to(const Message& request);

// ---- Downstream commands (host -> field device), Flag=5 (2017, answer needed) ----
struct CommandTarget {
  std::string_view qn;  // 17 digits; identifies the exchange
  std::string_view st;  // the device's system type
  std::string_view pw;
  std::string_view mn;
  std::optional<uint8_t> flag = kFlagVersion2017 | kFlagAnswerNeeded;
};
// 1011 提取现场机时间; pol_id may be empty (data acquisition unit itself).
StatusOr<std::string> encode_get_time(const CommandTarget& t, std::string_view pol_id = {});
// 1012 设置现场机时间.
StatusOr<std::string> encode_set_time(const CommandTarget& t, const Timestamp& system_time,
                                      std::string_view pol_id = {});
StatusOr<std::string> encode_get_rtd_interval(const CommandTarget& t);               // 1061
StatusOr<std::string> encode_set_rtd_interval(const CommandTarget& t, int seconds);  // 1062, 30..3600 s
StatusOr<std::string> encode_get_min_interval(const CommandTarget& t);               // 1063
StatusOr<std::string> encode_set_min_interval(const CommandTarget& t,
                                              int minutes);  // 1064, 1,2,3,4,5,6,10,12,15,20,30
// 3020 提取现场机信息: CP=&&PolId=..;InfoId=..[;BeginTime=..,EndTime=..]&& (PolId/InfoId layout as used by
// implementations; App. C of the standard was not transcribed in the spec: UNCONFIRMED).
StatusOr<std::string> encode_get_device_info(const CommandTarget& t, std::string_view pol_id,
                                             std::string_view info_id,
                                             std::optional<Timestamp> begin = std::nullopt,
                                             std::optional<Timestamp> end = std::nullopt);

// ---- HJ 212-2025 commands (host -> field device) and notices; 11_hj212_2025.md §1.5, strings as in S1 ----
// 1002 设置数采仪MN编码: t.mn is the MN being assigned; CP i23005-Info=<数采仪ID>.
StatusOr<std::string> encode_set_mn(const CommandTarget& t, std::string_view daq_id);
// 1014 上位机下发新密钥: CP SKCreateTime=<17 digits>,NewSK=<16 chars> (send it encrypted: encrypt_frame).
StatusOr<std::string> encode_new_key(const CommandTarget& t, std::string_view sk_create_time,
                                     std::string_view new_key);
// 3011 零点（量程）校准: CP PolId=..[,CalibrationType=0|1] (2025: 0 zero, 1 span, S1's enum order).
StatusOr<std::string> encode_calibrate(const CommandTarget& t, std::string_view pol_id,
                                       std::optional<int> calibration_type = std::nullopt);
StatusOr<std::string> encode_sample_now(const CommandTarget& t, std::string_view pol_id);            // 3022
StatusOr<std::string> encode_start_standard_check(const CommandTarget& t, std::string_view pol_id);  // 3024
// 9015 心跳包 (field side, for the simulator): empty CP; t.flag 9 asks for a 9013.
StatusOr<std::string> encode_heartbeat(const CommandTarget& t);

// ---- Uploads (field device -> host) ----
struct FieldValue {
  std::string_view name;   // "Rtd", "Avg", "Flag", "RS", ...
  std::string_view value;  // as it is to be written ("12.3", "N")
};
// One ';'-separated group: code-Name=value pairs joined by ','.
struct PollutantRecord {
  std::string_view code;  // "a21026", "SB1"
  std::vector<FieldValue> fields;
};
// CP=&&DataTime=yyyyMMddHHmmss;group;group...&&. header.cn must be an upload (2011 2021 2031 2041 2051 2061).
StatusOr<std::string> encode_upload(const HeaderFields& header, const Timestamp& data_time,
                                    std::span<const PollutantRecord> records,
                                    size_t max_data_length = kStandardMaxDataLength);
// The same, split into packets of at most max_data_length bytes (D bit, PNUM/PNO, same QN, DataTime in each).
// One packet (no D bit) when it fits. Fails when one record alone does not fit.
StatusOr<std::vector<std::string>> encode_upload_split(const HeaderFields& header, const Timestamp& data_time,
                                                       std::span<const PollutantRecord> records,
                                                       size_t max_data_length = kStandardMaxDataLength);

}  // namespace ecomon::hj212
