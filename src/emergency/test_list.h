// A small hand-worked reduction list for the emergency tests (kg/d figures in the comments).
#pragma once

#include "emergency/registry.h"

namespace ecomon::emergency::test {

inline constexpr int64_t kKg = 1000;  // grams per kg

// B-grade coke plant, one line: baseline SO2 100, NOx 200, PM 50, VOCs 10 kg/d; yellow cut 20 %
// (80/160/40/8), orange cut 50 % (50/100/25/5), red stop.
inline Enterprise coke_b() {
  Enterprise e{.id = "JC001", .name = "演示焦化", .county = "西山县", .industry = "焦化", .grade = Grade::kB};
  e.source_enterprise = "E03";
  Line l{.id = "L1",
         .name = "1#焦炉",
         .process = "炼焦",
         .baseline = {100 * kKg, 200 * kKg, 50 * kKg, 10 * kKg}};
  l.measures[0] = {MeasureKind::kCutProduction, 20, "", "限产20%", {80 * kKg, 160 * kKg, 40 * kKg, 8 * kKg}};
  l.measures[1] = {MeasureKind::kCutProduction, 50, "", "限产50%", {50 * kKg, 100 * kKg, 25 * kKg, 5 * kKg}};
  l.measures[2] = {MeasureKind::kStop, 0, "", "停产", {0, 0, 0, 0}};
  e.lines.push_back(l);
  return e;
}

}  // namespace ecomon::emergency::test
