#!/usr/bin/env bash
# `./slipway test`: installs the OS packages the test suite needs when they are missing (Debian/Ubuntu, as root),
# installs the stock heroku CLI the acceptance tests drive (from npm, into $SLIPWAY_CACHE_DIR, default
# ~/.cache/slipway), then runs every module's tests with the Maven wrapper. Every install happens here, before
# Maven starts: no test installs anything.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v git >/dev/null || need+=(git)
command -v runc >/dev/null || need+=(runc)
command -v ip >/dev/null || need+=(iproute2)          # dynos' and builds' network namespaces
command -v nft >/dev/null || need+=(nftables)         # their firewall and NAT
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)  # the sized /app of a dyno
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
command -v ssh-keygen >/dev/null || need+=(openssh-client)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)   # the Java buildpack builds apps with the stack's Maven
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing test prerequisites: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}"
  else
    echo "missing test prerequisites: ${need[*]} (install them, or run as root on Debian/Ubuntu)" >&2
    exit 1
  fi
fi

launcher/scripts/install-heroku-cli.sh >/dev/null

exec ./mvnw -B -ntp verify "$@"
