#!/usr/bin/env bash
# Shared by the benchmarks that compare Drover with virsh: brings up (and tears down) its own broker and two-host
# lab, builds in Release, and runs the benchmark program in MODE (agent or drover) for ROUNDS migrations each.
# Usage: bench/lib/compare-with-virsh.sh MODE [ROUNDS]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
. scripts/lib/install.sh
export DROVER_LAB=/srv/drover-bench-lab DROVER_LAB_PREFIX=droverbench DROVER_LAB_SUBNET=10.77.2
export DROVER_BROKER_DIR=/srv/drover-bench-broker DROVER_AMQP_PORT=5692 DROVER_MGMT_PORT=15692
trap 'scripts/lab.sh down >/dev/null 2>&1; scripts/broker.sh stop >/dev/null 2>&1' EXIT
install_debs
require_dotnet
dotnet build Workflow.sln -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
scripts/broker.sh start >/dev/null
scripts/lab.sh up 2 >/dev/null
dotnet bench/AgentBench/bin/Release/net10.0/Drover.AgentBench.dll "$1" "${2:-5}"
