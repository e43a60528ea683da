#!/usr/bin/env bash
# Prints the path of a Chromium binary for crmkit's browser test (test/packaging/browser.test.ts),
# the only thing written to stdout, for example:
#
#   export CRMKIT_CHROMIUM="$(.ci/chromium.sh)"
#
# Installs Debian's chromium package when none is present (needs root). playwright-core drives
# it; playwright's own browser download is not used (its servers cannot be reached here).
set -euo pipefail

log() { printf '%s\n' "chromium.sh: $*" >&2; }

bin=/usr/bin/chromium
if [ ! -x "$bin" ]; then
  log "no Chromium found: installing Debian's chromium package"
  if [ "$(id -u)" -ne 0 ]; then log "need root to apt-get install chromium"; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium >&2
fi
log "$("$bin" --version 2>/dev/null || echo "$bin")"
printf '%s\n' "$bin"
