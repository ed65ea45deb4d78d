// The services of pollution-source monitoring (污染源在线监控): devices and their newest uploads, events
// (stored or computed from the uploads), monthly transmission rates, downstream commands, and the
// monitoring a compliance check reads. Adapters: `ecomon sources
// devices|latest|events|rates|command|commands`, /api/sources/..., `ecomon emergency compliance` and
// /api/emergency/compliance.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/actor.h"
#include "core/status.h"
#include "emergency/compliance_period.h"
#include "sources/commands.h"
#include "sources/listings.h"
#include "store/api/stores.h"

namespace ecomon::app {

// Queues a command for a device the gateway knows. Only the bureau (admin, analyst) may: kPermissionDenied
// before anything is written; kInvalidArgument for a bad request (command_of), kNotFound for an unknown MN.
StatusOr<SourceCommand> enqueue_source_command(Stores& stores, const Actor& who, const CommandRequest& r,
                                               int64_t now_ms);
// The commands of one device ("" = all), newest first, at most `limit`.
StatusOr<std::vector<SourceCommand>> source_commands(Stores& stores, const Actor& who, const std::string& mn,
                                                     int64_t limit);

// The devices the gateway authenticates (MN, password, protocol, owner as registered there).
StatusOr<std::vector<DeviceRecord>> source_devices(Stores& stores, const Actor& who);
// The newest upload of each device for a CN (2011 real-time, 2051 minute, 2061 hourly, 2031 daily).
StatusOr<std::vector<SourceRecord>> latest_source_uploads(Stores& stores, const Actor& who, int cn);

// `sources events`: the events of [from, to] (from the first record when `from` is absent), of one device
// (`mn`, kNotFound when the registry does not hold it) or all. kStored: the gateway's live events as they
// stood at `to`; kComputed: judged again from the stored uploads; kAuto: stored when the gateway watched the
// whole period, else computed.
enum class EventSource { kAuto, kStored, kComputed };
struct SourceEventsRequest {
  std::optional<sources::SourceTime> from;
  sources::SourceTime to;
  std::string mn;
  EventSource source = EventSource::kAuto;
};
StatusOr<sources::EventList> source_events(Stores& stores, const Actor& who, const SourceEventsRequest& req);

// The hourly series (CN 2061) of one device over the `hours` hours ending at `to` (DataTime in
// (to - hours, to]): per pollutant the value judged against its limit (the standardised average where the
// outlet's limit is on that basis, else the measured average), its flag, and the limit in force on `to`'s
// day (none when the registry has none). kNotFound when the registry does not hold the device. The duty
// view's per-device 24-hour trends; adapter GET /api/sources/hourly.
struct DevicePoint {
  sources::SourceTime data_time;
  std::optional<Decimal> value;
  sources::DataFlag flag = sources::DataFlag::kNormal;
};
struct DeviceSeries {
  std::string pollutant;  // vocabulary code
  std::optional<Decimal> limit, lower;
  std::string unit;
  std::string basis;                // measured | standardised ("" without a limit)
  std::vector<DevicePoint> points;  // by DataTime
};
struct DeviceHourly {
  std::string mn;
  sources::SourceTime from, to;      // DataTime in (from, to]
  std::vector<DeviceSeries> series;  // by pollutant code
  int64_t undecodable = 0;           // stored uploads the codec could not read
};
StatusOr<DeviceHourly> device_hourly(Stores& stores, const Actor& who, const std::string& mn,
                                     sources::SourceTime to, int hours = 24);

// `sources rates`: the month's transmission rates of every device the gateway knows (those with registry
// details with their registration, stop periods and rated pollutants; the others expected all month), and of
// the registry's outlets and enterprises. `kind`: which uploads count (hourly, daily, minute, realtime).
struct SourceRatesRequest {
  MonthKey month;
  std::string month_text;  // as asked, "YYYY-MM"
  std::string kind = "hourly";
  // Now (Beijing civil time): when it falls inside the month, the rates are month to date, over the slots
  // that have ended by then (sources::RateParams::due_until). None: the whole month.
  std::optional<sources::SourceTime> now;
};
StatusOr<sources::RateList> source_rates(Stores& stores, const Actor& who, const SourceRatesRequest& req);

// The CN of a kind of uploads: 2011 real-time, 2051 minute, 2061 hourly, 2031 daily.
int upload_cn(sources::DataKind kind);

// The stored uploads as the domain's record source (each decoded again with the device's password; the ones
// the codec cannot read are counted in *undecodable): the rates and the emission totals read them so.
std::unique_ptr<sources::RecordSource> stored_record_source(Stores& stores, int64_t* undecodable);

// The online monitoring of source enterprises a compliance check reads (app/emergency.h): the registry
// (loaded on first use) and the hourly uploads (CN 2061) of each enterprise's gas outlets' devices, decoded
// again with each device's password. `stores` must outlive the reader.
MonitoringReader hj212_monitoring(Stores& stores);

}  // namespace ecomon::app
