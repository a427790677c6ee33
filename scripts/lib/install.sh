# Installs what Drover's scripts need on Debian 12, only what is missing. Sourced by test.sh and demo.sh.
# libvirt-daemon-system is deliberately not installed: it brings systemd and upgrades base libraries.
DROVER_DEBS=(libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-utils
             rabbitmq-server binutils iproute2 util-linux curl ca-certificates jq postgresql openssl)

install_debs() {
  local missing=() p
  for p in "${DROVER_DEBS[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"
}

require_dotnet() {
  command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MASSTRANSIT_USAGE_TELEMETRY=false
}
