#!/usr/bin/env bash
# A real Kubernetes API server (1.20, from Debian's source package) plus etcd on
# loopback, for vela's end-to-end tests and benchmarks. There is no scheduler, no
# controller-manager and no kubelet: objects are stored and validated, pods stay
# Pending. Only Debian packages are ever downloaded.
#
#   scripts/cluster.sh build    build kube-apiserver once (cached in $VELA_CLUSTER_CACHE)
#   scripts/cluster.sh start    start etcd + kube-apiserver, write the kubeconfig (idempotent)
#   scripts/cluster.sh stop     stop both by pid (idempotent)
#   scripts/cluster.sh status   print whether it runs; exit 0 when ready
#   scripts/cluster.sh env      print `export KUBECONFIG=...` lines for a shell
set -euo pipefail

CACHE=${VELA_CLUSTER_CACHE:-/var/cache/vela-test}
RUN=${VELA_CLUSTER_RUN:-/tmp/vela-cluster}
APISERVER_BIN="$CACHE/kube-apiserver"
# Bump when the build recipe changes, so a cached binary from an older recipe is rebuilt.
RECIPE=2
RECIPE_STAMP="$CACHE/kube-apiserver.recipe"
KUBECTL_BIN="$CACHE/kubectl"
PORT=${VELA_CLUSTER_PORT:-6443}
ETCD_CLIENT_PORT=${VELA_ETCD_PORT:-23790}
ETCD_PEER_PORT=$((ETCD_CLIENT_PORT + 1))
KUBECONFIG_PATH="$RUN/kubeconfig"
NORIGHTS_KUBECONFIG_PATH="$RUN/kubeconfig-norights"

log() { echo "cluster: $*" >&2; }
die() { echo "cluster: error: $*" >&2; exit 1; }

need_root_for_apt() {
  if [ "$(id -u)" != 0 ]; then die "installing Debian packages needs root"; fi
}

# Debian's source repository: the same mirror as the binary one, as a deb822 file.
ensure_deb_src() {
  local f=/etc/apt/sources.list.d/vela-debian-src.sources
  if grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ || grep -qs '^deb-src' /etc/apt/sources.list; then
    return
  fi
  need_root_for_apt
  # The same mirror as the machine's binary packages (never a host of our own choosing).
  local uris
  uris=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$uris" ] || uris=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uris" ] || die "no Debian mirror found in /etc/apt/sources.list(.d) to add a deb-src entry for"
  log "adding a deb-src entry for Debian bookworm from $uris ($f)"
  cat >"$f" <<SRC
Types: deb-src
URIs: $uris
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt-get update -qq
}

ensure_packages() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    need_root_for_apt
    log "installing ${missing[*]}"
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Debian's kubectl (kubernetes-client, 1.20) is unpacked into the cache rather than
# installed, because another package may already own /usr/bin/kubectl.
ensure_kubectl() {
  [ -x "$KUBECTL_BIN" ] && return
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq kubernetes-client >/dev/null && dpkg-deb -x kubernetes-client_*.deb x)
  install -m 0755 "$tmp/x/usr/bin/kubectl" "$KUBECTL_BIN"
  rm -rf "$tmp"
  log "kubectl $("$KUBECTL_BIN" version --client --short 2>/dev/null || true) at $KUBECTL_BIN"
}

