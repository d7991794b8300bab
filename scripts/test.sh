#!/usr/bin/env bash
# Runs every test of the solution and ends with one summary line: "N passed, N failed, N skipped".
# DuckDB comes with the DuckDB.NET.Data.Full NuGet package. The PostgreSQL tests
# start a throwaway server with scripts/postgres.sh; PostgreSQL is installed from Debian's packages first when missing.
# Prometheus and an SMTP server (scripts/test-servers.sh) are installed the same way.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/postgres.sh install || exit 1
bash scripts/test-servers.sh || exit 1

# DuckDB's allocator fills new and freed memory with junk bytes in the tests: memory read before it is written, or
# after it is freed, then fails at once instead of one run in ten (it found an appender bug that way).
export DUCKDB_JE_MALLOC_CONF=junk:true

log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet test Alquimia.sln --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-assembly lines: "Passed!  - Failed:     0, Passed:    42, Skipped:     0, Total:    42, ..."
awk '/(Passed|Failed)! +- Failed: / {
       gsub(",", ""); f += $4; p += $6; s += $8; seen = 1
     }
     END {
       if (seen) printf "%d passed, %d failed, %d skipped\n", p, f, s
       else print "0 passed, 0 failed (no test assembly reported a result)"
     }' "$log"
exit "$status"
