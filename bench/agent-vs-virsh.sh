#!/usr/bin/env bash
# Live-migrates the lab guest back and forth with the host agent alone (TransferMemory over the bus, timed to
# MemoryTransferred) and with `virsh migrate --live --p2p`, alternating, ROUNDS (default 5) times each; prints
# the medians and, last, "agent/virsh ratio: X". Usage: bench/agent-vs-virsh.sh [ROUNDS]
exec "$(dirname "$0")/lib/compare-with-virsh.sh" agent "${1:-5}"
