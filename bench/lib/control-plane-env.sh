# Sourced by the control-plane benches (control-plane.sh, heartbeats.sh): root, the install and process helpers, and
# the broker and PostgreSQL of their own (directories and ports apart from the tests', the demo's and chaos's).
[ "$(id -u)" = 0 ] || { echo "run as root: PostgreSQL runs as its own user" >&2; exit 1; }
. scripts/lib/install.sh
. scripts/lib/processes.sh
export DROVER_BROKER_DIR=/srv/drover-cp-broker DROVER_AMQP_PORT=5703 DROVER_MGMT_PORT=15703
export DROVER_PG_DIR=/srv/drover-cp-pg DROVER_PG_PORT=55453
export DROVER_BROKER_PID_FILE=$DROVER_BROKER_DIR/rabbit.pid DROVER_PG_PID_FILE=$DROVER_PG_DIR/data/postmaster.pid
export MASSTRANSIT_USAGE_TELEMETRY=false
