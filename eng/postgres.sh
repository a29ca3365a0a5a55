#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for Sync.Crdt's tests and benchmarks: loopback only, in a temporary directory,
# on a free port, run as an unprivileged user. CI (.ci/run) uses it; developers can run it by hand:
#
#   eval "$(eng/postgres.sh start)"     # installs PostgreSQL if missing, starts a cluster, exports SYNC_CRDT_POSTGRES etc.
#   dotnet test tests/Sync.Crdt.Storage.Postgres.Tests -c Release
#   eng/postgres.sh stop                # stops it and deletes its directory (uses SYNC_CRDT_PGDATA)
#
# Commands:
#   start            print shell assignments (SYNC_CRDT_POSTGRES, SYNC_CRDT_PGDATA, SYNC_CRDT_PGBIN, SYNC_CRDT_PGUSER,
#                    SYNC_CRDT_PGPORT) for eval; everything else goes to stderr
#   stop             fast shutdown, then remove the data directory
#   restart [mode]   pg_ctl restart (mode: fast | immediate; immediate is a crash-like stop)
#   kill             SIGKILL the postmaster (crash), leaving the data directory for a restart
#   launch           start the server again after kill/stop-without-remove
#   status           pg_ctl status
# The cluster is fsync-on: durability tests see real commits. It is a test cluster: trust authentication on loopback.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
  if [[ -n "${SYNC_CRDT_PGBIN:-}" && -x "$SYNC_CRDT_PGBIN/initdb" ]]; then echo "$SYNC_CRDT_PGBIN"; return 0; fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x "$d/initdb" ]] && { echo "$d"; return 0; }
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

install_postgres() {
  if find_bin >/dev/null; then return 0; fi
  if [[ $EUID -ne 0 ]]; then
    log "PostgreSQL is not installed and this is not root: install the 'postgresql' package first."
    exit 1
  fi
  log "installing PostgreSQL (Debian package 'postgresql')"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
  # The package may start its own cluster on 5432; we do not use it.
  (command -v service >/dev/null && service postgresql stop >/dev/null 2>&1) || true
}

# The unprivileged user that owns and runs the cluster (the server refuses to run as root).
run_user() {
  if [[ $EUID -ne 0 ]]; then id -un; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; return; fi
  if ! id synccrdt-pg >/dev/null 2>&1; then useradd --system --no-create-home --shell /usr/sbin/nologin synccrdt-pg; fi
  echo synccrdt-pg
}

as_user() {
  local user=$1; shift
  if [[ $EUID -eq 0 ]]; then
    if command -v runuser >/dev/null 2>&1; then runuser -u "$user" -- "$@"; else su -s /bin/sh "$user" -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

free_port() {
  local p
  for p in $(seq 55432 55632); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  log "no free port in 55432-55632"; exit 1
}

require_data() {
  : "${SYNC_CRDT_PGDATA:?set SYNC_CRDT_PGDATA (printed by 'start')}"
  [[ -f "$SYNC_CRDT_PGDATA/PG_VERSION" ]] || { log "$SYNC_CRDT_PGDATA is not a cluster"; exit 1; }
}

data_owner() { stat -c %U "$SYNC_CRDT_PGDATA"; }

cmd_start() {
  install_postgres
  local bin user port root data
  bin=$(find_bin)
  user=$(run_user)
  port=${SYNC_CRDT_PGPORT:-$(free_port)}
  root=$(mktemp -d "${TMPDIR:-/tmp}/sync-crdt-pg.XXXXXX")
  data="$root/data"
  chmod 755 "$root"
  [[ $EUID -eq 0 ]] && chown "$user" "$root"
  if ! as_user "$user" "$bin/initdb" -D "$data" -U "$user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1; then
    rm -rf "$data"
    as_user "$user" "$bin/initdb" -D "$data" -U "$user" --auth=trust --encoding=UTF8 --no-locale >"$root/initdb.log" 2>&1 \
      || { cat "$root/initdb.log" >&2; exit 1; }
  fi
  cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
max_connections = 300
fsync = on
synchronous_commit = on
logging_collector = off
log_min_messages = warning
EOF
  as_user "$user" "$bin/pg_ctl" -D "$data" -l "$root/server.log" -w -t 60 start >&2
  as_user "$user" "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" synccrdt >&2
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $data"
  echo "export SYNC_CRDT_POSTGRES='Host=127.0.0.1;Port=$port;Username=$user;Database=synccrdt'"
  echo "export SYNC_CRDT_PGDATA='$data'"
  echo "export SYNC_CRDT_PGBIN='$bin'"
  echo "export SYNC_CRDT_PGUSER='$user'"
  echo "export SYNC_CRDT_PGPORT='$port'"
}

cmd_stop() {
  require_data
  local bin; bin=$(find_bin)
  as_user "$(data_owner)" "$bin/pg_ctl" -D "$SYNC_CRDT_PGDATA" -m fast -w stop >&2 || true
  rm -rf "$(dirname "$SYNC_CRDT_PGDATA")"
  log "stopped and removed $SYNC_CRDT_PGDATA"
}

cmd_restart() {
  require_data
  local bin; bin=$(find_bin)
  as_user "$(data_owner)" "$bin/pg_ctl" -D "$SYNC_CRDT_PGDATA" -m "${1:-fast}" -w -t 60 -l "$(dirname "$SYNC_CRDT_PGDATA")/server.log" restart >&2
}

cmd_kill() {
  require_data
  local pid; pid=$(head -1 "$SYNC_CRDT_PGDATA/postmaster.pid")
  kill -KILL "$pid"
  # The backends notice the postmaster is gone and exit; wait for the port to close.
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
}

cmd_launch() {
  require_data
  local bin; bin=$(find_bin)
  as_user "$(data_owner)" "$bin/pg_ctl" -D "$SYNC_CRDT_PGDATA" -w -t 60 -l "$(dirname "$SYNC_CRDT_PGDATA")/server.log" start >&2
}

cmd_status() {
  require_data
  local bin; bin=$(find_bin)
  as_user "$(data_owner)" "$bin/pg_ctl" -D "$SYNC_CRDT_PGDATA" status
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) shift; cmd_restart "${1:-fast}" ;;
  kill) cmd_kill ;;
  launch) cmd_launch ;;
  status) cmd_status ;;
  *) sed -n '2,20p' "$0" >&2; exit 2 ;;
esac
