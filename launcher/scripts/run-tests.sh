#!/usr/bin/env bash
# `./slipway test`: installs the OS packages the test suite needs when they are missing (Debian/Ubuntu, as root),
# installs the stock heroku CLI the acceptance tests drive (from npm, into $SLIPWAY_CACHE_DIR, default
# ~/.cache/slipway), then runs every module's tests with the Maven wrapper. Every install happens here, before
# Maven starts: no test installs anything.
set -euo pipefail
cd "$(dirname "$0")/../.."

launcher/scripts/install-packages.sh test
launcher/scripts/install-heroku-cli.sh >/dev/null

exec ./mvnw -B -ntp verify "$@"
