#!/usr/bin/env bash
# The fleet planner on a synthetic fleet: bench/planner.sh [HOSTS] [VMS] [RUNS] (default 1000 20000 5).
# Pure computation: no broker, no lab. Last line: "planner: T ms, spread A→B pp, M moves".
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/install.sh
require_dotnet
dotnet build bench/Planner -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet bench/Planner/bin/Release/net10.0/Drover.PlannerBench.dll "$@"
