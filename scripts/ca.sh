#!/usr/bin/env bash
# The lab's certificate authority, for encrypted transport in the lab and the tests (never for production: there, your
# own PKI issues the same files).
#   scripts/ca.sh issue NAME [--ip ADDRESS]... [--dns NAME]...   a key and certificate for NAME (server and client use),
#                                     signed by the lab CA (made on first use); prints the path prefix (NAME.crt, NAME.key)
#   scripts/ca.sh path                the CA's certificate (what every peer trusts)
# Settings: DROVER_CA_DIR (default /srv/drover-ca). Keys are readable by root only.
set -euo pipefail
DIR=${DROVER_CA_DIR:-/srv/drover-ca}
die() { echo "ca.sh: $*" >&2; exit 2; }

init() {
  [ -s "$DIR/ca.crt" ] && return 0
  mkdir -p "$DIR"; chmod 700 "$DIR"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$DIR/ca.key" -out "$DIR/ca.crt" \
    -days 3650 -subj "/CN=Drover lab CA" 2>/dev/null
  chmod 600 "$DIR/ca.key"
}

issue() {
  local name=$1 sans=() extensions; shift
  [[ "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$ ]] || die "'$name' is not a certificate name"
  while [ $# -gt 0 ]; do
    case $1 in
      --ip) sans+=("IP:${2:?--ip needs an address}"); shift 2 ;;
      --dns) sans+=("DNS:${2:?--dns needs a name}"); shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  init
  if [ ! -s "$DIR/$name.crt" ]; then
    [ ${#sans[@]} -gt 0 ] || sans=("DNS:$name")
    extensions=$(mktemp)
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n' \
      "$(IFS=,; echo "${sans[*]}")" > "$extensions"
    (umask 077; openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$DIR/$name.key" \
      -out "$DIR/$name.csr" -subj "/CN=$name" 2>/dev/null)
    openssl x509 -req -in "$DIR/$name.csr" -CA "$DIR/ca.crt" -CAkey "$DIR/ca.key" -CAcreateserial -days 825 \
      -extfile "$extensions" -out "$DIR/$name.crt" 2>/dev/null
    rm -f "$extensions" "$DIR/$name.csr"
  fi
  echo "$DIR/$name"
}

case ${1:-} in
  issue) shift; issue "${1:?certificate name}" "${@:2}" ;;
  path) init; echo "$DIR/ca.crt" ;;
  *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
