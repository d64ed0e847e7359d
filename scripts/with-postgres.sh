#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster, then delete the cluster.
#
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# initdb's a cluster in a temporary directory, starts it on a free loopback port,
# creates the database "hromada", exports DATABASE_URL (postgres://hromada@127.0.0.1:PORT/hromada)
# and runs COMMAND. The cluster is stopped and removed whatever COMMAND's outcome;
# the script exits with COMMAND's status. PostgreSQL refuses to run as root, so as
# root the server runs as the "postgres" system user (or "nobody" where there is none).
# PG_BIN overrides where initdb/pg_ctl are looked for.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

pg_bin=""
for d in "${PG_BIN:-}" /usr/lib/postgresql/15/bin /usr/lib/postgresql/16/bin /usr/lib/postgresql/17/bin; do
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then pg_bin="$d"; break; fi
done
if [ -z "$pg_bin" ] && command -v initdb >/dev/null 2>&1; then
  pg_bin="$(dirname "$(command -v initdb)")"
fi
if [ -z "$pg_bin" ]; then
  echo "hromada: PostgreSQL server binaries not found; install them with: sudo apt-get install -y postgresql-15" >&2
  exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/hromada-pg.XXXXXX")"
chmod 755 "$tmp"
run_as=()
if [ "$(id -u)" = 0 ]; then
  pg_user=postgres
  id "$pg_user" >/dev/null 2>&1 || pg_user=nobody
  chown "$pg_user" "$tmp"
  run_as=(runuser -u "$pg_user" --)
fi

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
data="$tmp/data"

cleanup() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"${run_as[@]}" "$pg_bin/initdb" -D "$data" -U hromada --auth=trust -E UTF8 --locale=C.UTF-8 \
  >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }
# A throwaway cluster: durability is not needed, speed is.
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$data" -l "$tmp/server.log" -w -t 60 start -o \
  "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
   -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" \
  >/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
"${run_as[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U hromada hromada

export DATABASE_URL="postgres://hromada@127.0.0.1:$port/hromada"
export PG_BIN="$pg_bin"
echo "hromada: throwaway PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
