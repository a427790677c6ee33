#!/usr/bin/env bash
# Drover's whole test suite, the README's test command: installs what is missing, starts a private RabbitMQ,
# PostgreSQL and a lab of libvirt hosts, runs every test against them, and tears down what it started (also on
# failure or Ctrl-C). Exits non-zero when any test fails. Usage: scripts/test.sh [dotnet test --filter EXPR]
#   scripts/test.sh --fast    only the pure tests (saga specs, policies, planner, parsing): no broker, database or lab
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
[ "$(id -u)" = 0 ] || { echo "run as root: the lab needs namespaces and mounts" >&2; exit 1; }
. scripts/lib/install.sh

failures() {  # each failed test with the head of its message, so that the run's last lines say what failed
  awk '/^ +Failed .* \[[^]]+\]$/{on=1; n=0; print "FAILED:" substr($0, index($0, "Failed ") + 6); next}
       on && /^ +(Stack Trace:|Passed |Failed |Skipped )/{on=0}
       on && n < 12 {print "   " $0; n++}' tests/TestResults/test.log
}

summary() {   # one closing line over all test assemblies
  awk '/^ +Passed: [0-9]+$/{p+=$2} /^ +Failed: [0-9]+$/{f+=$2} /^ +Skipped: [0-9]+$/{s+=$2}
       END{printf "tests: %d passed, %d failed, %d skipped\n",p,f,s}' tests/TestResults/test.log
}

if [ "${1:-}" = --fast ]; then
  require_dotnet
  dotnet build Workflow.sln -c Release -nologo -v quiet -clp:ErrorsOnly
  mkdir -p tests/TestResults; : > tests/TestResults/test.log
  status=0
  for project in tests/*.Tests/*.csproj; do
    dotnet test "$project" -c Release --no-build -nologo --filter "Category=Fast" --logger "console;verbosity=normal" 2>&1 \
      | tee -a tests/TestResults/test.log || status=1
  done
  summary
  exit "$status"
fi

# The tests' own lab and broker, apart from the demo's.
export DROVER_LAB=/srv/drover-test-lab DROVER_LAB_PREFIX=drovertest DROVER_LAB_SUBNET=10.77.1
export DROVER_BROKER_DIR=/srv/drover-test-broker DROVER_AMQP_PORT=5682 DROVER_MGMT_PORT=15682 DROVER_BROKER_TLS_PORT=5692
export DROVER_CA_DIR=/srv/drover-test-ca   # the lab CA of the tests' TLS (scripts/ca.sh)
export DROVER_PG_DIR=/srv/drover-test-pg DROVER_PG_PORT=55442
export DROVER_TEST_PIDS=/srv/drover-test-pids      # coordinators and agents the tests start, by pid
export DROVER_TEST_CLUSTER_DIR=/srv/drover-test-cluster DROVER_TEST_CLUSTER_PORT=5721   # the broker-failover test's cluster
stop_cluster() { DROVER_BROKER_DIR=$DROVER_TEST_CLUSTER_DIR scripts/broker.sh stop >/dev/null 2>&1 || true; rm -rf "$DROVER_TEST_CLUSTER_DIR"; }

stop_test_processes() {   # what a test host started and could not stop (it crashed or was killed)
  local f p
  for f in "$DROVER_TEST_PIDS"/*.pid; do
    [ -f "$f" ] || continue
    p=$(cat "$f")
    case "$(cat /proc/"$p"/cmdline 2>/dev/null | tr '\0' ' ')" in
      *Drover.Coordinator.dll*|*Drover.HostAgent.dll*) kill -9 "$p" 2>/dev/null || true ;;
    esac
    rm -f "$f"
  done
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  echo "--- tearing down the test lab and broker"
  [ -z "${reaper:-}" ] || kill "$reaper" 2>/dev/null || true
  [ -s tests/TestResults/reaped.log ] && { echo "--- libvirtd children freed during the run:"; cat tests/TestResults/reaped.log; }
  stop_test_processes
  scripts/lab.sh down >/dev/null 2>&1 || true
  scripts/broker.sh stop >/dev/null 2>&1 || true
  stop_cluster
  scripts/pg.sh stop >/dev/null 2>&1 || true
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

install_debs chromium   # the dashboard test drives a real headless Chromium
require_dotnet

echo "--- building, and starting RabbitMQ, PostgreSQL and a three-host lab beside the build"
stop_test_processes; scripts/lab.sh down >/dev/null 2>&1 || true     # leftovers of a killed run
scripts/broker.sh stop >/dev/null 2>&1 || true; rm -rf "$DROVER_BROKER_DIR"   # every run starts with empty queues
stop_cluster
mkdir -p tests/TestResults
# The services start while the build compiles (the lab's libvirtds spend most of their start probing QEMU).
(scripts/broker.sh start && scripts/pg.sh start) > tests/TestResults/services.log 2>&1 & services=$!
scripts/lab.sh up 3 > tests/TestResults/lab.log 2>&1 & lab=$!
# The broker-failover test's cluster too (its fixture finds it running); best effort: the fixture starts it otherwise.
(DROVER_BROKER_DIR=$DROVER_TEST_CLUSTER_DIR DROVER_CLUSTER_PORT=$DROVER_TEST_CLUSTER_PORT scripts/broker.sh cluster 3 || true) \
  > tests/TestResults/cluster.log 2>&1 & cluster=$!
build=0; dotnet build Workflow.sln -c Release -nologo -v quiet -clp:ErrorsOnly || build=$?
started=0
wait "$services" || started=$?
cat tests/TestResults/services.log
wait "$lab" || started=$?
cat tests/TestResults/lab.log
wait "$cluster" || true
[ "$build" = 0 ] || { echo "the build failed" >&2; exit "$build"; }
[ "$started" = 0 ] || { echo "the broker, PostgreSQL or the lab did not start (above)" >&2; exit 1; }

# The lab's libvirtds can deadlock a forked child under many concurrent migrations (a libvirt 9.0 bug: lab.sh reap);
# as an operator would, a watcher frees them, so that one such start fails instead of hanging the run.
: > tests/TestResults/reaped.log
( while sleep 10; do scripts/lab.sh reap 30 >> tests/TestResults/reaped.log 2>&1 || true; done ) & reaper=$!

echo "--- testing"
# One test project after another: they share the lab's hosts, and two sets of agents on one host would
# compete for its queue.
status=0
: > tests/TestResults/test.log
for project in tests/*.Tests/*.csproj; do
  set +e
  dotnet test "$project" -c Release --no-build -nologo "${@/#/--filter=}" \
    --logger "console;verbosity=normal" 2>&1 | tee -a tests/TestResults/test.log
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
  set -e
done
failures
summary
exit "$status"
