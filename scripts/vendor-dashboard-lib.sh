#!/usr/bin/env bash
# Re-fetches the dashboard's chart library (Chart.js, its UMD build) from the npm registry with `npm pack`, and checks
# that the file kept in src/Alquimia.Server/Dashboard/vendor/ is byte for byte the published one.
#   scripts/vendor-dashboard-lib.sh           check: fetch, compare, exit 1 on any difference
#   scripts/vendor-dashboard-lib.sh --update  write the fetched file and its licence, and print the new sha256 for VENDOR.md
# To move to another version: change VERSION and SHA256 below (and in VENDOR.md), run with --update, then the dashboard tests.
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=chart.js
VERSION=4.6.2
FILE=dist/chart.umd.min.js
# sha256 of $FILE in chart.js-4.6.2.tgz (the registry's own sha512 of the tarball is checked by npm pack).
SHA256=3f288f4f26882c26b58931fb586a9b4f30370b5de38d69dc005b0bd05b08e113
VENDOR=src/Alquimia.Server/Dashboard/vendor

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$NAME@$VERSION" >/dev/null && tar xzf ./*.tgz)

fetched=$(sha256sum "$work/package/$FILE" | cut -d' ' -f1)
if [[ $fetched != "$SHA256" ]]; then
  echo "$NAME@$VERSION's $FILE has sha256 $fetched, not the $SHA256 this script expects: the published file changed, or VERSION did." >&2
  [[ ${1:-} == --update ]] || exit 1
fi

if [[ ${1:-} == --update ]]; then
  cp "$work/package/$FILE" "$VENDOR/chart.umd.min.js"
  cp "$work/package/LICENSE.md" "$VENDOR/chart.js.LICENSE.md"
  echo "Wrote $VENDOR/chart.umd.min.js ($NAME@$VERSION, sha256 $fetched): record it in $VENDOR/VENDOR.md and in SHA256 above."
  exit 0
fi

kept=$(sha256sum "$VENDOR/chart.umd.min.js" | cut -d' ' -f1)
if [[ $kept != "$SHA256" ]] || ! cmp -s "$work/package/LICENSE.md" "$VENDOR/chart.js.LICENSE.md"; then
  echo "$VENDOR/chart.umd.min.js (sha256 $kept) or its licence is not $NAME@$VERSION's as published: run $0 --update." >&2
  exit 1
fi

echo "$VENDOR/chart.umd.min.js is $NAME@$VERSION's $FILE (sha256 $SHA256)."
