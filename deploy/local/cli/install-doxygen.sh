#!/usr/bin/env bash
# Installs Debian's Doxygen, as root, when missing: DoxygenBenchmark documents the same tree with
# it, side by side with Autodoc, as the reference for how fast documentation can be.
set -euo pipefail
if command -v doxygen > /dev/null; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends doxygen
