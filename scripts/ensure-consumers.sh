#!/usr/bin/env bash
# Installs the real consumers the tests check our output against, when missing: promtool and
# the Prometheus server (Debian `prometheus`), the Pushgateway (`prometheus-pushgateway`), the
# Python parser (`python3-prometheus-client`) and a browser for the status page (`chromium`).
# Stops with a clear message when it cannot.
set -euo pipefail

PYTHON=${PROMLITE_PYTHON:-/usr/bin/python3}
packages=()
command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || packages+=(prometheus)
command -v prometheus-pushgateway >/dev/null 2>&1 || packages+=(prometheus-pushgateway)
"$PYTHON" -c 'import prometheus_client.parser, prometheus_client.openmetrics.parser' >/dev/null 2>&1 || packages+=(python3-prometheus-client)
[ -x /usr/bin/chromium ] || packages+=(chromium)
[ ${#packages[@]} -eq 0 ] && exit 0

explain() {
  echo "promlite tests need: ${packages[*]} (Debian packages)." >&2
  echo "Install them with: apt-get update && apt-get install -y --no-install-recommends ${packages[*]}" >&2
  exit 1
}
command -v apt-get >/dev/null 2>&1 || explain
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=sudo; else explain; fi
else
  SUDO=
fi

echo "Installing ${packages[*]} (Debian) for the real-consumer tests..."
# Keep the packaged services from starting on install: tests start their own on free ports.
policy=/usr/sbin/policy-rc.d
placed_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  placed_policy=1
fi
cleanup() { if [ "$placed_policy" = 1 ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT
$SUDO apt-get update -qq || explain
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null || explain
