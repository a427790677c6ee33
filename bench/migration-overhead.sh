#!/usr/bin/env bash
# Live-migrates the lab guest back and forth through Drover (publish MigrateVm, timed to MigrationCompleted: the
# whole saga) and with `virsh migrate --live --p2p`, alternating, ROUNDS (default 5) times each; prints the
# medians and, last, "drover/virsh ratio: X". Usage: bench/migration-overhead.sh [ROUNDS]
exec "$(dirname "$0")/lib/compare-with-virsh.sh" drover "${1:-5}"
