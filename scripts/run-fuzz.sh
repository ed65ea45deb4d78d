#!/usr/bin/env bash
# Runs every libFuzzer target built by `cmake --preset fuzz` for its share of a bounded time (default 60 s in
# all, split evenly between the targets, at least 5 s each), each starting from its seed corpus
# fuzz/corpus/<target without _fuzz>/ (copied, so the repository is never written). A crash fails the run and
# leaves the reproducer under build/fuzz/artifacts/.
#
#   scripts/run-fuzz.sh        # 60 s in all
#   scripts/run-fuzz.sh 600    # 600 s in all
set -euo pipefail
cd "$(dirname "$0")/.."
total=${1:-60}
min_share=5
shopt -s nullglob
targets=(build/fuzz/fuzz/*_fuzz)
if [ ${#targets[@]} -eq 0 ]; then
  echo "run-fuzz: no fuzz targets built" >&2
  exit 1
fi
share=$(( total / ${#targets[@]} ))
if [ "$share" -lt "$min_share" ]; then share=$min_share; fi
mkdir -p build/fuzz/artifacts
for t in "${targets[@]}"; do
  name=$(basename "$t")
  work=build/fuzz/corpus-$name
  mkdir -p "$work"
  seeds=fuzz/corpus/${name%_fuzz}
  if [ -d "$seeds" ]; then cp -n "$seeds"/* "$work/" 2>/dev/null || true; fi
  echo "fuzzing $name for ${share}s"
  "$t" -max_total_time="$share" -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/ "$work" 2>&1 | tail -n 12
done
