#!/usr/bin/env bash
# Installs kubectl (its built-in kustomize renders the manifests offline) when missing, from the
# machine's apt sources, as root; the manifest tests run it before their first kubectl command.
set -euo pipefail
if command -v kubectl >/dev/null; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q kubectl || apt-get install -y -q kubernetes-client
