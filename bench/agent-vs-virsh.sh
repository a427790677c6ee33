#!/usr/bin/env bash
# Live-migrates the lab guest back and forth with the host agent and with `virsh migrate --live --p2p`,
# alternating, ROUNDS (default 5) times each; prints the medians and, last, "agent/virsh ratio: X".
# Brings up (and tears down) its own broker and two-host lab. Usage: bench/agent-vs-virsh.sh [ROUNDS]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
. scripts/lib/install.sh
export DROVER_LAB=/srv/drover-bench-lab DROVER_LAB_PREFIX=droverbench DROVER_LAB_SUBNET=10.77.2
export DROVER_BROKER_DIR=/srv/drover-bench-broker DROVER_AMQP_PORT=5692 DROVER_MGMT_PORT=15692
trap 'scripts/lab.sh down >/dev/null 2>&1; scripts/broker.sh stop >/dev/null 2>&1' EXIT
install_debs
require_dotnet
dotnet build bench/AgentBench -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build src/HostAgent -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
scripts/broker.sh start >/dev/null
scripts/lab.sh up 2 >/dev/null
dotnet bench/AgentBench/bin/Release/net10.0/Drover.AgentBench.dll "${1:-5}"
