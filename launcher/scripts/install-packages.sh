#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Slipway needs that are missing, as root with apt-get; without root (or
# apt-get) it names them and fails. `runtime`: what `./slipway up` needs to run sandboxed builds and dynos;
# `cluster`: that plus HAProxy (`./slipway cluster up`); `test`: that plus what the test suite needs. Installs
# nothing when everything is present.
set -euo pipefail
MODE=${1:-runtime}
need=()
want() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ] || need+=("$2"); }
want git git
want runc runc
want ip iproute2          # dynos' and builds' network namespaces
want nft nftables         # their firewall and NAT
want mkfs.ext4 e2fsprogs  # the sized /app of a dyno and a build's disk
want node nodejs          # the stack's Node.js (the nodejs buildpack)
want npm npm
want ssh-keygen openssh-client
# Dockerfile deploys (docs/dockerfile-deploys.md): Buildah builds images (fuse-overlayfs: its overlay storage
# without kernel overlay in a container); mmdebstrap makes the default base image heroku-24 (a Debian 12
# minbase) once, from the Debian mirror; building Debian on Ubuntu needs Debian's archive keys
want buildah buildah
want fuse-overlayfs fuse-overlayfs
want mmdebstrap mmdebstrap
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)
# add-ons: the apps' PostgreSQL server (heroku-postgresql), psql/pg_dump/pg_restore (pg:psql, backups), Redis
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
want pg_dump postgresql-client
want redis-server redis-server
# the multi-node cluster on one machine (`./slipway cluster up`, and its tests) balances with HAProxy
if [ "$MODE" = test ] || [ "$MODE" = cluster ]; then want haproxy haproxy; fi
if [ "$MODE" = test ]; then
  want javac openjdk-17-jdk-headless
  want mvn maven          # the Java buildpack builds apps with the stack's Maven
  want socat socat        # acceptance tests relay a test server to sandboxed builds ("the internet")
  # image tests build their tiny images from a static busybox; ACM tests run a real ACME server (pebble)
  { [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; } || need+=(busybox-static)  # static: no libraries
  want pebble pebble
  # the registry-mirror tests start their own registry on a free loopback port (docs/dockerfile-deploys.md)
  want docker-registry docker-registry
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing prerequisites: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # docker-registry's package would start its own service on :5000 (every interface, no auth): a policy-rc.d
  # (honoured by invoke-rc.d and deb-systemd-invoke) keeps it from starting during the install, with or without
  # systemd, and it is disabled for the next boot afterwards
  policy=""
  if [[ " ${need[*]} " == *" docker-registry "* ]] && [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
  if [[ " ${need[*]} " == *" docker-registry "* ]]; then
    systemctl disable docker-registry.service >/dev/null 2>&1 \
      || rm -f /etc/systemd/system/multi-user.target.wants/docker-registry.service
    update-rc.d docker-registry disable >/dev/null 2>&1 || true
    if [ -d /run/systemd/system ]; then systemctl stop docker-registry.service >/dev/null 2>&1 || true; fi
  fi
  if [ -n "$policy" ]; then rm -f "$policy"; trap - EXIT; fi
else
  echo "missing prerequisites: ${need[*]} (install them, or run as root on Debian/Ubuntu)" >&2
  exit 1
fi
