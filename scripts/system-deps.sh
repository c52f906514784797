#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium (the browser tests drive /usr/bin/chromium through
# Playwright; never `playwright install`, which downloads a browser) and CJK fonts (Chinese pages
# and screenshots), plus PostgreSQL 15 for the second test run. Installs only what is missing and
# runs `apt-get update` only then, non-interactively, so a prepared machine pays nothing.
set -euo pipefail

missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed" \
  || missing+=(fonts-noto-cjk)
if ! command -v initdb >/dev/null && [[ ! -x /usr/lib/postgresql/15/bin/initdb ]]; then
  missing+=(postgresql-15)
fi

if ((${#missing[@]} == 0)); then
  echo "system-deps: chromium, fonts-noto-cjk and PostgreSQL 15 present"
  exit 0
fi

echo "system-deps: installing ${missing[*]}"
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then
    SUDO=(sudo -n)
  else
    echo "system-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 update -q
"${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}" </dev/null
