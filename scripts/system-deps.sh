#!/usr/bin/env bash
# System packages the tests use, from Debian's registry: the sample's CJK font and a
# headless Chromium (with its driver) for the report test. Installed only when missing,
# and only where apt-get can run; elsewhere the tests that need them skip (outside CI).
set -u
need=()
test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || need+=(fonts-wqy-microhei)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
[ ${#need[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing ${need[*]}"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "note: missing ${need[*]} (install them with apt-get); the tests that need them will skip" >&2
fi
exit 0
