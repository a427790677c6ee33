#!/usr/bin/env bash
# Chaos: N live migrations back and forth between two lab hosts (coordinator on SQLite, or PostgreSQL with --postgres);
# during each, one fault chosen at random at a random moment: kill -9 of the coordinator, a broker restart, kill -9
# of either agent, or kill -9 of either libvirtd (each started again). After each run it checks through libvirt on
# both hosts that the VM runs exactly once and keeps counting. Its own broker, database and lab, torn down at the end.
# Usage: bench/chaos.sh [N] [--postgres]      (N defaults to 30)
# Last line: chaos: N runs, lost L, doubled D, stuck S, needs-attention A, completed C
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
[ "$(id -u)" = 0 ] || { echo "run as root: the lab needs namespaces and mounts" >&2; exit 1; }
. scripts/lib/install.sh
. scripts/lib/processes.sh
. scripts/lib/agent.sh

N=30 PG=0
for a in "$@"; do
  case $a in
    --postgres) PG=1 ;;
    [0-9]*) N=$a ;;
    *) echo "usage: bench/chaos.sh [N] [--postgres]" >&2; exit 2 ;;
  esac
done

export DROVER_LAB=/srv/drover-chaos-lab DROVER_LAB_PREFIX=droverchaos DROVER_LAB_SUBNET=10.77.3
export DROVER_BROKER_DIR=/srv/drover-chaos-broker DROVER_AMQP_PORT=5702 DROVER_MGMT_PORT=15702
export DROVER_PG_DIR=/srv/drover-chaos-pg DROVER_PG_PORT=55452 DROVER_AGENT_PORT_BASE=8170
CHAOS=/srv/drover-chaos
PORT=5190 API=http://127.0.0.1:5190 KEY=chaos VM=chaos01
export RabbitMq__Port=$DROVER_AMQP_PORT MASSTRANSIT_USAGE_TELEMETRY=false

crash_pid() { if [ -f "$1" ]; then kill -9 "$(cat "$1")" 2>/dev/null || true; fi; rm -f "$1"; }

teardown() {
  stop_pid "$CHAOS/coordinator.pid"
  for h in kvm-a kvm-b; do stop_pid "$CHAOS/agent-$h.pid"; done
  scripts/lab.sh down >/dev/null 2>&1 || true
  scripts/broker.sh stop >/dev/null 2>&1 || true
  if [ $PG = 1 ]; then scripts/pg.sh stop >/dev/null 2>&1 || true; fi
}
trap teardown EXIT

start_coordinator() {
  local db=(Database__Provider=Sqlite Database__DataDirectory=$CHAOS/data)
  [ $PG = 0 ] || db=(Database__Provider=Postgres "Database__ConnectionString=Host=127.0.0.1;Port=$DROVER_PG_PORT;Username=postgres;Database=chaos")
  env Urls=$API Api__Key=$KEY "${db[@]}" Migrations__SweepInterval=00:00:00.250 Migrations__HostDownAfter=00:00:04 \
    nohup dotnet "$ROOT"/src/Coordinator/bin/Release/net10.0/Drover.Coordinator.dll >>"$CHAOS/logs/coordinator.log" 2>&1 &
  echo $! > "$CHAOS/coordinator.pid"; disown   # killed on purpose later: no job report
  wait_for 90 "the coordinator" curl -fsS "$API/health/ready"
}

agent() { # HOST
  start_agent "$1" "$CHAOS/logs/agent-$1.log" "$CHAOS/agent-$1.pid" Agent__HeartbeatInterval=00:00:01 Agent__ProgressInterval=00:00:00.250
  disown
}


uri() { echo "qemu+unix:///system?socket=$DROVER_LAB/hosts/$1/run/libvirt-sock"; }
active_on() { # HOST: whether libvirt there runs (or holds paused) the VM
  case $(virsh -q -c "$(uri "$1")" domstate "$VM" 2>/dev/null | head -1) in running|paused|"in shutdown") return 0 ;; *) return 1 ;; esac
}
ticks() { scripts/lab.sh serial "$1" "$VM" | grep -c '^tick ' || true; }
counting_past() { [ "$(ticks "$1")" -gt "$2" ]; }   # HOST N: more than N ticks printed there by now
hosts_up() { [ "$(curl -fsS "$API/api/hosts" | jq '[.[] | select(.status == "Up")] | length')" -ge 2 ]; }
state_of() { curl -fsS -H "X-Api-Key: $KEY" "$API/api/migrations/$1" 2>/dev/null | jq -r '.state // empty'; }

