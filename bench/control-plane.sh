#!/usr/bin/env bash
# The control plane's capacity with simulated hypervisors: N migrations (default 5,000) over 50 simulated hosts with 1,000
# VMs, requested on the bus as fast as the publisher can, on PostgreSQL with one coordinator, then two, then on SQLite;
# each after a warm-up of W migrations (default 3,000) that is reported apart and not measured (steady state, not a cold start).
# Its own broker and PostgreSQL, torn down at the end; one agent process simulates every host (Agent:Hypervisor=Simulated:
# nothing here moves a real VM — it measures the coordinators, the broker and the database).
# Usage: bench/control-plane.sh [N] [--warm-up W] [--hosts H] [--vms V] [--max-concurrent C] [--per-host P] [--only postgres1|postgres2|sqlite]
# Last line: control plane: N migrations, postgres 1 coordinator R1/s, 2 coordinators R2/s, sqlite R3/s, step p50 X ms p99 Y ms, coordinator cpu C ms/migration
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
. bench/lib/control-plane-env.sh
export DROVER_BENCH_DIR=/srv/drover-cp
export DROVER_TEST_PIDS=$DROVER_BENCH_DIR/pids   # the agent and coordinators the bench starts, stopped by pid at the end

teardown() {
  for f in "$DROVER_TEST_PIDS"/*.pid; do stop_pid "$f"; done
  scripts/broker.sh stop >/dev/null 2>&1 || true
  scripts/pg.sh stop >/dev/null 2>&1 || true
}
trap teardown EXIT

install_debs
require_dotnet
dotnet build bench/ControlPlane -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
teardown
rm -rf "$DROVER_BENCH_DIR" "$DROVER_BROKER_DIR" "$DROVER_PG_DIR"
mkdir -p "$DROVER_TEST_PIDS"
scripts/broker.sh start >/dev/null
scripts/pg.sh start >/dev/null
dotnet bench/ControlPlane/bin/Release/net10.0/Drover.ControlPlaneBench.dll "$@"
