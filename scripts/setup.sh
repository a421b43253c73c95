#!/usr/bin/env bash
# Installs what Headland's demo and tests need on a fresh Debian machine (as root, with Node 20
# and npm already there), then installs npm dependencies and builds every package.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "setup: run as root: the lab builds network namespaces and starts routers" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "setup: Node.js 20 or later is needed (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  frr bird2 gobgpd exabgp nftables iproute2 iputils-ping arping tcpdump socat procps \
  python3 make g++ \
  buildah podman skopeo umoci runc conmon busybox-static \
  prometheus >/tmp/headland-apt.log 2>&1 || { tail -20 /tmp/headland-apt.log >&2; exit 1; }

# prometheus brings promtool (the rule checks in npm test) and the server the alerts suite runs on a
# port of its own. The package enables, and where services may start starts, a server on :9090:
# stop it and keep it off, so nothing in CI listens there.
systemctl disable prometheus.service >>/tmp/headland-apt.log 2>&1 || update-rc.d prometheus disable >>/tmp/headland-apt.log 2>&1 || true
if [ -d /run/systemd/system ]; then
  systemctl stop prometheus.service >>/tmp/headland-apt.log 2>&1 || true
elif [ -x /etc/init.d/prometheus ]; then
  /etc/init.d/prometheus stop >>/tmp/headland-apt.log 2>&1 || true
fi

# kubectl drives the test API server in the e2e suites and the demo. Debian's own
# kubernetes-client is old (1.20), so prefer a `kubectl` package where a repository offers one.
if ! command -v kubectl >/dev/null; then
  apt-get install -y -qq kubectl >>/tmp/headland-apt.log 2>&1 \
    || apt-get install -y -qq kubernetes-client >>/tmp/headland-apt.log 2>&1 \
    || { echo "setup: could not install kubectl" >&2; exit 1; }
fi

# Not `npm ci`: npm 11 leaves other platforms' optional binaries (@swc/core-*, unrs) out of
# package-lock.json (npm/cli#4828), and then `npm ci` refuses the lock as out of sync.
# `npm install` still installs the versions the lock pins.
npm install --no-audit --no-fund
npm run build
# npm links the workspaces' programs (headland, kubectl-headland, headland-lab, headland-apiserver,
# ...) into node_modules/.bin only once the files they point at exist, so link them after the
# build: then `npx headland validate -f ...` and `npx headland-lab demo` work from the root.
npm rebuild --ignore-scripts >/dev/null
