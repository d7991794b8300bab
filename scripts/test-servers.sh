#!/usr/bin/env bash
# The servers the tests start besides PostgreSQL, from Debian's packages, installed when missing:
#   prometheus         scrapes `alquimia serve`'s /metrics (tests/Alquimia.Tests/Monitoring)
#   python3-aiosmtpd   an SMTP server that keeps what it receives in a mailbox folder, for the email alerts
#   chromium           the browser Playwright drives in the dashboard's tests (tests/Alquimia.Tests/Dashboard), by its
#                      executable path: Playwright never downloads a browser of its own
#   mariadb-server     the MySQL connector's source (tests/Alquimia.Tests/Ingestion/MySql), started by scripts/mariadb.sh
# The tests start and stop each of them themselves, on 127.0.0.1 only. Nothing runs as a service: the packages'
# own start at install is kept from happening.
# Besides them, from the npm registry, each at the version its package-lock.json pins: dt-sql-parser, whose SparkSQL
# grammar checks the SQL the Databricks deploy prints (tests/spark-sql-check), and TypeScript with SchemaStore's typing
# of Databricks' bundle schema, which checks the bundle's YAML (tests/bundle-schema-check).
# And s3rver, the S3-compatible server the S3 landing tests upload to and read from (tests/s3-server).
set -euo pipefail

tests="$(cd "$(dirname "$0")/.." && pwd)/tests"
for check in spark-sql-check:dt-sql-parser bundle-schema-check:typescript s3-server:s3rver; do
  folder="$tests/${check%%:*}"
  if [[ ! -d $folder/node_modules/${check#*:} ]]; then
    echo "Installing the npm packages of tests/${check%%:*}..." >&2
    npm ci --prefix "$folder" --no-audit --no-fund --loglevel=error >&2
  fi
done

missing=()
command -v prometheus >/dev/null || missing+=(prometheus)
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
{ command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]]; } || missing+=(mariadb-server mariadb-client)
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "The tests need ${missing[*]} and this user cannot install them: run 'sudo apt-get install -y ${missing[*]}' once." >&2
  exit 1
fi

echo "Installing ${missing[*]} from Debian's packages..." >&2
export DEBIAN_FRONTEND=noninteractive
policy=/usr/sbin/policy-rc.d created_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy && created_policy=1
fi
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
  || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; }
if [[ $created_policy -eq 1 ]]; then rm -f $policy; fi
