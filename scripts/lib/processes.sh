# Starting and stopping what Drover's scripts run, by pid file only (never by name). Sourced by lab.sh, demo.sh and
# bench/chaos.sh.

stop_pid() { # FILE: TERM, wait up to 5 s, then KILL; only the process the file names
  local f=$1 p
  [ -f "$f" ] || return 0
  p=$(cat "$f")
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
    kill "$p" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  fi
  rm -f "$f"
}

wait_for() { # SECONDS WHAT COMMAND...: until COMMAND succeeds; fails (status 1) with a message after SECONDS
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "timed out waiting for $what" >&2; return 1; }
    sleep 0.5
  done
}
