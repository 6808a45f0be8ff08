#!/usr/bin/env bash
# Installs Prometheus from the machine's apt sources, as root, when missing: the dashboard tests
# run it (deploy/local/cli DashboardsIT) to evaluate every panel's query against the services.
set -euo pipefail
if command -v prometheus >/dev/null; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# The package's service is not started: there is no init system to start it, and the tests start
# their own Prometheus on a free loopback port.
apt-get install -y -q --no-install-recommends prometheus
