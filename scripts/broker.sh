#!/usr/bin/env bash
# A private RabbitMQ (with the management plugin) for the lab, the demo and the tests, without systemd.
#   scripts/broker.sh start    start it (safe to run again), print its AMQP and management URLs
#   scripts/broker.sh stop     stop it by its pid file
#   scripts/broker.sh ctl ...  rabbitmqctl against it
#   scripts/broker.sh cluster N      start an N-node cluster instead (nodes 1..N: AMQP DROVER_CLUSTER_PORT+i-1, default
#                                    5701.., management 15701.., names drover-rmqI@localhost); prints RabbitMq__Hosts__K
#                                    lines for Drover (with RabbitMq__QueueType=Quorum)
#   scripts/broker.sh stop-node I    stop cluster node I (the others carry on); start-node I starts it again
#   scripts/broker.sh user NAME      make (or keep) the Drover process user NAME with the rights its name gives, print its
#                                    password: drover-coordinator (all of the vhost, impersonator), agent-HOST (its own
#                                    queue, agent events and heartbeats only), drover-client (asks for migrations and jobs);
#                                    DROVER_BROKER_API=http://HOST:15672 (and DROVER_BROKER_USER/PASSWORD, an administrator)
#                                    makes it on another broker, e.g. production's
#   scripts/broker.sh rights NAME    print those rights (configure, write, read) for rabbitmqctl set_permissions
# "stop" stops the single node and every cluster node.
# Settings: DROVER_BROKER_DIR (default /srv/drover-broker), DROVER_AMQP_PORT (5672), DROVER_MGMT_PORT (15672),
# DROVER_CLUSTER_PORT (5701), DROVER_BROKER_TLS_PORT (none: with a port, an AMQPS listener there too, client certificates
# required, from the lab CA of scripts/ca.sh), DROVER_BROKER_USER / DROVER_BROKER_PASSWORD (drover / drover: the lab's administrator, for
# the management UI; never for production, and never a Drover process's user).
set -euo pipefail
BASE=${DROVER_BROKER_DIR:-/srv/drover-broker}
PORT=${DROVER_AMQP_PORT:-5672}
MGMT=${DROVER_MGMT_PORT:-15672}
CLUSTER_PORT=${DROVER_CLUSTER_PORT:-5701}
USER_NAME=${DROVER_BROKER_USER:-drover}
USER_PASSWORD=${DROVER_BROKER_PASSWORD:-drover}
RBIN=/usr/lib/rabbitmq/bin           # the real scripts, not Debian's su wrappers in /usr/sbin
export HOME=$BASE RABBITMQ_NODE_IP_ADDRESS=127.0.0.1   # one HOME for every node: one Erlang cookie

use_node() { # NAME AMQP_PORT MGMT_PORT DIR: this shell's RABBITMQ_* point at that node
  NODE_MGMT=$3 NODE_DIR=$4
  export RABBITMQ_NODENAME=$1@localhost RABBITMQ_NODE_PORT=$2 RABBITMQ_DIST_PORT=$(($2 + 20000))
  export RABBITMQ_MNESIA_BASE=$4/mnesia RABBITMQ_LOG_BASE=$4/log RABBITMQ_PID_FILE=$4/rabbit.pid
  export RABBITMQ_CONFIG_FILE=$4/rabbitmq RABBITMQ_ENABLED_PLUGINS_FILE=$4/enabled_plugins
  export RABBITMQ_CONF_ENV_FILE=$4/rabbitmq-env.conf RABBITMQ_ADVANCED_CONFIG_FILE=$4/advanced.config
  export ERL_CRASH_DUMP=$4/log/erl_crash.dump   # never in the working directory (a checkout)
  # Erlang's schedulers spin for work before they sleep: CPU taken from everything else on a machine the broker shares
  # (RabbitMQ's own advice for shared hosts); DROVER_BROKER_ERL_ARGS= keeps Erlang's defaults.
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=${DROVER_BROKER_ERL_ARGS-+sbwt none +sbwtdcpu none +sbwtdio none}
}
single_node() { use_node "drover-$PORT" "$PORT" "$MGMT" "$BASE"; }
cluster_node() { use_node "drover-rmq$1" $((CLUSTER_PORT + $1 - 1)) $((CLUSTER_PORT + $1 - 1 + 10000)) "$BASE/node$1"; }
cluster_size() { ls -d "$BASE"/node* 2>/dev/null | wc -l; }

