#!/usr/bin/env bash
# Usage: ensure-debian-package.sh COMMAND PACKAGE — installs PACKAGE (Debian) when COMMAND is
# missing, or stops with the exact command to run when it cannot.
set -euo pipefail
command=$1
package=$2
command -v "$command" >/dev/null 2>&1 && exit 0
explain() {
  echo "$command is needed: install it with apt-get update && apt-get install -y --no-install-recommends $package" >&2
  exit 1
}
command -v apt-get >/dev/null 2>&1 || explain
SUDO=
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=sudo; else explain; fi
fi
echo "Installing $package (Debian) for $command..."
$SUDO apt-get update -qq || explain
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$package" >/dev/null || explain
