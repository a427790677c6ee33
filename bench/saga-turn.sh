#!/usr/bin/env bash
# What the database side of one saga turn costs the coordinator's process: N turns (default 20,000) of a migration saga's
# row — found as every saga message finds it, changed as a step changes it, saved with its version checked — through the
# coordinator's own EF Core model and context pool, against a PostgreSQL of its own (the control-plane bench's directory
# and port), torn down at the end. CPU of the bench's process per turn, for a load alone, a step's update and a transition.
# Usage: bench/saga-turn.sh [N]
# Last line: saga turn: load L µs, update U µs, turn T µs of cpu per turn (EF Core and Npgsql)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
. bench/lib/control-plane-env.sh

teardown() { scripts/pg.sh stop >/dev/null 2>&1 || true; }
trap teardown EXIT

install_debs
require_dotnet
dotnet build bench/SagaTurn -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
teardown
rm -rf "$DROVER_PG_DIR"
scripts/pg.sh start >/dev/null
dotnet bench/SagaTurn/bin/Release/net10.0/Drover.SagaTurnBench.dll "Host=127.0.0.1;Port=$DROVER_PG_PORT;Username=postgres;Database=drover_saga_turn" "$@"
