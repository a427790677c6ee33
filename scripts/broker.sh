#!/usr/bin/env bash
# A private RabbitMQ (with the management plugin) for the lab, the demo and the tests, without systemd.
#   scripts/broker.sh start    start it (safe to run again), print its AMQP and management URLs
#   scripts/broker.sh stop     stop it by its pid file
#   scripts/broker.sh ctl ...  rabbitmqctl against it
#   scripts/broker.sh cluster N      start an N-node cluster instead (nodes 1..N: AMQP DROVER_CLUSTER_PORT+i-1, default
#                                    5701.., management 15701.., names drover-rmqI@localhost); prints RabbitMq__Hosts__K
#                                    lines for Drover (with RabbitMq__QueueType=Quorum)
#   scripts/broker.sh stop-node I    stop cluster node I (the others carry on); start-node I starts it again
# "stop" stops the single node and every cluster node.
# Settings: DROVER_BROKER_DIR (default /srv/drover-broker), DROVER_AMQP_PORT (5672), DROVER_MGMT_PORT (15672),
# DROVER_CLUSTER_PORT (5701), DROVER_BROKER_USER / DROVER_BROKER_PASSWORD (drover / drover: a lab credential, never for
# production).
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

CLUSTER_PORT=${DROVER_CLUSTER_PORT:-5701}

running() { [ -f "$RABBITMQ_PID_FILE" ] && kill -0 "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null; }

cookie() { [ -f "$BASE/.erlang.cookie" ] || { mkdir -p "$BASE"; head -c 32 /dev/urandom | md5sum | cut -c1-20 > "$BASE/.erlang.cookie"; chmod 400 "$BASE/.erlang.cookie"; }; }

ensure_user() {   # the lab user, and no guest
  if ! "$RBIN/rabbitmqctl" -q list_users | grep -q "^$USER_NAME\b"; then
    "$RBIN/rabbitmqctl" -q add_user "$USER_NAME" "$USER_PASSWORD" >/dev/null
    "$RBIN/rabbitmqctl" -q set_user_tags "$USER_NAME" administrator >/dev/null
    "$RBIN/rabbitmqctl" -q set_permissions -p / "$USER_NAME" '.*' '.*' '.*' >/dev/null
  fi
  "$RBIN/rabbitmqctl" -q delete_user guest >/dev/null 2>&1 || true
}

node_env() { # I: this shell's RABBITMQ_* point at cluster node I (one shared HOME: one cookie)
  local i=$1 dir=$BASE/node$1
  export RABBITMQ_NODENAME=drover-rmq$i@localhost RABBITMQ_NODE_PORT=$((CLUSTER_PORT + i - 1))
  export RABBITMQ_DIST_PORT=$((CLUSTER_PORT + i - 1 + 20000)) RABBITMQ_MNESIA_BASE=$dir/mnesia RABBITMQ_LOG_BASE=$dir/log
  export RABBITMQ_PID_FILE=$dir/rabbit.pid RABBITMQ_CONFIG_FILE=$dir/rabbitmq RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
  export RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config ERL_CRASH_DUMP=$dir/log/erl_crash.dump
}

cluster_size() { ls -d "$BASE"/node* 2>/dev/null | wc -l; }

start_node() { # I N: start cluster node I of N (peer discovery finds the others)
  local i=$1 n=$2 k
  node_env "$i"
  running && return 0
  mkdir -p "$BASE/node$i/log" "$BASE/node$i/mnesia"
  touch "$RABBITMQ_CONF_ENV_FILE"
  {
    echo "listeners.tcp.default = 127.0.0.1:$RABBITMQ_NODE_PORT"
    echo "management.tcp.port = $((CLUSTER_PORT + i - 1 + 10000))"
    echo "management.tcp.ip = 127.0.0.1"
    echo "cluster_formation.peer_discovery_backend = classic_config"
    for k in $(seq 1 "$n"); do echo "cluster_formation.classic_config.nodes.$k = drover-rmq$k@localhost"; done
  } > "$BASE/node$i/rabbitmq.conf"
  echo '[rabbitmq_management].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"
  "$RBIN/rabbitmq-server" -detached
}

await_node() { node_env "$1"; "$RBIN/rabbitmqctl" -q wait --timeout 120 "$RABBITMQ_PID_FILE"; "$RBIN/rabbitmqctl" -q await_startup --timeout 120; }

stop_one() { # the node whose RABBITMQ_* this shell has
  running || { rm -f "$RABBITMQ_PID_FILE"; return 0; }
  local pid; pid=$(cat "$RABBITMQ_PID_FILE")
  timeout 60 "$RBIN/rabbitmqctl" -q stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$RABBITMQ_PID_FILE"
}

cluster() { # N
  local n=$1 i
  [[ "$n" =~ ^[1-9]$ ]] || { echo "cluster takes a node count from 1 to 9" >&2; exit 2; }
  cookie
  for i in $(seq 1 "$n"); do start_node "$i" "$n"; done    # in parallel: each waits for its peers
  for i in $(seq 1 "$n"); do await_node "$i"; done
  node_env 1
  ensure_user
  for i in $(seq 1 "$n"); do echo "RabbitMq__Hosts__$((i - 1))=127.0.0.1:$((CLUSTER_PORT + i - 1))"; done
  echo "RabbitMq__QueueType=Quorum"
}

start() {
  if ! running; then
    mkdir -p "$BASE/log" "$BASE/mnesia"
    touch "$RABBITMQ_CONF_ENV_FILE"
    cookie
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
  ensure_user
  echo "amqp://$USER_NAME:$USER_PASSWORD@127.0.0.1:$PORT/ management http://127.0.0.1:$MGMT/ ($USER_NAME / $USER_PASSWORD)"
}

stop() {
  local i
  stop_one
  for i in $(seq 1 "$(cluster_size)"); do node_env "$i"; stop_one; done
  # Erlang's port mapper outlives the node; stop it when no other node uses it.
  if command -v epmd >/dev/null && ! epmd -names 2>/dev/null | grep -q '^name '; then epmd -kill >/dev/null 2>&1 || true; fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  ctl) shift; exec "$RBIN/rabbitmqctl" "$@" ;;
  cluster) shift; cluster "${1:-3}" ;;
  stop-node) shift; node_env "${1:?node number}"; stop_one ;;
  start-node) shift; start_node "${1:?node number}" "$(cluster_size)"; await_node "$1" ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
