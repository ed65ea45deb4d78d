#!/usr/bin/env bash
# Instructions per frame of the HJ 212 codec, load-independent: runs hj212_codec_count under callgrind for 100
# and for 300 rounds of the 100-frame mix and divides the difference by the 20,000 extra frames (so start-up and
# the building of the mix cancel out).
#   bench/hj212/codec_instructions.sh [BUILD_DIR]     # default build/release; prints decode and stream figures
set -euo pipefail
build=${1:-build/release}
count=$build/bench/hj212/hj212_codec_count
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
total() {  # mode rounds -> total instructions
  valgrind --tool=callgrind --callgrind-out-file="$tmp/out" "$count" "$1" "$2" >/dev/null 2>"$tmp/log"
  sed -n 's/^summary: //p' "$tmp/out"
}
for mode in decode stream; do
  low=$(total "$mode" 100)
  high=$(total "$mode" 300)
  echo "$mode: $(((high - low) / 20000)) instructions per frame"
done