running() { [ -f "$RABBITMQ_PID_FILE" ] && kill -0 "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null; }

launch() { # [CONFIG LINES...]: start the current node in the background unless it runs
  running && return 0
  mkdir -p "$NODE_DIR/log" "$NODE_DIR/mnesia"
  touch "$RABBITMQ_CONF_ENV_FILE"
  [ -f "$BASE/.erlang.cookie" ] || { head -c 32 /dev/urandom | md5sum | cut -c1-20 > "$BASE/.erlang.cookie"; chmod 400 "$BASE/.erlang.cookie"; }
  printf '%s\n' "listeners.tcp.default = 127.0.0.1:$RABBITMQ_NODE_PORT" "management.tcp.port = $NODE_MGMT" \
    "management.tcp.ip = 127.0.0.1" "$@" > "$NODE_DIR/rabbitmq.conf"
  echo '[rabbitmq_management].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"
  "$RBIN/rabbitmq-server" -detached
}

await() { # the current node: 'wait' first, await_startup fails if the node has not registered with epmd yet
  "$RBIN/rabbitmqctl" -q wait --timeout 120 "$RABBITMQ_PID_FILE"
  "$RBIN/rabbitmqctl" -q await_startup --timeout 120
}

ensure_user() {   # the lab user, and no guest (users are shared by a cluster's nodes); once per broker directory
  # (the users live in its database: a restart finds them, and each rabbitmqctl call costs seconds)
  [ -f "$NODE_DIR/.lab-user" ] && return 0
  if ! "$RBIN/rabbitmqctl" -q list_users | grep -q "^$USER_NAME\b"; then
    "$RBIN/rabbitmqctl" -q add_user "$USER_NAME" "$USER_PASSWORD" >/dev/null
    "$RBIN/rabbitmqctl" -q set_user_tags "$USER_NAME" administrator >/dev/null
    "$RBIN/rabbitmqctl" -q set_permissions -p / "$USER_NAME" '.*' '.*' '.*' >/dev/null
  fi
  "$RBIN/rabbitmqctl" -q delete_user guest >/dev/null 2>&1 || true
  touch "$NODE_DIR/.lab-user"
}

# What each Drover process may do on the broker (configure, write, read regexes). An agent reads only its own queue and
# writes only its own queue, the exchanges of the events agents publish and the coordinators' reply queues (pre-flight
# answers): it can neither send a command nor reach another host's queue. The events are named in AGENT_EVENTS; a test
# checks the list against the contracts.
AGENT_EVENTS='Drover\.Contracts\.Agent:(CutOverCompleted|DestinationValidated|DomainDefined|DomainFacts|DomainResumed|DomainUndefined|MemoryTransferProgressed|MemoryTransferred|MigratedBack|MigrationEscalated|SourceCleanedUp|SourceValidated|StepExpired|StepFailed)|Drover\.Contracts\.Hosts:HostHeartbeat'
REPLIES='drover-replies-[a-z0-9-]+'
CLIENT_REQUESTS='Drover\.Contracts\.Migrations:(MigrateVm|CancelMigration)|Drover\.Contracts\.Rebalancing:(RebalanceFleet|DrainHost|ApproveRebalance|CancelRebalance)'
rights() { # NAME: its configure, write and read regexes, one per line
  case $1 in
    drover-coordinator) printf '%s\n' '.*' '.*' '.*' ;;
    agent-*)
      local host=${1#agent-} own
      [[ "$host" =~ ^[a-z0-9][a-z0-9-]{0,62}$ ]] || { echo "agent user: '$host' is not a host name" >&2; return 2; }
      own="host-agent-$host(_error|_skipped|_bus_[a-z0-9]+)?"
      printf '%s\n' "^($own|$AGENT_EVENTS|$REPLIES)\$" "^($own|$AGENT_EVENTS|$REPLIES)\$" "^($own)\$" ;;
    drover-client)
      local own='drover-client-[a-z0-9-]+' events='Drover\.Contracts\.(Migrations|Rebalancing):[A-Za-z]+'
      printf '%s\n' "^($own|$events)\$" "^($own|$CLIENT_REQUESTS)\$" "^($own|$events)\$" ;;
    *) echo "no rights for '$1': drover-coordinator, agent-HOST or drover-client" >&2; return 2 ;;
  esac
}

