#!/usr/bin/env bash
# Fails when a C++ source differs from .clang-format (clang-format 14, what Debian 12 ships). Run by ./test.
# Fix with: git ls-files '*.cc' '*.h' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then echo "check-format: clang-format missing (scripts/install-deps.sh)" >&2; exit 2; fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cc' '*.h')
else
  mapfile -t files < <(find src bench fuzz tests -name '*.cc' -o -name '*.h' 2>/dev/null)
fi
if ! clang-format --dry-run -Werror "${files[@]}" 2>/tmp/check-format.$$; then
  grep -E '^[^ ].*(warning|error):' /tmp/check-format.$$ | head -20 >&2
  echo "check-format: $(grep -cE '(warning|error):' /tmp/check-format.$$ || true) line(s) differ from .clang-format in" \
       "$(grep -E '(warning|error):' /tmp/check-format.$$ | cut -d: -f1 | sort -u | wc -l) file(s)" >&2
  rm -f /tmp/check-format.$$; exit 1
fi
rm -f /tmp/check-format.$$
echo "check-format: ${#files[@]} files formatted as .clang-format says"
