#!/usr/bin/env bash
# Live-migrates a guest whose 256 MiB disk is on its host's own storage back and forth through Drover (MigrateVm with
# CopyStorage, timed to MigrationCompleted: the whole saga, the destination creating the image) and with
# `virsh migrate --live --p2p --copy-storage-all` (the empty destination image made first, timed with it), alternating,
# ROUNDS (default 3) times each; prints the medians and, last, "copy-storage: drover/virsh ratio: X".
# Usage: bench/copy-storage.sh [ROUNDS]
set -o pipefail
"$(dirname "$0")/lib/compare-with-virsh.sh" copy "${1:-3}" | sed 's/^copy\/virsh ratio/copy-storage: drover\/virsh ratio/'
