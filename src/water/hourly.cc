#include "water/hourly.h"

#include <algorithm>

#include "standards/water/exact.h"

namespace ecomon::water {

StatusOr<std::vector<WaterHour>> classify_hours(std::span<const HourValues> hours, WaterBody body,
                                                const Gb3838Params& p) {
  std::vector<WaterHour> out;
  out.reserve(hours.size());
  for (const HourValues& h : hours) {
    std::vector<std::pair<Measurement, std::string>> read;
    WaterHour w{.hour = h.hour};
    for (const auto& [key, text] : h.values) {
      auto item = item_by_name(key);
      if (!item)
        return Status(StatusCode::kDataLoss,
                      "hour " + h.hour.to_string() + ": item '" + key + "' is not a GB 3838 item");
      auto v = exact::parse(text);
      if (!v)
        return Status(StatusCode::kDataLoss, "hour " + h.hour.to_string() + ", item " + key + ": value '" +
                                                 text + "' is not a decimal");
      read.push_back({{*item, *v}, text});
    }
    // In the standard's item order (the store keeps them by key).
    std::stable_sort(read.begin(), read.end(), [](const auto& a, const auto& b) {
      return static_cast<int>(a.first.item) < static_cast<int>(b.first.item);
    });
    std::vector<Measurement> m;
    for (auto& [measurement, text] : read) {
      m.push_back(measurement);
      w.texts.push_back(std::move(text));
    }
    w.result = classify_section(m, body, p);
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace ecomon::water
