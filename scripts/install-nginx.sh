#!/usr/bin/env bash
# Installs Debian's nginx when it is missing (used by test/serve-nginx.test.ts and by the scale-out example in
# docs/serve.md). Only the binary is needed: the test runs nginx as a foreground child with its own temporary
# config and prefix, so the package's own service is stopped and disabled if the install started it.
set -euo pipefail

if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-nginx: nginx is missing and installing it needs root (apt-get install nginx)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101 tells Debian's maintainer scripts not to start the service during the install.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  created_policy=1
fi
cleanup() { if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends nginx >/dev/null
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]
echo "install-nginx: $(/usr/sbin/nginx -v 2>&1)" >&2
