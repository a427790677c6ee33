# Sourced by scripts that run Drover's host agents on lab hosts (demo.sh, bench/chaos.sh); needs ROOT and DROVER_LAB.
# start_agent HOST LOG PIDFILE [VAR=VALUE ...]
#   the agent of lab host HOST inside the host's namespaces, in the background, its output appended to LOG and its pid
#   in PIDFILE; its /health/live and /health/ready on 127.0.0.1:BASE+N (kvm-a: N=1; BASE is DROVER_AGENT_PORT_BASE,
#   default 8070). Extra settings come as VAR=VALUE.
start_agent() {
  local host=$1 log=$2 pidfile=$3; shift 3
  local line letter peers
  line=$("$ROOT/scripts/lab.sh" hosts | grep "^$host ") || { echo "start_agent: lab host $host is not up" >&2; return 1; }
  letter=${host#kvm-}
  # Its own broker user (scripts/broker.sh user: its queue and the agent events only), its storage (the lab's guests keep
  # disks and serial logs under /var/lib/drover) and its peers: every lab host at its migration URI.
  mapfile -t peers < <("$ROOT/scripts/lab.sh" hosts | awk '{print "Agent__Peers__" $1 "=" $3}')
  env Agent__HostName="$host" Agent__MigrationUri="$(awk '{print $3}' <<<"$line")" Agent__SharedStorage__0="$DROVER_LAB/shared" \
    Agent__LocalStorage__0=/var/lib/drover "${peers[@]}" \
    RabbitMq__Username="agent-$host" RabbitMq__Password="$("$ROOT/scripts/broker.sh" user "agent-$host")" \
    Urls="http://127.0.0.1:$(( ${DROVER_AGENT_PORT_BASE:-8070} + $(printf '%d' "'$letter") - 96 ))" "$@" \
    nohup "$ROOT/scripts/lab.sh" exec "$host" dotnet "$ROOT/src/HostAgent/bin/Release/net10.0/Drover.HostAgent.dll" >>"$log" 2>&1 &
  echo $! > "$pidfile"
}