cmd_build() {
  mkdir -p "$CACHE"
  ensure_packages etcd-server openssl
  if [ -x "$APISERVER_BIN" ] && [ "$(cat "$RECIPE_STAMP" 2>/dev/null)" = "$RECIPE" ]; then
    log "kube-apiserver already built: $APISERVER_BIN"
    ensure_deb_src
    ensure_kubectl
    return
  fi
  ensure_deb_src
  # reflect2 1.0.2 (Debian's package) replaces the vendored 1.0.1, whose map
  # iteration crashes (SIGSEGV in mapiternext) when built with Go 1.18 or later:
  # the API server dies on its first CRD watch event otherwise.
  ensure_packages rsync golang-go dpkg-dev make golang-github-modern-go-reflect2-dev
  ensure_kubectl
  local src="$CACHE/src"
  mkdir -p "$src"
  if ! ls -d "$src"/kubernetes-*/ >/dev/null 2>&1; then
    log "fetching Debian's kubernetes source package into $src"
    (cd "$src" && apt-get source -qq kubernetes >/dev/null)
  fi
  local tree; tree=$(ls -d "$src"/kubernetes-*/ | head -1); tree=${tree%/}
  # The Makefile expects to live at $GOPATH/src/k8s.io/kubernetes.
  rsync -a --delete /usr/share/gocode/src/github.com/modern-go/reflect2/ "$tree/vendor/github.com/modern-go/reflect2/"
  local gopath="$CACHE/gopath"
  mkdir -p "$gopath/src/k8s.io"
  ln -sfn "$tree" "$gopath/src/k8s.io/kubernetes"
  log "building kube-apiserver with $(go version) (a few minutes)"
  (
    cd "$gopath/src/k8s.io/kubernetes"
    export GOPATH="$gopath" CGO_ENABLED=0
    export GOCACHE="$CACHE/gocache" KUBE_GIT_VERSION=v1.20.2 KUBE_GIT_TREE_STATE=clean
    make WHAT=cmd/kube-apiserver GOFLAGS=-tags=providerless
  )
  local out; out=$(find "$tree/_output" -type f -name kube-apiserver -perm -u+x | head -1)
  [ -n "$out" ] || die "the build produced no kube-apiserver"
  install -m 0755 "$out" "$APISERVER_BIN"
  echo "$RECIPE" >"$RECIPE_STAMP"
  log "built $APISERVER_BIN ($("$APISERVER_BIN" --version))"
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

make_certs() {
  local d="$RUN/pki"
  [ -f "$d/apiserver.crt" ] && return
  mkdir -p "$d"
  (
    cd "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout ca.key -out ca.crt -subj "/CN=vela-test-ca" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,IP:10.96.0.1\nextendedKeyUsage=serverAuth\n' >san.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -out apiserver.crt -extfile san.ext 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  )
  # Tokens: an admin in system:masters, and a user with no rights for RBAC tests.
  local admin norights
  admin=$(openssl rand -hex 16); norights=$(openssl rand -hex 16)
  printf '%s,admin,admin,system:masters\n%s,norights,norights\n' "$admin" "$norights" >"$d/tokens.csv"
  echo "$admin" >"$d/admin.token"
  echo "$norights" >"$d/norights.token"
}

write_kubeconfig() {
  local path=$1 user=$2 token=$3 ca
  ca=$(base64 -w0 <"$RUN/pki/ca.crt")
  cat >"$path" <<KC
apiVersion: v1
kind: Config
clusters:
- name: vela-test
  cluster:
    server: https://127.0.0.1:$PORT
    certificate-authority-data: $ca
users:
- name: $user
  user:
    token: $token
contexts:
- name: vela-test-$user
  context:
    cluster: vela-test
    user: $user
    namespace: default
current-context: vela-test-$user
KC
  chmod 600 "$path"
}

ready() {
  curl -fsS --max-time 2 --cacert "$RUN/pki/ca.crt" -H "Authorization: Bearer $(cat "$RUN/pki/admin.token" 2>/dev/null)" \
    "https://127.0.0.1:$PORT/readyz" >/dev/null 2>&1
}

cmd_start() {
  [ -x "$APISERVER_BIN" ] || die "no kube-apiserver at $APISERVER_BIN: run 'scripts/cluster.sh build' first"
  command -v etcd >/dev/null || die "etcd is missing: run 'scripts/cluster.sh build' first"
  mkdir -p "$RUN"
  if pid_alive "$RUN/apiserver.pid" && ready; then log "already running"; cmd_env; return; fi
  make_certs
  if ! pid_alive "$RUN/etcd.pid"; then
    rm -rf "$RUN/etcd-data"
    etcd --name vela-test --data-dir "$RUN/etcd-data" \
      --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
      --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
      --initial-cluster "vela-test=http://127.0.0.1:$ETCD_PEER_PORT" \
      >"$RUN/etcd.log" 2>&1 &
    echo $! >"$RUN/etcd.pid"
  fi
  if ! pid_alive "$RUN/apiserver.pid"; then
    "$APISERVER_BIN" \
      --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
      --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$PORT" \
      --tls-cert-file "$RUN/pki/apiserver.crt" --tls-private-key-file "$RUN/pki/apiserver.key" \
      --client-ca-file "$RUN/pki/ca.crt" \
      --token-auth-file "$RUN/pki/tokens.csv" \
      --authorization-mode RBAC \
      --service-account-key-file "$RUN/pki/sa.pub" \
      --service-account-signing-key-file "$RUN/pki/sa.key" \
      --service-account-issuer https://kubernetes.default.svc \
      --service-cluster-ip-range 10.96.0.0/12 \
      --disable-admission-plugins ServiceAccount \
      --allow-privileged=true \
      >"$RUN/apiserver.log" 2>&1 &
    echo $! >"$RUN/apiserver.pid"
  fi
  local i
  for i in $(seq 1 120); do
    if ready; then break; fi
    pid_alive "$RUN/apiserver.pid" || { tail -20 "$RUN/apiserver.log" >&2; die "kube-apiserver exited (log: $RUN/apiserver.log)"; }
    sleep 0.5
  done
  ready || die "kube-apiserver not ready after 60 s (log: $RUN/apiserver.log)"
  write_kubeconfig "$KUBECONFIG_PATH" admin "$(cat "$RUN/pki/admin.token")"
  write_kubeconfig "$NORIGHTS_KUBECONFIG_PATH" norights "$(cat "$RUN/pki/norights.token")"
  log "ready at https://127.0.0.1:$PORT (kubeconfig: $KUBECONFIG_PATH)"
  cmd_env
}

stop_pid() {
  local f=$1 name=$2 pid i
  if pid_alive "$f"; then
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    log "stopped $name ($pid)"
  fi
  rm -f "$f"
}

cmd_stop() {
  stop_pid "$RUN/apiserver.pid" kube-apiserver
  stop_pid "$RUN/etcd.pid" etcd
  rm -rf "$RUN/etcd-data"
}

cmd_status() {
  if pid_alive "$RUN/apiserver.pid" && ready; then
    echo "running: https://127.0.0.1:$PORT (kubeconfig: $KUBECONFIG_PATH)"
  else
    echo "not running"; return 1
  fi
}

cmd_env() {
  echo "export KUBECONFIG=$KUBECONFIG_PATH"
  echo "export VELA_TEST_KUBECONFIG=$KUBECONFIG_PATH"
  echo "export VELA_TEST_KUBECONFIG_NORIGHTS=$NORIGHTS_KUBECONFIG_PATH"
  echo "export VELA_TEST_KUBECTL=$KUBECTL_BIN"
}

case "${1:-}" in
  build) cmd_build ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) echo "usage: $0 build|start|stop|status|env" >&2; exit 64 ;;
esac
