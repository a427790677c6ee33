#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests (and for trying Drover on PostgreSQL), without systemd.
#   scripts/pg.sh start | stop        DROVER_PG_DIR (default /srv/drover-pg), DROVER_PG_PORT (default 55432)
# Trust authentication on 127.0.0.1 only: a lab database, never for production.
set -euo pipefail
DIR=${DROVER_PG_DIR:-/srv/drover-pg}
PORT=${DROVER_PG_PORT:-55432}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }
case ${1:-} in
  start)
    mkdir -p "$DIR" && chown postgres:postgres "$DIR"
    [ -f "$DIR/data/PG_VERSION" ] || runuser -u postgres -- "$PGBIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 >"$DIR/initdb.log"
    if ! runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
      runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1" start >/dev/null
    fi
    echo "postgresql: Host=127.0.0.1;Port=$PORT;Username=postgres"
    ;;
  stop)
    [ -f "$DIR/data/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
    true
    ;;
  *) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
