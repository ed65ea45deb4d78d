// Compact encoding of a block of hourly values (one station, one pollutant, one month) for the time-series
// store.
//
// Values are Milli (thousandths) with kMissing for gaps. A block stores the fewest decimals its values need
// (most air data are whole ug/m3, CO one or two decimals) and each value as a zigzag varint of the scaled
// value plus one, zero meaning missing: about 1.3 bytes per hourly value instead of 4.
//
//   std::string bytes = encode_block(values);
//   std::vector<Milli> back(values.size());
//   Status s = decode_block(bytes, back);   // exact round trip; kDataLoss on a corrupt block
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/decimal.h"
#include "core/status.h"

namespace ecomon {

std::string encode_block(std::span<const Milli> values);
// Decodes into `out`, whose size must equal the stored count.
Status decode_block(std::string_view bytes, std::span<Milli> out);
// The number of values a block holds (without decoding them), or an error for a corrupt header.
StatusOr<size_t> block_size(std::string_view bytes);

}  // namespace ecomon
