#!/usr/bin/env bash
# Drover's main job, the README's first command. On a fresh Debian 12 machine, as root: installs what is missing,
# starts RabbitMQ (with its management UI), a two-host lab, the coordinator (SQLite) and one agent per host,
# creates a guest on the first host and live-migrates it to the other while showing its progress, then prints
# where to look. Everything stays up for exploration; running it again is safe (the guest moves back).
#   scripts/demo.sh          run it
#   scripts/demo.sh down     stop everything it started
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
[ "$(id -u)" = 0 ] || { echo "run as root: the lab needs namespaces and mounts" >&2; exit 1; }
. scripts/lib/install.sh
. scripts/lib/processes.sh
. scripts/lib/agent.sh

DEMO=${DROVER_DEMO_DIR:-/srv/drover-demo}
PORT=${DROVER_HTTP_PORT:-5080}
API=http://127.0.0.1:$PORT
export DROVER_LAB=${DROVER_LAB:-/srv/drover-lab}
BIN=$ROOT/src
VM=demo01


down() {
  stop_pid "$DEMO/coordinator.pid"
  scripts/lab.sh down        # also stops the agents (their pid files live in the lab)
  scripts/broker.sh stop
  echo "demo stopped (data kept in $DEMO)"
}

if [ "${1:-}" = down ]; then down; exit 0; fi

install_debs
require_dotnet
echo "== building (Release) and installing the drover CLI in /usr/local/bin"
dotnet build Workflow.sln -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet publish src/Cli -c Release -o /usr/local/lib/drover-cli -nologo -v quiet -clp:ErrorsOnly >/dev/null
ln -sf /usr/local/lib/drover-cli/drover /usr/local/bin/drover

echo "== starting RabbitMQ"
broker=$(scripts/broker.sh start)
echo "   $broker"
echo "== starting two KVM hosts (libvirtd in namespaces; the first start probes QEMU, ~20 s)"
scripts/lab.sh up 2 | sed 's/^/   /'
mapfile -t HOSTS < <(scripts/lab.sh hosts | awk '{print $1}')

mkdir -p "$DEMO/logs" "$DEMO/data"
[ -f "$DEMO/api-key" ] || { head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$DEMO/api-key"; chmod 600 "$DEMO/api-key"; }
KEY=$(cat "$DEMO/api-key")
# Each process connects as itself (scripts/broker.sh user): the coordinator here, each agent in start_agent.
export RabbitMq__Username=drover-coordinator RabbitMq__Password=$(scripts/broker.sh user drover-coordinator)
export RabbitMq__Port=${DROVER_AMQP_PORT:-5672} MASSTRANSIT_USAGE_TELEMETRY=false

echo "== starting the coordinator on $API (SQLite in $DEMO/data)"
stop_pid "$DEMO/coordinator.pid"
Urls=$API Api__Key=$KEY Database__DataDirectory=$DEMO/data \
  nohup dotnet "$BIN/Coordinator/bin/Release/net10.0/Drover.Coordinator.dll" >"$DEMO/logs/coordinator.log" 2>&1 &
echo $! > "$DEMO/coordinator.pid"

echo "== starting one host agent per host"
for name in "${HOSTS[@]}"; do
  pidfile=$DROVER_LAB/hosts/$name/drover.agent.pid
  stop_pid "$pidfile"
  : > "$DEMO/logs/agent-$name.log"
  start_agent "$name" "$DEMO/logs/agent-$name.log" "$pidfile" Agent__ProgressInterval=00:00:00.250
  echo "   $name: agent pid $(cat "$pidfile"), log $DEMO/logs/agent-$name.log"
done

hosts_up() { [ "$(curl -fsS "$API/api/hosts" | jq '[.[] | select(.status == "Up")] | length')" -ge 2 ]; }
wait_for 90 "the coordinator" curl -fsS "$API/health/ready"
wait_for 90 "both agents' heartbeats" hosts_up

# The guest: created on the first host, or moved to the other host if an earlier run left it somewhere.
where=$(curl -fsS "$API/api/hosts" | jq -r --arg vm "$VM" '.[] | select(any(.domains[]; .name == $vm and .state == "running")) | .name' | head -1)
if [ -z "$where" ]; then
  echo "== creating guest $VM on ${HOSTS[0]}"
  scripts/lab.sh guest "${HOSTS[0]}" "$VM" | sed 's/^/   /'
  where=${HOSTS[0]}
  vm_known() { curl -fsS "$API/api/hosts" | jq -e --arg h "$where" --arg vm "$VM" '.[] | select(.name == $h) | any(.domains[]; .name == $vm)'; }
  wait_for 30 "the guest in the inventory" vm_known
fi
to=$([ "$where" = "${HOSTS[0]}" ] && echo "${HOSTS[1]}" || echo "${HOSTS[0]}")

# The migration is asked for with an operator's key (role operate), made with the administrator's (Api:Key, kept for
# managing keys) and kept in $DEMO/operator-key; made again when the coordinator does not know it (a new database).
export DROVER_URL=$API
OPERATOR=demo-operator
if [ "$(curl -fsS -H "X-Api-Key: $(cat "$DEMO/operator-key" 2>/dev/null)" "$API/api/session" | jq -r .name)" != "$OPERATOR" ]; then
  echo "== making the operator's API key ($OPERATOR, role operate)"
  DROVER_API_KEY=$KEY drover keys revoke "$OPERATOR" >/dev/null 2>&1 || true
  (umask 077; DROVER_API_KEY=$KEY drover keys add "$OPERATOR" --role operate | head -1 > "$DEMO/operator-key")
fi
OPERATOR_KEY=$(cat "$DEMO/operator-key")
export DROVER_API_KEY=$OPERATOR_KEY

echo "== live-migrating $VM: $where -> $to (drover migrate ... --watch, as $OPERATOR)"
set +e
drover migrate "$VM" --from "$where" --to "$to" --live --watch | sed 's/^/   /'
status=${PIPESTATUS[0]}
set -e
echo "   serial console of $VM on $to (the counter continues from $where):"
scripts/lab.sh serial "$to" "$VM" | tail -3 | sed 's/^/     /'

cat <<TXT

Drover is running. Where to look:
  Dashboard          $API/
  HTTP API           $API/api/migrations   $API/api/hosts   (OpenAPI: $API/openapi/v1.json)
  Operator's API key $OPERATOR_KEY   (role operate: migrations, cancels, fleet jobs; in $DEMO/operator-key;
                     send it as X-Api-Key)
  Administrator key  $KEY   (API keys: drover keys add NAME --role read|operate|admin; in $DEMO/api-key)
  RabbitMQ UI        http://127.0.0.1:${DROVER_MGMT_PORT:-15672}/   user ${DROVER_BROKER_USER:-drover} / password ${DROVER_BROKER_PASSWORD:-drover} (the lab administrator)
  Logs               $DEMO/logs/
Try next (the CLI reads DROVER_URL and DROVER_API_KEY):
  export DROVER_URL=$API DROVER_API_KEY=$OPERATOR_KEY
  drover hosts                drover vms                  drover history $VM
  drover where $VM            (pre-flight: where it could go, and whether it would converge; starts nothing)
  drover migrate $VM --to $where --non-live --watch
  source <(drover completion bash)
  scripts/demo.sh            (again: the guest moves back)
  scripts/demo.sh down       (stop everything)
TXT
exit "$status"