install_debs
require_dotnet
dotnet build Workflow.sln -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
teardown
rm -rf "$CHAOS" "$DROVER_BROKER_DIR" "$DROVER_PG_DIR"
mkdir -p "$CHAOS/logs" "$CHAOS/data"
scripts/broker.sh start >/dev/null
# Each process as itself: the coordinator here, each agent in start_agent (scripts/broker.sh user).
export RabbitMq__Username=drover-coordinator RabbitMq__Password=$(scripts/broker.sh user drover-coordinator)
if [ $PG = 1 ]; then scripts/pg.sh start >/dev/null; fi
scripts/lab.sh up 2 >/dev/null
start_coordinator
agent kvm-a; agent kvm-b
wait_for 90 "both agents" hosts_up
scripts/lab.sh guest kvm-a "$VM" >/dev/null

FAULTS=(coordinator broker agent-source agent-destination libvirtd-source libvirtd-destination)
lost=0 doubled=0 stuck=0 attention=0 completed=0
for i in $(seq 1 "$N"); do
  if active_on kvm-a; then from=kvm-a to=kvm-b; else from=kvm-b to=kvm-a; fi
  id=$(cat /proc/sys/kernel/random/uuid)
  fault=${FAULTS[RANDOM % ${#FAULTS[@]}]}
  at=$(awk -v r=$RANDOM 'BEGIN { printf "%.1f", r % 80 / 10 }')   # 0-8 s into a transfer of ~10 s
  curl -fsS -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' "$API/api/migrations" \
    -d "{\"migrationId\":\"$id\",\"vm\":\"$VM\",\"sourceHost\":\"$from\",\"destinationHost\":\"$to\",\"kind\":\"live\",\"bandwidthMiBps\":8}" >/dev/null
  sleep "$at"   # the fault's moment, chosen at random: not a synchronisation
  case $fault in
    coordinator) crash_pid "$CHAOS/coordinator.pid"; start_coordinator ;;
    broker) scripts/broker.sh stop >/dev/null; scripts/broker.sh start >/dev/null ;;
    agent-source) crash_pid "$CHAOS/agent-$from.pid"; agent "$from" ;;
    agent-destination) crash_pid "$CHAOS/agent-$to.pid"; agent "$to" ;;
    libvirtd-source) scripts/lab.sh libvirtd kill "$from"; sleep 3; scripts/lab.sh libvirtd start "$from" ;;
    libvirtd-destination) scripts/lab.sh libvirtd kill "$to"; sleep 3; scripts/lab.sh libvirtd start "$to" ;;
  esac
  final=""
  deadline=$((SECONDS + 300))
  while [ $SECONDS -lt $deadline ]; do
    s=$(state_of "$id" || true)
    case $s in Completed|RolledBack|Cancelled|Rejected|NeedsAttention) final=$s; break ;; esac
    sleep 1
  done
  on=0; for h in kvm-a kvm-b; do active_on "$h" && on=$((on + 1)); done
  verdict=${final:-stuck}
  if [ $on = 0 ]; then lost=$((lost + 1)); verdict="$verdict, LOST"
  elif [ $on = 2 ]; then doubled=$((doubled + 1)); verdict="$verdict, RUNNING TWICE"
  else
    where=kvm-a; active_on kvm-a || where=kvm-b
    before=$(ticks "$where")
    if ! wait_for 10 "ticks" counting_past "$where" "$((before + 1))"; then lost=$((lost + 1)); verdict="$verdict, NOT COUNTING on $where"; fi
  fi
  case $final in
    Completed) completed=$((completed + 1)) ;;
    NeedsAttention) attention=$((attention + 1)) ;;
    "") stuck=$((stuck + 1)) ;;
  esac
  echo "run $i: $from -> $to, $fault at ${at}s: $verdict"
  wait_for 60 "both agents again" hosts_up || true
done
echo "chaos: $N runs, lost $lost, doubled $doubled, stuck $stuck, needs-attention $attention, completed $completed"