process_user() { # NAME: the user with its rights (set again each time: a new broker, a changed list), prints its password
  local name=$1 file=$BASE/users/$1 r api
  mapfile -t r < <(rights "$name") && [ "${#r[@]}" = 3 ] || exit 2
  mkdir -p "$BASE/users"; chmod 700 "$BASE/users"
  [ -s "$file" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr '+/' 'xy' > "$file")
  # The management API: idempotent, and a fraction of a second where each rabbitmqctl call starts an Erlang VM.
  api() { curl -fsS -u "$USER_NAME:$USER_PASSWORD" -H 'content-type: application/json' -X PUT "${DROVER_BROKER_API:-http://127.0.0.1:$NODE_MGMT}/api/$1" -d "$2"; }
  # The coordinator moves a message it cannot consume to an _error queue with its sender's user_id: the broker allows that
  # only to an impersonator (it is trusted anyway: it sends the commands). Agents never get it.
  local tags=""; [ "$name" = drover-coordinator ] && tags=impersonator
  api "users/$name" "$(jq -nc --arg p "$(cat "$file")" --arg t "$tags" '{password: $p, tags: $t}')"
  api "permissions/%2F/$name" "$(jq -nc --arg c "${r[0]}" --arg w "${r[1]}" --arg r "${r[2]}" '{configure: $c, write: $w, read: $r}')"
  cat "$file"
}

stop_node() { # the current node, by its pid file
  running || { rm -f "$RABBITMQ_PID_FILE"; return 0; }
  local pid; pid=$(cat "$RABBITMQ_PID_FILE")
  timeout 60 "$RBIN/rabbitmqctl" -q stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$RABBITMQ_PID_FILE"
}

tls_config() { # with DROVER_BROKER_TLS_PORT: an AMQPS listener there too, its certificate from the lab CA (scripts/ca.sh);
  # a client must show a certificate of the same CA (and still log in with its user and password)
  [ -n "${DROVER_BROKER_TLS_PORT:-}" ] || return 0
  local cert; cert=$("$(dirname "${BASH_SOURCE[0]}")/ca.sh" issue rabbitmq --ip 127.0.0.1 --dns localhost)
  printf '%s\n' "listeners.ssl.default = 127.0.0.1:$DROVER_BROKER_TLS_PORT" \
    "ssl_options.cacertfile = $("$(dirname "${BASH_SOURCE[0]}")/ca.sh" path)" "ssl_options.certfile = $cert.crt" "ssl_options.keyfile = $cert.key" \
    "ssl_options.verify = verify_peer" "ssl_options.fail_if_no_peer_cert = true" \
    "ssl_options.versions.1 = tlsv1.3" "ssl_options.versions.2 = tlsv1.2"
}

start() {
  single_node
  local tls; mapfile -t tls < <(tls_config)
  launch "${tls[@]}"
  await
  ensure_user
  echo "amqp://$USER_NAME:$USER_PASSWORD@127.0.0.1:$PORT/ management http://127.0.0.1:$MGMT/ ($USER_NAME / $USER_PASSWORD)"
  [ -z "${DROVER_BROKER_TLS_PORT:-}" ] || echo "amqps://127.0.0.1:$DROVER_BROKER_TLS_PORT/ (client certificates of the lab CA: scripts/ca.sh issue NAME)"
}

start_cluster_node() { # I N: node I of N; peer discovery finds the others
  local k peers=("cluster_formation.peer_discovery_backend = classic_config")
  for k in $(seq 1 "$2"); do peers+=("cluster_formation.classic_config.nodes.$k = drover-rmq$k@localhost"); done
  cluster_node "$1"
  launch "${peers[@]}"
}

cluster() { # N
  local n=$1 i
  [[ "$n" =~ ^[1-9]$ ]] || { echo "cluster takes a node count from 1 to 9" >&2; exit 2; }
  for i in $(seq 1 "$n"); do start_cluster_node "$i" "$n"; done    # all launched before any is awaited: each waits for its peers
  for i in $(seq 1 "$n"); do cluster_node "$i"; await; done
  cluster_node 1
  ensure_user
  for i in $(seq 1 "$n"); do echo "RabbitMq__Hosts__$((i - 1))=127.0.0.1:$((CLUSTER_PORT + i - 1))"; done
  echo "RabbitMq__QueueType=Quorum"
}

stop() {
  local i
  single_node; stop_node
  for i in $(seq 1 "$(cluster_size)"); do cluster_node "$i"; stop_node; done
  # Erlang's port mapper outlives the node; stop it when no other node uses it.
  if command -v epmd >/dev/null && ! epmd -names 2>/dev/null | grep -q '^name '; then epmd -kill >/dev/null 2>&1 || true; fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  ctl) shift; single_node; exec "$RBIN/rabbitmqctl" "$@" ;;
  cluster) shift; cluster "${1:-3}" ;;
  stop-node) shift; cluster_node "${1:?node number}"; stop_node ;;
  start-node) shift; start_cluster_node "${1:?node number}" "$(cluster_size)"; await ;;
  rights) shift; rights "${1:?user name}" ;;
  user) shift; if [ "$(cluster_size)" -gt 0 ]; then cluster_node 1; else single_node; fi; process_user "${1:?user name}" ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
