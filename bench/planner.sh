#!/usr/bin/env bash
# The fleet planner on synthetic fleets: bench/planner.sh [HOSTS VMS [RUNS]] (default: 10,000 hosts × 200,000 VMs,
# 3 runs, then 1,000 × 20,000, 5 runs).
# Pure computation: no broker, no lab. Last lines: "planner 10k: T ms, spread A→B pp, M moves" and
# "planner: T ms, spread A→B pp, M moves" (the 1,000-host fleet).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/install.sh
require_dotnet
dotnet build bench/Planner -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet bench/Planner/bin/Release/net10.0/Drover.PlannerBench.dll "$@"
