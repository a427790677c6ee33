#!/usr/bin/env bash
# What a heartbeat costs the control plane: an idle coordinator on PostgreSQL and one agent simulating N hosts (20 VMs
# each) that beat every second, for 50 hosts and then for 500; CPU of the coordinator, the broker and PostgreSQL over
# 30 s from /proc. The difference between the two is the marginal cost of a heartbeat (docs/BENCHMARKS.md).
# Its own broker and database (the control-plane bench's directories and ports), torn down at the end.
# Usage: bench/heartbeats.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
. bench/lib/control-plane-env.sh
export RabbitMq__Port=$DROVER_AMQP_PORT RabbitMq__Username=drover RabbitMq__Password=drover Telemetry__Exporter=None
RUN=/srv/drover-heartbeats

teardown() {
  stop_pid "$RUN/agent.pid"; stop_pid "$RUN/coordinator.pid"
  scripts/broker.sh stop >/dev/null 2>&1 || true
  scripts/pg.sh stop >/dev/null 2>&1 || true
}
trap teardown EXIT

ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }   # utime + stime, 1/100 s
postgres_ticks() {
  local main t=0 p; main=$(head -1 "$DROVER_PG_DIR/data/postmaster.pid")
  for p in $main $(ps -o pid= --ppid "$main"); do t=$((t + $(ticks "$p"))); done
  echo $t
}

install_debs
require_dotnet
dotnet build Workflow.sln -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
teardown
rm -rf "$RUN" && mkdir -p "$RUN"
scripts/broker.sh start >/dev/null
scripts/pg.sh start >/dev/null
for n in 50 500; do
  env Urls=http://127.0.0.1:5299 Database__Provider=Postgres Security__AgentOrigin=Unchecked \
    Database__ConnectionString="Host=127.0.0.1;Port=$DROVER_PG_PORT;Username=postgres;Database=drover_heartbeats_$n" \
    nohup dotnet src/Coordinator/bin/Release/net10.0/Drover.Coordinator.dll >"$RUN/coordinator-$n.log" 2>&1 &
  echo $! >"$RUN/coordinator.pid"
  env Urls=http://127.0.0.1:0 Agent__Hypervisor=Simulated Agent__HostName=hb Agent__Simulated__Hosts=$n \
    Agent__Simulated__Domains=$((n * 20)) Agent__HeartbeatInterval=00:00:01 \
    nohup dotnet src/HostAgent/bin/Release/net10.0/Drover.HostAgent.dll >"$RUN/agent-$n.log" 2>&1 &
  echo $! >"$RUN/agent.pid"
  wait_for 120 "the coordinator" curl -fsS http://127.0.0.1:5299/health/ready
  sleep 20   # a measurement window, not synchronisation: every host beats a few times before it opens
  c=$(cat "$RUN/coordinator.pid") b=$(cat "$DROVER_BROKER_DIR/rabbit.pid")
  c0=$(ticks "$c") b0=$(ticks "$b") p0=$(postgres_ticks)
  sleep 30
  c1=$(ticks "$c") b1=$(ticks "$b") p1=$(postgres_ticks)
  echo "hosts $n: coordinator $(((c1 - c0) * 10)) ms, broker $(((b1 - b0) * 10)) ms, postgres $(((p1 - p0) * 10)) ms of cpu in 30 s ($((n * 30)) heartbeats)"
  stop_pid "$RUN/agent.pid"; stop_pid "$RUN/coordinator.pid"
done
