#!/usr/bin/env bash
# Installs Debian's Chromium and its ChromeDriver, as root, when missing: the ops UI tests drive
# them headless through Selenium (OpsUiIT). Nothing is downloaded by the test tools themselves.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends chromium chromium-driver
