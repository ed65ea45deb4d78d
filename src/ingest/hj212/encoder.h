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
};

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
