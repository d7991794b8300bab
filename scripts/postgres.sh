#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and benchmarks, from Debian's packages.
#
#   scripts/postgres.sh install          installs PostgreSQL from Debian's packages when it is missing
#   scripts/postgres.sh start <folder>   installs PostgreSQL when missing, creates a cluster in <folder>, starts it on a
#                                        free port of 127.0.0.1, and prints its Npgsql connection string
#   scripts/postgres.sh restart <folder> stops that cluster as a crash would (immediate mode) and starts it again, same port
#   scripts/postgres.sh stop <folder>    stops that cluster and deletes <folder>
#
# The server listens on 127.0.0.1 only, trusts local connections (user "alquimia", no password: a test server) and
# keeps its socket in <folder>. wal_level is logical, so that CDC sources (postgres_cdc) can create replication slots. As root, the cluster belongs to the "postgres" user, as initdb refuses to run as root.
set -euo pipefail

command=${1:-}
folder=${2:-}
if [[ -z "$command" || ( "$command" != install && -z "$folder" ) ]]; then
  echo "usage: $0 install | start <folder> | restart <folder> | stop <folder>" >&2
  exit 2
fi

find_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [[ -n "$bin" && -x "$bin/pg_ctl" ]]; then
    echo "$bin"
  fi
}

install_postgres() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "PostgreSQL is not installed and this user cannot install it: run 'sudo apt-get install -y postgresql' once." >&2
    exit 1
  fi
  echo "Installing PostgreSQL from Debian's packages (apt-get install postgresql)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  # The packages would start a cluster of their own as a service: keep them from it, ours is started below.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy && created_policy=1
  fi
  apt-get install -y -q --no-install-recommends postgresql >&2 \
    || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends postgresql >&2; }
  if [[ $created_policy -eq 1 ]]; then rm -f $policy; fi
}

# Runs a command as the cluster's owner.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $(( 20000 + RANDOM % 20000 ))
}

ensure_installed() {
  bin=$(find_bin)
  if [[ -z "$bin" ]]; then
    install_postgres
    bin=$(find_bin)
  fi
  if [[ -z "$bin" ]]; then
    echo "PostgreSQL's programs were not found under /usr/lib/postgresql after installing it." >&2
    exit 1
  fi
}

case "$command" in
  install)
    ensure_installed
    "$bin/postgres" --version
    ;;
  start)
    ensure_installed

    mkdir -p "$folder"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$folder"; fi
    as_owner "$bin/initdb" -D "$folder/data" -U alquimia -A trust -E UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 \
      || { cat "$folder/initdb.log" >&2; exit 1; }

    for attempt in 1 2 3; do
      port=$(free_port)
      if as_owner "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
          -o "-c listen_addresses=127.0.0.1 -p $port -k $folder -c fsync=off -c full_page_writes=off -c max_connections=50 -c wal_level=logical -c max_replication_slots=40 -c max_wal_senders=40" start >&2; then
        echo "$port" > "$folder/port"
        echo "Host=127.0.0.1;Port=$port;Username=alquimia;Database=postgres"
        exit 0
      fi
    done
    cat "$folder/server.log" >&2
    exit 1
    ;;
  restart)
    bin=$(find_bin)
    as_owner "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -m immediate -w -t 60 restart >&2
    ;;
  stop)
    bin=$(find_bin)
    if [[ -n "$bin" && -d "$folder/data" ]]; then
      as_owner "$bin/pg_ctl" -D "$folder/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$folder"
    ;;
  *)
    echo "usage: $0 install | start <folder> | stop <folder>" >&2
    exit 2
    ;;
esac
