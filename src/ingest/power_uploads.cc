#include "ingest/power_uploads.h"

#include <limits>
#include <map>

#include "sources/stored_upload.h"

namespace ecomon {

StatusOr<PowerUploadsResult> power_readings_from_uploads(Stores& stores, sources::SourceTime from,
                                                         sources::SourceTime to) {
  PowerUploadsResult out;
  if (!(from < to)) return out;
  auto lines = stores.power().lines("");
  if (!lines.ok()) return lines.status();
  std::map<std::string, std::vector<const PowerLineRow*>> by_mn;
  for (const PowerLineRow& l : *lines) {
    if (!l.mn.empty() && !l.code.empty()) by_mn[l.mn].push_back(&l);
  }
  if (by_mn.empty()) return out;
  auto devices = stores.sources().devices();
  if (!devices.ok()) return devices.status();
  std::map<std::string, std::string> passwords;
  for (const DeviceRecord& d : *devices) passwords[d.mn] = d.password;
  std::vector<PowerReadingRow> rows;
  for (const auto& [mn, mn_lines] : by_mn) {
    auto pw = passwords.find(mn);
    if (pw == passwords.end()) {
      out.problems.push_back(mn + ": power module not registered as a device");
      continue;
    }
    // [from, to): DataTime digits up to the second before `to`.
    auto records = stores.sources().source_records(mn, 2011, from.to_digits(), (to - 1).to_digits(),
                                                   std::numeric_limits<int64_t>::max());
    if (!records.ok()) return records.status();
    for (const SourceRecord& rec : *records) {
      ++out.uploads;
      auto m = monitoring_record(rec, pw->second);
      if (!m.ok()) {
        out.problems.push_back(mn + " " + std::to_string(rec.data_time) + ": " + m.status().message());
        continue;
      }
      for (const PowerLineRow* l : mn_lines) {
        const sources::PollutantValue* v = m->find(l->code);
        if (v == nullptr || !v->rtd || v->flag != sources::DataFlag::kNormal) {
          ++out.values_skipped;
          continue;
        }
        rows.push_back({l->line, m->data_time, v->rtd->to_string()});
      }
    }
  }
  auto outcomes = stores.power().write_readings(rows);
  if (!outcomes.ok()) return outcomes.status();
  for (size_t i = 0; i < outcomes->size(); ++i) {
    const PowerWriteOutcome& o = (*outcomes)[i];
    if (o.kind == PowerWriteOutcome::Kind::kNew) {
      ++out.readings_new;
    } else if (o.kind == PowerWriteOutcome::Kind::kSame) {
      ++out.readings_same;
    } else {
      ++out.conflicts;
      out.problems.push_back(rows[i].line + " " + std::to_string(rows[i].at.to_digits()) + ": " + rows[i].kw +
                             " kW differs from the stored " + o.stored + " (kept)");
    }
  }
  return out;
}

}  // namespace ecomon
