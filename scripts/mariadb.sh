#!/usr/bin/env bash
# A throwaway MariaDB server for the tests and benchmarks, from Debian's packages.
#
#   scripts/mariadb.sh install          installs MariaDB from Debian's packages when it is missing
#   scripts/mariadb.sh start <folder>   installs MariaDB when missing, creates a server in <folder>, starts it on a free
#                                       port of 127.0.0.1, and prints its MySqlConnector connection string
#   scripts/mariadb.sh stop <folder>    stops that server and deletes <folder>
#
# The server listens on 127.0.0.1 only, with a user "alquimia" (password "alquimia": a test server) who may do
# everything, and keeps its socket in <folder>. The packages' own server is never started: ours runs from <folder>.
set -euo pipefail

command=${1:-}
folder=${2:-}
if [[ -z "$command" || ( "$command" != install && -z "$folder" ) ]]; then
  echo "usage: $0 install | start <folder> | stop <folder>" >&2
  exit 2
fi

install_mariadb() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "MariaDB is not installed and this user cannot install it: run 'sudo apt-get install -y mariadb-server' once." >&2
    exit 1
  fi
  echo "Installing MariaDB from Debian's packages (apt-get install mariadb-server)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  # The packages would start a server of their own as a service: keep them from it, ours is started below.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy && created_policy=1
  fi
  apt-get install -y -q --no-install-recommends mariadb-server mariadb-client >&2 \
    || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends mariadb-server mariadb-client >&2; }
  if [[ $created_policy -eq 1 ]]; then rm -f $policy; fi
}

ensure_installed() {
  if ! command -v mariadbd >/dev/null && [[ ! -x /usr/sbin/mariadbd ]]; then
    install_mariadb
  fi
  server=$(command -v mariadbd || echo /usr/sbin/mariadbd)
  if [[ ! -x $server ]]; then
    echo "mariadbd was not found after installing MariaDB." >&2
    exit 1
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $(( 20000 + RANDOM % 20000 ))
}

# The server runs as the folder's owner: as root, the "mysql" user the packages create, as mariadbd refuses root.
owner_options() {
  if [[ $(id -u) -eq 0 ]]; then echo "--user=mysql"; fi
}

case "$command" in
  install)
    ensure_installed
    "$server" --version
    ;;
  start)
    ensure_installed
    mkdir -p "$folder/data" "$folder/tmp"
    if [[ $(id -u) -eq 0 ]]; then chown -R mysql: "$folder"; fi
    # A test server: no durability on each commit, small buffers, the sql_mode and zone of a default server.
    cat > "$folder/my.cnf" <<EOF
[mariadbd]
datadir=$folder/data
tmpdir=$folder/tmp
socket=$folder/mariadb.sock
pid-file=$folder/mariadb.pid
log-error=$folder/server.log
bind-address=127.0.0.1
skip-name-resolve
innodb_flush_log_at_trx_commit=0
innodb_doublewrite=0
innodb_buffer_pool_size=256M
max_connections=100
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
default-time-zone=+00:00
EOF
    mariadb-install-db --defaults-file="$folder/my.cnf" $(owner_options) --auth-root-authentication-method=normal \
      --skip-test-db >"$folder/install.log" 2>&1 || { cat "$folder/install.log" >&2; exit 1; }

    for attempt in 1 2 3; do
      port=$(free_port)
      "$server" --defaults-file="$folder/my.cnf" $(owner_options) --port="$port" >/dev/null 2>&1 &
      for wait in $(seq 1 120); do
        if mariadb-admin --socket="$folder/mariadb.sock" -uroot ping >/dev/null 2>&1; then
          mariadb --socket="$folder/mariadb.sock" -uroot <<'SQL'
CREATE USER IF NOT EXISTS 'alquimia'@'127.0.0.1' IDENTIFIED BY 'alquimia';
CREATE USER IF NOT EXISTS 'alquimia'@'localhost' IDENTIFIED BY 'alquimia';
GRANT ALL PRIVILEGES ON *.* TO 'alquimia'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'alquimia'@'localhost' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS alquimia;
SQL
          echo "$port" > "$folder/port"
          echo "Server=127.0.0.1;Port=$port;User ID=alquimia;Password=alquimia;Database=alquimia"
          exit 0
        fi
        if [[ ! -e "$folder/mariadb.pid" ]] && (( wait > 20 )); then break; fi
        sleep 0.5
      done
      # Not up on this port (taken between the choice and the bind): stop what may have started, try another.
      [[ -e "$folder/mariadb.pid" ]] && kill "$(cat "$folder/mariadb.pid")" 2>/dev/null || true
      sleep 1
    done
    cat "$folder/server.log" >&2
    exit 1
    ;;
  stop)
    if [[ -e "$folder/mariadb.pid" ]]; then
      pid=$(cat "$folder/mariadb.pid")
      kill "$pid" 2>/dev/null || true
      for wait in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
      done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$folder"
    ;;
  *)
    echo "usage: $0 install | start <folder> | stop <folder>" >&2
    exit 2
    ;;
esac
