#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL server for the module's store tests.
#
#   eval "$(scripts/pg-test.sh start)"   # installs PostgreSQL if missing, starts it
#                                        # on a loopback port in a temporary
#                                        # directory, prints the exports
#   go test ./...                        # the store tests now run on PostgreSQL too
#   scripts/pg-test.sh stop              # stops it and removes the directory
#
# The server trusts local connections and listens on 127.0.0.1 only.
set -euo pipefail

state=${YOOKASSA_PG_STATE:-/tmp/yookassa-pg-test}
port=${YOOKASSA_PG_PORT:-54329}

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$d" ]; then
    echo "installing PostgreSQL from the Debian package" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    d=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$d"
}

# initdb and postgres refuse to run as root: run them as an unprivileged user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
start)
  bin=$(bindir)
  if [ -f "$state/dir" ] && as_owner "$bin/pg_ctl" -D "$(cat "$state/dir")" status >/dev/null 2>&1; then
    echo "export YOOKASSA_TEST_POSTGRES='$(cat "$state/dsn")'"
    exit 0
  fi
  mkdir -p "$state"
  data=$(mktemp -d /tmp/yookassa-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && { id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres; chown postgres "$data"; }
  as_owner "$bin/initdb" -D "$data" --auth=trust --username=postgres --encoding=UTF8 >"$state/initdb.log" 2>&1
  as_owner "$bin/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" \
    -o "-h 127.0.0.1 -p $port -k $data -c fsync=off -c max_connections=300" start >&2
  dsn="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  echo "$data" >"$state/dir"
  echo "$dsn" >"$state/dsn"
  echo "export YOOKASSA_TEST_POSTGRES='$dsn'"
  ;;
stop)
  [ -f "$state/dir" ] || exit 0
  data=$(cat "$state/dir")
  as_owner "$(bindir)/pg_ctl" -D "$data" -m fast stop >&2 || true
  rm -rf "$data" "$state"
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
