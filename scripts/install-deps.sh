#!/usr/bin/env bash
# Installs every Debian package ecomon needs (scripts/packages.txt), and nothing already there.
# Usage: scripts/install-deps.sh            (as root, or with sudo available)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
list="$here/packages.txt"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
while IFS= read -r line; do
  line=${line%%#*}; line=$(echo "$line" | xargs)
  [ -z "$line" ] && continue
  pkg=${line%%=*}
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$line")
  fi
done < "$list"

# The dashboard (web/): npm packages pinned in web/package-lock.json, then its build into web/dist.
web_deps() {
  local web="$here/../web"
  [ -f "$web/package.json" ] || return 0
  if ! command -v npm >/dev/null; then echo "install-deps: npm missing, dashboard not built" >&2; return 0; fi
  if [ ! -d "$web/node_modules" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error) ||
      { echo "install-deps: npm ci failed in web/; the dashboard is not built (the API still works)" >&2; return 0; }
  fi
  (cd "$web" && npm run --silent build) || echo "install-deps: the dashboard build failed" >&2
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  web_deps
  exit 0
fi

echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]%%=*}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/ecomon-apt.log 2>&1; then
  echo "install-deps: a pinned version is not served any more; installing the current bookworm versions" >&2
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]%%=*}" >>/tmp/ecomon-apt.log 2>&1 || {
    tail -20 /tmp/ecomon-apt.log >&2; exit 1; }
fi
echo "install-deps: done"
web_deps
