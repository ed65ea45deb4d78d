#!/usr/bin/env bash
# Runs every libFuzzer target built by `cmake --preset fuzz` for a bounded time each (default 60 s), starting from
# the seed corpus in fuzz/corpus (copied, so the repository is never written). A crash fails the run and leaves the
# reproducer under build/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shopt -s nullglob
targets=(build/fuzz/fuzz/*_fuzz)
if [ ${#targets[@]} -eq 0 ]; then
  echo "run-fuzz: no fuzz targets built" >&2
  exit 1
fi
mkdir -p build/fuzz/artifacts
for t in "${targets[@]}"; do
  name=$(basename "$t")
  work=build/fuzz/corpus-$name
  mkdir -p "$work"
  cp -n fuzz/corpus/* "$work/" 2>/dev/null || true
  echo "fuzzing $name for ${seconds}s"
  "$t" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/ "$work" 2>&1 | tail -n 12
done
