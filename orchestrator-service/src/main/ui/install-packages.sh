#!/usr/bin/env bash
# Installs the ops UI's front-end packages exactly as package-lock.json pins them, from the npm
# registry (or npm's cache), with no install scripts run. Node.js and npm come from the machine, or
# from Debian's packages when it has none (as root).
set -euo pipefail
if ! command -v npm >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends nodejs npm
fi
# Unchanged packages are not installed again: a copy of the lock file marks what is installed.
if cmp -s package-lock.json node_modules/.installed-lock.json 2>/dev/null; then
  exit 0
fi
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
cp package-lock.json node_modules/.installed-lock.json
