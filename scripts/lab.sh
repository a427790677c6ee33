#!/usr/bin/env bash
# Drover's lab: N KVM "hosts" on one machine, each a libvirtd in its own network, mount and UTS
# namespaces with its own host UUID.
#
#   scripts/lab.sh up N             bring up hosts kvm-a, kvm-b, ... (safe to run again)
#                                   prints one line per host: NAME LIBVIRT_URI MIGRATION_URI
#   scripts/lab.sh hosts            the same lines for the hosts that are up
#   scripts/lab.sh down             stop and remove everything the lab made (also after a killed run)
#   scripts/lab.sh guest HOST NAME [--local] [--stopped] [--memory MiB] [--hot]
#                                   create the test guest NAME on HOST (disk on shared storage unless --local)
#   scripts/lab.sh exec HOST CMD... run CMD in HOST's mount and UTS namespaces (its files, its libvirt
#                                   socket at the default path) but the machine's network (to reach RabbitMQ)
#   scripts/lab.sh serial HOST NAME print NAME's serial console as HOST saw it
#   scripts/lab.sh reap [SECONDS]       kill forked libvirtd children stuck before exec (a libvirt 9.0 deadlock)
#   scripts/lab.sh libvirtd stop|kill|start|hang|resume HOST
#                                   stop (TERM), crash (kill -9) or start again HOST's libvirtd; its guests
#                                   keep running, as on a host whose libvirtd restarts; hang (SIGSTOP) and
#                                   resume (SIGCONT) it, a libvirtd that stops answering
#
# Layout under $DROVER_LAB (default /srv/drover-lab; not under /var or /run, which each host overlays):
#   shared/                  shared storage: the same path on every host
#   shared/locks/            the lock manager's disk leases (virtlockd on every host, lockd plugin)
#   hosts/NAME/local/        the host's local storage, seen inside the host as /var/lib/drover
#                            (images/ for disks: the directory storage pool "local"; serial/ for serial consoles)
#   hosts/NAME/run/          /run/libvirt inside the host: libvirt-sock is reachable from outside
# Settings: DROVER_LAB (state), DROVER_LAB_PREFIX (namespace names, default drover),
# DROVER_LAB_SUBNET (the hosts' private /24, default 10.77.0).
# The machine has an address on the hosts' network ($SUBNET.254), so that the agents (which run in the machine's
# network) reach their peers' libvirtd.
# Lab only: libvirt listens on TCP without authentication inside the lab's private network, and with TLS
# (qemu+tls://IP/system, port 16514) with certificates of the lab CA (scripts/ca.sh, DROVER_CA_DIR): the hosts' libvirtd
# and QEMU verify each other's certificates, as an agent with Agent:Tls requires.
set -euo pipefail

LAB=${DROVER_LAB:-/srv/drover-lab}
SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$SELF/lib/processes.sh"
PREFIX=${DROVER_LAB_PREFIX:-drover}       # namespace names: several labs can coexist (demo and tests)
LAN=$PREFIX-lan
SUBNET=${DROVER_LAB_SUBNET:-10.77.0}

