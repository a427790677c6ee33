#!/usr/bin/env bash
# A private RabbitMQ (with the management plugin) for the lab, the demo and the tests, without systemd.
#   scripts/broker.sh start    start it (safe to run again), print its AMQP and management URLs
#   scripts/broker.sh stop     stop it by its pid file
#   scripts/broker.sh ctl ...  rabbitmqctl against it
# Settings: DROVER_BROKER_DIR (default /srv/drover-broker), DROVER_AMQP_PORT (5672), DROVER_MGMT_PORT (15672),
# DROVER_BROKER_USER / DROVER_BROKER_PASSWORD (drover / drover: a lab credential, never for production).
set -euo pipefail
BASE=${DROVER_BROKER_DIR:-/srv/drover-broker}
PORT=${DROVER_AMQP_PORT:-5672}
MGMT=${DROVER_MGMT_PORT:-15672}
USER_NAME=${DROVER_BROKER_USER:-drover}
USER_PASSWORD=${DROVER_BROKER_PASSWORD:-drover}
RBIN=/usr/lib/rabbitmq/bin           # the real scripts, not Debian's su wrappers in /usr/sbin
export HOME=$BASE RABBITMQ_NODENAME=drover-$PORT@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$PORT
export RABBITMQ_DIST_PORT=$((PORT + 20000)) RABBITMQ_MNESIA_BASE=$BASE/mnesia RABBITMQ_LOG_BASE=$BASE/log
export RABBITMQ_PID_FILE=$BASE/rabbit.pid RABBITMQ_CONFIG_FILE=$BASE/rabbitmq RABBITMQ_ENABLED_PLUGINS_FILE=$BASE/enabled_plugins
export RABBITMQ_CONF_ENV_FILE=$BASE/rabbitmq-env.conf RABBITMQ_ADVANCED_CONFIG_FILE=$BASE/advanced.config
export ERL_CRASH_DUMP=$BASE/log/erl_crash.dump   # never in the working directory (a checkout)

running() { [ -f "$RABBITMQ_PID_FILE" ] && kill -0 "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null; }

start() {
  if ! running; then
    mkdir -p "$BASE/log" "$BASE/mnesia"
    touch "$RABBITMQ_CONF_ENV_FILE"
    [ -f "$BASE/.erlang.cookie" ] || { head -c 32 /dev/urandom | md5sum | cut -c1-20 > "$BASE/.erlang.cookie"; chmod 400 "$BASE/.erlang.cookie"; }
    cat > "$BASE/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$PORT
management.tcp.port = $MGMT
management.tcp.ip = 127.0.0.1
CONF
    echo '[rabbitmq_management].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"
    "$RBIN/rabbitmq-server" -detached
    # 'wait' first: await_startup fails if the node has not registered with epmd yet
    "$RBIN/rabbitmqctl" -q wait --timeout 90 "$RABBITMQ_PID_FILE"
  fi
  "$RBIN/rabbitmqctl" -q await_startup --timeout 90
  if ! "$RBIN/rabbitmqctl" -q list_users | grep -q "^$USER_NAME\b"; then
    "$RBIN/rabbitmqctl" -q add_user "$USER_NAME" "$USER_PASSWORD" >/dev/null
    "$RBIN/rabbitmqctl" -q set_user_tags "$USER_NAME" administrator >/dev/null
    "$RBIN/rabbitmqctl" -q set_permissions -p / "$USER_NAME" '.*' '.*' '.*' >/dev/null
  fi
  "$RBIN/rabbitmqctl" -q delete_user guest >/dev/null 2>&1 || true
  echo "amqp://$USER_NAME:$USER_PASSWORD@127.0.0.1:$PORT/ management http://127.0.0.1:$MGMT/ ($USER_NAME / $USER_PASSWORD)"
}

stop() {
  running || { rm -f "$RABBITMQ_PID_FILE"; return 0; }
  local pid; pid=$(cat "$RABBITMQ_PID_FILE")
  timeout 60 "$RBIN/rabbitmqctl" -q stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$RABBITMQ_PID_FILE"
  # Erlang's port mapper outlives the node; stop it when no other node uses it.
  if command -v epmd >/dev/null && ! epmd -names 2>/dev/null | grep -q '^name '; then epmd -kill >/dev/null 2>&1 || true; fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  ctl) shift; exec "$RBIN/rabbitmqctl" "$@" ;;
  *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
