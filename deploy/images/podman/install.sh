#!/usr/bin/env bash
# Installs podman and runc from Debian's packages when they are missing (as root, as on these
# machines); the tests run it before their first podman command.
set -euo pipefail
if command -v podman >/dev/null && command -v runc >/dev/null; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q podman runc
