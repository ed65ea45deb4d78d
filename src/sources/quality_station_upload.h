// HJ 212 uploads of surface-water automatic stations (ST 21) and noise stations (ST 23) read as values in the
// units of the quality CSV templates (issue 19, the first step of routing them; not wired into the gateway
// yet: docs/gateway.md says what is missing). Codes and units are the code table's (hj212_codes.csv, HJ
// 212-2017 Appendix B.1 water, B.3 noise); the target unit is GB 3838's (water/standards gb3838.h: mg/L, pH
// none, ℃, fecal coliform 个/L) and dB(A) for noise:
//
//   code    item (gb3838 key)  code table unit   factor      code    noise index  unit
//   w01001  pH                 无量纲             × 1         LA      LA           dB   × 1
//   w01009  DO                 mg/L              × 1         Leq     Leq          dB   × 1
//   w01010  water_temperature  ℃                 × 1         L10     L10          dB   × 1
//   w01019  CODMn              mg/L              × 1         L50     L50          dB   × 1
//   w01018  COD                mg/L              × 1         L90     L90          dB   × 1
//   w01017  BOD5               mg/L              × 1         LMx     Lmax         dB   × 1
//   w21003  NH3_N              mg/L              × 1         LMn     Lmin         dB   × 1
//   w21011  TP                 mg/L              × 1         Ld      Ld           dB   × 1
//   w21001  TN                 mg/L              × 1         Ln      Ln           dB   × 1
//   w20122  Cu (总铜)           mg/L              × 1
//   w20123  Zn (总锌)           mg/L              × 1
//   w21017  F                  mg/L              × 1
//   w20128  Se (总硒)           µg/L              ÷ 1000
//   w20119  As (总砷)           µg/L              ÷ 1000
//   w20111  Hg (总汞)           µg/L              ÷ 1000
//   w20115  Cd (总镉)           µg/L              ÷ 1000
//   w20117  Cr6 (六价铬)        µg/L              ÷ 1000
//   w20120  Pb (总铅)           µg/L              ÷ 1000
//   w21016  CN                 mg/L              × 1
//   w23002  volatile_phenol    mg/L              × 1
//   w22001  petroleum          mg/L              × 1
//   w19002  LAS                mg/L              × 1
//   w21019  sulfide            mg/L              × 1
//   w02003  fecal_coliform     个/L              × 1
//
// Every unit above is the code table's, whose rows for B.1 and B.3 are parsed from the standard's text
// (source_check in hj212_codes.csv). UNCONFIRMED, and so marked in the table (QualityStationCode::confirmed):
// which of the paired metal codes an automatic station sends — the table has both 总铜 w20122 (mg/L) and 铜
// w20138 (mg/L), 总砷 w20119 (µg/L) and 砷 w20141 (mg/L), 总汞 w20111 and 汞 w20142 (both µg/L), 总镉
// w20115 and 镉 w20143 (both µg/L), 总铅 w20120 (µg/L) and 铅 w20144 (mg/L), 总硒 w20128 (µg/L) and 硒
// w20140 (mg/L). Both of each pair are read (into GB 3838's total metal), each in its own unit.
//
// Values: only those flagged N are taken; negative values are skipped (water temperature excepted), like
// air's (sources/station_upload.h). An hourly upload (CN 2061) names the hour it starts (the hour ending one
// later); a real-time upload (CN 2011) is *provisional*: its value stands for the hour it was taken in until
// that hour's 2061 arrives. Minute (2051) and daily (2031) uploads are not read here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "core/time.h"
#include "sources/record.h"

namespace ecomon::sources {

enum class QualityStationKind { kWater, kNoise };  // ST 21, ST 23

struct QualityStationCode {
  std::string_view code;  // HJ 212: "w21003", "Leq"
  std::string_view item;  // gb3838 key ("NH3_N") or noise index ("Leq")
  int64_t num = 1;        // code table unit -> template unit: × num / den
  int64_t den = 1;
  bool confirmed = true;  // false: see the header's UNCONFIRMED list
};
std::optional<QualityStationCode> quality_station_code(QualityStationKind kind, std::string_view hj212_code);

struct QualityObservation {
  std::string item;  // as QualityStationCode::item
  Decimal value;     // in the template's unit, exact (a factor 1/1000 moves the decimal point)
};

struct QualityObservations {
  Hour hour;                               // the hour, named by its end
  bool provisional = false;                // from a real-time upload (2011)
  std::vector<QualityObservation> values;  // in code order of the upload
  int64_t skipped = 0;  // flagged other than N, or negative (codes not in the table are ignored)
};

// kInvalidArgument for another kind of upload (minute, daily, ...) or an hourly DataTime not on the hour.
StatusOr<QualityObservations> quality_station_observations(const MonitoringRecord& record,
                                                           QualityStationKind kind);

}  // namespace ecomon::sources
