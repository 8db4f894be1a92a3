#!/usr/bin/env bash
# Installs Debian's chromium when it is missing (browser downloads are impossible here: playwright-core
# drives this one) and prints where it is. Used by scripts/test.sh: `eval "$(bash scripts/install-chromium.sh)"`.
set -euo pipefail
if ! command -v chromium >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
fi
echo "export TEST_CHROMIUM=$(command -v chromium)"