die() { echo "lab.sh: $*" >&2; exit 1; }
host_name() { printf 'kvm-%b' "\\x$(printf %x $((96 + $1)))"; }    # 1 -> kvm-a
host_index() { local l=${1#kvm-}; printf '%d' "$(( $(printf '%d' "'$l") - 96 ))"; }
host_ip() { echo "$SUBNET.$((10 + $(host_index "$1")))"; }
host_dir() { echo "$LAB/hosts/$1"; }
local_uri() { echo "qemu+unix:///system?socket=$(host_dir "$1")/run/libvirt-sock"; }
migration_uri() { echo "qemu+tcp://$(host_ip "$1")/system"; }
daemon_pid() { local f; f="$(host_dir "$1")/libvirtd.pid"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }
is_up() { daemon_pid "$1" >/dev/null && virsh -q -c "$(local_uri "$1")" version >/dev/null 2>&1; }
host_line() { echo "$1 $(local_uri "$1") $(migration_uri "$1")"; }

ensure_lan() {
  if ! ip netns list | grep -qw "$LAN"; then
    ip netns add "$LAN"
    ip -n "$LAN" link set lo up
    ip -n "$LAN" link add br0 type bridge
    ip -n "$LAN" link set br0 up
  fi
  # The machine's own leg on the lab's network ($SUBNET.254): the agents run in the machine's network (to reach the
  # broker) and open libvirt connections to their peers (an offline migration streams disk images between the hosts'
  # libvirtd); without it the hosts' addresses would go out by the machine's default route.
  local uplink; uplink="drl$(echo "${SUBNET#*.}" | tr . -)"   # one per lab: drl77-1 for 10.77.1
  if ! ip link show "$uplink" >/dev/null 2>&1; then
    ip link add "$uplink" type veth peer name uplink netns "$LAN"
    ip addr add "$SUBNET.254/24" dev "$uplink"
    ip link set "$uplink" up
    ip -n "$LAN" link set uplink master br0 up
  fi
}

build_guest() { # [VARIANT]: the test guest (default), or "hot": dirties all 64 MiB every 10 ms, so it
  # cannot be migrated live at any bandwidth this machine has (the chapter's VM that dirties memory faster
  # than it can be copied)
  local variant=${1:-default} out="$LAB/guest" dirty=4 period=25
  [ "$variant" = hot ] && { dirty=64; period=1; }
  local image="$out/guest-$variant.qcow2"
  [ -f "$image" ] && [ "$image" -nt "$SELF/guest/boot.S" ] && return
  mkdir -p "$out"
  as --32 --defsym FILL_MB=64 --defsym DIRTY_MB=$dirty --defsym PERIOD=$period -o "$out/boot-$variant.o" "$SELF/guest/boot.S"
  ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o "$out/boot-$variant.bin" "$out/boot-$variant.o"
  [ "$(stat -c %s "$out/boot-$variant.bin")" = 512 ] || die "guest boot sector is not 512 bytes"
  rm -f "$out/guest-$variant.raw"; truncate -s 1M "$out/guest-$variant.raw"
  dd if="$out/boot-$variant.bin" of="$out/guest-$variant.raw" conv=notrunc status=none
  qemu-img convert -f raw -O qcow2 "$out/guest-$variant.raw" "$image"
}

write_config() { # NAME
  local n=$1 d; d=$(host_dir "$1")
  mkdir -p "$d/etc" "$d/run" "$d/var-upper" "$d/var-work" "$d/local/images" "$d/local/serial"
  cat > "$d/etc/libvirtd.conf" <<CONF
listen_tls = 1
listen_tcp = 1
listen_addr = "$(host_ip "$n")"
auth_tcp = "none"
auth_unix_ro = "none"
auth_unix_rw = "none"
unix_sock_group = "root"
unix_sock_rw_perms = "0770"
host_uuid = "$(printf 'd7083e00-0000-4000-8000-%012x' "$(host_index "$n")")"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
  cat > "$d/etc/qemu.conf" <<CONF
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
migration_address = "$(host_ip "$n")"
migration_host = "$(host_ip "$n")"
lock_manager = "lockd"
migrate_tls_x509_cert_dir = "/etc/pki/qemu"
migrate_tls_x509_verify = 1
CONF
  write_pki "$n"
  # libvirt's lock manager, as a fleet without leases of its own should run it: every disk needs a lease, held by the
  # host's virtlockd in a file on the shared storage named by the sha256 of the disk's path. A second start of a guest
  # anywhere in the lab is refused even where QEMU's own image locks do not reach (another host's copy of a path).
  cat > "$d/etc/qemu-lockd.conf" <<CONF
auto_disk_leases = 1
require_lease_for_disks = 1
file_lockspace_dir = "$LAB/shared/locks"
CONF
  cat > "$d/etc/virtlockd.conf" <<CONF
log_outputs = "3:file:/var/log/libvirt/virtlockd.log"
CONF
  # libvirt resolves the user 'libvirt-qemu' before it reads qemu.conf; without libvirt-daemon-system
  # (which would bring systemd) the host gets a passwd that has it, the machine's stays untouched.
  cp /etc/passwd "$d/passwd"; cp /etc/group "$d/group"
  getent passwd libvirt-qemu >/dev/null || echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin' >> "$d/passwd"
  getent group libvirt-qemu >/dev/null || echo 'libvirt-qemu:x:64055:' >> "$d/group"
  { echo "127.0.0.1 localhost"; for h in "$LAB"/hosts/*/; do h=$(basename "$h"); echo "$(host_ip "$h") $h"; done; } > "$d/hosts"
}

write_pki() { # NAME: the host's certificate from the lab CA (scripts/ca.sh), for libvirtd's TLS listener and its client
  # side (qemu+tls:// to a peer) and for QEMU's migration stream (VIR_MIGRATE_TLS); seen inside the host as /etc/pki
  local n=$1 pki cert ca; pki="$(host_dir "$1")/pki"
  cert=$("$SELF/ca.sh" issue "$PREFIX-$n" --ip "$(host_ip "$n")" --dns "$n"); ca=$("$SELF/ca.sh" path)
  mkdir -p "$pki/CA" "$pki/libvirt/private" "$pki/qemu"
  cp "$ca" "$pki/CA/cacert.pem"; cp "$ca" "$pki/qemu/ca-cert.pem"
  local role
  for role in server client; do
    cp "$cert.crt" "$pki/libvirt/${role}cert.pem"; cp "$cert.key" "$pki/libvirt/private/${role}key.pem"
    cp "$cert.crt" "$pki/qemu/$role-cert.pem"; cp "$cert.key" "$pki/qemu/$role-key.pem"
  done
  chmod -R go-rwx "$pki/libvirt/private" "$pki/qemu"
}

start_host() { # NAME
  local n=$1 ns="$PREFIX-$1" d; d=$(host_dir "$1")
  local i; i=$(host_index "$n")
  ip netns list | grep -qw "$ns" || ip netns add "$ns"
  ip -n "$ns" link set lo up
  if ! ip -n "$ns" link show eth0 >/dev/null 2>&1; then
    ip link add "vh$i" netns "$ns" type veth peer name "vb$i" netns "$LAN"
    ip -n "$ns" link set "vh$i" name eth0
    ip -n "$ns" addr add "$(host_ip "$n")/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$LAN" link set "vb$i" master br0 up
  fi
  write_config "$n"
  rm -f "$d/run/libvirt-sock"*
  mkdir -p /etc/pki   # only a mount point: each host sees its own certificates there
  ip netns exec "$ns" unshare --mount --uts --propagation private sh -ec "
    hostname $n
    mount -t tmpfs -o mode=755 tmpfs /run
    mount -t overlay overlay -o lowerdir=/var,upperdir=$d/var-upper,workdir=$d/var-work /var
    mkdir -p /run/libvirt /var/lib/libvirt /var/log/libvirt/qemu /var/cache/libvirt /var/lib/drover
    mount --bind $d/run /run/libvirt
    mount --bind $d/local /var/lib/drover
    mount --bind $d/etc /etc/libvirt
    mount --bind $d/pki /etc/pki
    mount --bind $d/passwd /etc/passwd
    mount --bind $d/group /etc/group
    mount --bind $d/hosts /etc/hosts
    # holds the host's namespaces, so that its libvirtd can be stopped and started again (a crash, an upgrade)
    setsid sleep infinity </dev/null >/dev/null 2>&1 &
    echo \$! > $d/holder.pid
    virtlockd --daemon --pid-file $d/virtlockd.pid --config /etc/libvirt/virtlockd.conf
    exec libvirtd --daemon --listen --pid-file $d/libvirtd.pid --config /etc/libvirt/libvirtd.conf
  "
}

holder_pid() { local f; f="$(host_dir "$1")/holder.pid"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }

cmd_libvirtd() { # stop|kill|start|hang|resume HOST: the host's libvirtd only; its guests keep running, as on a real host
  local action=$1 n=$2 d; d=$(host_dir "$2")
  local holder; holder=$(holder_pid "$n") || die "host $n is not up (scripts/lab.sh up N)"
  case $action in
    kill) [ -f "$d/libvirtd.pid" ] && kill -9 "$(cat "$d/libvirtd.pid")" 2>/dev/null; rm -f "$d/libvirtd.pid" ;;
    stop) stop_pid "$d/libvirtd.pid" ;;
    hang) kill -STOP "$(cat "$d/libvirtd.pid")" ;;      # a libvirtd that accepts connections and answers nothing
    resume) kill -CONT "$(cat "$d/libvirtd.pid")" ;;
    start)
      daemon_pid "$n" >/dev/null && return 0
      rm -f "$d/run/libvirt-sock"*
      [ -f "$d/virtlockd.pid" ] && kill -0 "$(cat "$d/virtlockd.pid")" 2>/dev/null ||
        nsenter --target "$holder" --net --mount --uts -- virtlockd --daemon --pid-file "$d/virtlockd.pid" --config /etc/libvirt/virtlockd.conf
      nsenter --target "$holder" --net --mount --uts -- libvirtd --daemon --listen --pid-file "$d/libvirtd.pid" --config /etc/libvirt/libvirtd.conf
      wait_up "$n"
      ;;
    *) die "libvirtd: stop, kill, start, hang or resume" ;;
  esac
}

wait_up() { # NAME: libvirtd probes QEMU's capabilities first (8-20 s on 2 cores)
  local deadline=$((SECONDS + 120))
  until is_up "$1"; do
    [ $SECONDS -lt $deadline ] || die "$1: libvirtd did not answer within 120 s (see $(host_dir "$1")/var-upper/log/libvirt/libvirtd.log)"
    sleep 0.2
  done
}

cmd_up() {
  local count=${1:-2} i n
  [[ "$count" =~ ^[1-9]$ ]] || die "up takes a host count from 1 to 9"
  mkdir -p "$LAB/shared/locks" "$LAB/hosts" "$LAB/domains"
  build_guest
  ensure_lan
  for i in $(seq 1 "$count"); do mkdir -p "$(host_dir "$(host_name "$i")")"; done
  for i in $(seq 1 "$count"); do n=$(host_name "$i"); is_up "$n" || start_host "$n"; done
  for i in $(seq 1 "$count"); do n=$(host_name "$i"); wait_up "$n"; ensure_pool "$n"; done
  cmd_hosts
}

ensure_pool() { # NAME: the host's local images as a directory storage pool "local" (an offline copy streams volumes)
  local c; c=$(local_uri "$1")
  virsh -q -c "$c" pool-info local >/dev/null 2>&1 || {
    virsh -q -c "$c" pool-define-as local dir --target /var/lib/drover/images >/dev/null
    virsh -q -c "$c" pool-autostart local >/dev/null
  }
  case $(virsh -q -c "$c" pool-info local) in *running*) ;; *) virsh -q -c "$c" pool-start local >/dev/null ;; esac
}

cmd_hosts() {
  local d
  for d in "$LAB"/hosts/*/; do [ -d "$d" ] && is_up "$(basename "$d")" && host_line "$(basename "$d")"; done
  return 0
}


cmd_down() {
  local d n ns p
  for d in "$LAB"/hosts/*/; do
    [ -d "$d" ] || continue
    n=$(basename "$d"); ns="$PREFIX-$n"
    for p in "$d"/*.agent.pid; do stop_pid "$p"; done
    if is_up "$n"; then
      for dom in $(virsh -q -c "$(local_uri "$n")" list --name 2>/dev/null); do
        virsh -q -c "$(local_uri "$n")" destroy "$dom" >/dev/null 2>&1 || true
      done
    fi
    stop_pid "$d/libvirtd.pid"
    stop_pid "$d/virtlockd.pid"
    stop_pid "$d/holder.pid"
    # whatever is left inside the host's network namespace is ours (QEMU of a killed run)
    if ip netns list | grep -qw "$ns"; then
      for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
      ip netns del "$ns"
    fi
  done
  ip netns list | grep -qw "$LAN" && ip netns del "$LAN"
  rm -rf "$LAB"
  echo "lab down"
}

require_up() { is_up "$1" || die "host $1 is not up (scripts/lab.sh up N)"; }

cmd_exec() { # HOST CMD...
  local n=$1; shift
  require_up "$n"
  exec nsenter --target "$(holder_pid "$n" || daemon_pid "$n")" --mount --uts -- "$@"
}

cmd_guest() { # HOST NAME [--local] [--stopped] [--memory MiB] [--hot]
  local n=$1 name=$2; shift 2
  local local_disk=0 start=1 mem=128 variant=default disk xml
  while [ $# -gt 0 ]; do
    case $1 in
      --local) local_disk=1 ;;
      --stopped) start=0 ;;
      --memory) mem=$2; shift ;;
      --hot) variant=hot ;;
      *) die "guest: unknown option $1" ;;
    esac
    shift
  done
  [[ "$name" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$ ]] || die "guest: bad name '$name'"
  require_up "$n"
  build_guest "$variant"
  if [ $local_disk = 1 ]; then
    disk=/var/lib/drover/images/$name.qcow2
    cp "$LAB/guest/guest-$variant.qcow2" "$(host_dir "$n")/local/images/$name.qcow2"
  else
    disk=$LAB/shared/$name.qcow2
    cp "$LAB/guest/guest-$variant.qcow2" "$disk"
  fi
  xml=$LAB/domains/$name.xml
  cat > "$xml" <<XML
<domain type='qemu'>
  <name>$name</name>
  <memory unit='MiB'>$mem</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <boot dev='hd'/>
  </os>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none'/>
      <source file='$disk'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <serial type='file'>
      <source path='/var/lib/drover/serial/$name.log' append='off'/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
  </devices>
</domain>
XML
  rm -f "$(host_dir "$n")/local/serial/$name.log"
  virsh -q -c "$(local_uri "$n")" define "$xml" >/dev/null
  [ $start = 1 ] && virsh -q -c "$(local_uri "$n")" start "$name" >/dev/null
  echo "$name on $n: disk $disk"
}

# libvirt 9.0 with the lockd lock manager can deadlock the child it forks to start QEMU: the child, a copy of libvirtd
# between fork and exec, blocks in virDomainLockProcessStart on a GLib lock another thread held at the fork (gdb:
# g_object_unref -> futex), and libvirtd waits forever in qemuProcessLaunch's handshake, answering nothing else that
# needs the driver. Seen once in a few dozen test runs, with many migrations arriving at one host. Killing the stuck
# child fails that one start (the migration rolls back or is tried again) and frees libvirtd; on a real host the same
# is done by hand, or by restarting libvirtd.
cmd_reap() { # [SECONDS]: kill the lab libvirtds' forked children still not QEMU after SECONDS (default 30)
  local limit=${1:-30} d n daemon cmdline p age comm
  for d in "$LAB"/hosts/*/; do
    n=$(basename "$d"); daemon=$(daemon_pid "$n") || continue
    cmdline=$(tr '\0' ' ' < "/proc/$daemon/cmdline")
    for p in /proc/[0-9]*; do
      p=${p#/proc/}
      [ "$p" = "$daemon" ] && continue
      { read -r comm < "/proc/$p/comm"; } 2>/dev/null || continue   # gone meanwhile
      case $comm in *libvir*) ;; *) continue ;; esac   # a forked libvirtd keeps its thread's name
      [ "$(tr '\0' ' ' 2>/dev/null < "/proc/$p/cmdline")" = "$cmdline" ] || continue   # exactly this host's libvirtd, forked
      age=$(ps -o etimes= -p "$p" 2>/dev/null | tr -d ' ')
      [ "${age:-0}" -ge "$limit" ] || continue
      echo "$n: libvirtd's child $p stuck before exec for ${age} s: killed" >&2
      kill -9 "$p" 2>/dev/null || true
    done
  done
}

cmd_serial() { cat "$(host_dir "$1")/local/serial/$2.log" 2>/dev/null | tr -d '\r'; }

[ "$(id -u)" = 0 ] || die "the lab needs root (namespaces, mounts)"
case ${1:-} in
  up) shift; cmd_up "$@" ;;
  hosts) cmd_hosts ;;
  down) cmd_down ;;
  guest) shift; [ $# -ge 2 ] || die "usage: guest HOST NAME [--local] [--stopped] [--memory MiB] [--hot]"; cmd_guest "$@" ;;
  exec) shift; [ $# -ge 2 ] || die "usage: exec HOST CMD..."; cmd_exec "$@" ;;
  libvirtd) shift; [ $# -eq 2 ] || die "usage: libvirtd stop|kill|start|hang|resume HOST"; cmd_libvirtd "$@" ;;
  serial) shift; [ $# -eq 2 ] || die "usage: serial HOST NAME"; cmd_serial "$@" ;;
  reap) shift; cmd_reap "$@" ;;
  *) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
