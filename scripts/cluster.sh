#!/usr/bin/env bash
# Real Kubernetes 1.20 control planes (built from Debian's source package) on
# loopback, for vela's end-to-end tests and benchmarks. Only Debian packages are
# ever downloaded.
#
# By default one cluster: etcd + kube-apiserver, no node (pods stay Pending).
#   --clusters N  N independent clusters, each with its own etcd, CA, tokens and
#                 kubeconfig. Cluster 1 is the main one ($VELA_CLUSTER_RUN, port
#                 $VELA_CLUSTER_PORT); cluster I >= 2 lives in $VELA_CLUSTER_RUN-I
#                 on port PORT+10(I-1), its etcd on ETCD_PORT+10(I-1).
#   --node        a real node for cluster 1: kube-controller-manager,
#                 kube-scheduler and a kubelet that runs pods on the test Docker
#                 engine ($VELA_DOCKER_SOCK) through its dockershim. One node per
#                 machine (scripts/node.sh says why).
#   --node-cluster I   the node for cluster I instead (implies --node).
#
#   scripts/cluster.sh build [--node]              build the binaries once (cached in $VELA_CLUSTER_CACHE)
#   scripts/cluster.sh start [--clusters N] [--node | --node-cluster I]
#                                                  start what is not running, write kubeconfigs (idempotent)
#   scripts/cluster.sh stop                        stop everything started from $VELA_CLUSTER_RUN (by pid; idempotent)
#   scripts/cluster.sh stop --node                 stop the node only (its pods' containers are removed)
#   scripts/cluster.sh stop --cluster I            stop cluster I's kube-apiserver only; its etcd and data stay
#   scripts/cluster.sh start --cluster I           start it again
#   scripts/cluster.sh status                      one line per cluster and for the node; exit 0 when all are ready
#   scripts/cluster.sh env                         `export ...` lines for a shell
set -euo pipefail

SCRIPTS=$(cd "$(dirname "$0")" && pwd)
CACHE=${VELA_CLUSTER_CACHE:-/var/cache/vela-test}
RUN=${VELA_CLUSTER_RUN:-/tmp/vela-cluster}
APISERVER_BIN="$CACHE/kube-apiserver"
# Bump when the build recipe changes, so a cached binary from an older recipe is rebuilt.
RECIPE=2
RECIPE_STAMP="$CACHE/kube-apiserver.recipe"
# The node's binaries have a recipe of their own, so that adding them did not
# rebuild the API server.
NODE_BINS=(kube-controller-manager kube-scheduler kubelet)
NODE_RECIPE=1
NODE_RECIPE_STAMP="$CACHE/kube-node.recipe"
KUBECTL_BIN="$CACHE/kubectl"
BASE_PORT=${VELA_CLUSTER_PORT:-6443}
BASE_ETCD_PORT=${VELA_ETCD_PORT:-23790}
# Where the list of running clusters is kept: `env` and test/support read it.
CLUSTERS_FILE="$RUN/clusters"
MAX_CLUSTERS=9

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

# Unpacks Debian's kubernetes source package (once) and prints the tree's path.
source_tree() {
  local src="$CACHE/src"
  mkdir -p "$src"
  if ! ls -d "$src"/kubernetes-*/ >/dev/null 2>&1; then
    log "fetching Debian's kubernetes source package into $src"
    (cd "$src" && apt-get source -qq kubernetes >/dev/null)
  fi
  local tree; tree=$(ls -d "$src"/kubernetes-*/ | head -1)
  echo "${tree%/}"
}

# make_k8s TREE cmd/a cmd/b...: Kubernetes' own build of the given commands.
make_k8s() {
  local tree=$1; shift
  # reflect2 1.0.2 (Debian's package) replaces the vendored 1.0.1, whose map
  # iteration crashes (SIGSEGV in mapiternext) when built with Go 1.18 or later:
  # the API server dies on its first CRD watch event otherwise.
  rsync -a --delete /usr/share/gocode/src/github.com/modern-go/reflect2/ "$tree/vendor/github.com/modern-go/reflect2/"
  # The Makefile expects to live at $GOPATH/src/k8s.io/kubernetes.
  local gopath="$CACHE/gopath"
  mkdir -p "$gopath/src/k8s.io"
  ln -sfn "$tree" "$gopath/src/k8s.io/kubernetes"
  (
    cd "$gopath/src/k8s.io/kubernetes"
    # Static binaries throughout, the kubelet too: nothing it does here needs cgo
    # (no cloud provider, dockershim talks to Docker over its socket).
    export GOPATH="$gopath" CGO_ENABLED=0
    export KUBE_GIT_VERSION=v1.20.2 KUBE_GIT_TREE_STATE=clean
    # The build shares two cores with running tests.
    nice -n 10 make WHAT="$*" GOFLAGS=-tags=providerless
  )
}

install_built() { # tree name
  local out; out=$(find "$1/_output" -type f -name "$2" -perm -u+x | head -1)
  [ -n "$out" ] || die "the build produced no $2"
  install -m 0755 "$out" "$CACHE/$2"
}

node_built() {
  local b
  for b in "${NODE_BINS[@]}" pause; do [ -x "$CACHE/$b" ] || return 1; done
  [ "$(cat "$NODE_RECIPE_STAMP" 2>/dev/null)" = "$NODE_RECIPE:$(pause_source_digest)" ]
}

pause_source_digest() { sha256sum <"$SCRIPTS/pause/pause.go" | cut -c1-16; }

# Two changes to the kubelet for the test node, each a single line, made in the
# unpacked source before the node's build (sed_once checks each one took):
# - It refuses a loopback node IP: the node would have no address, and the API
#   server could not reach it for logs, exec and port-forward. The test node's
#   only address is 127.0.0.1.
# - It gives pod sandboxes (-998) and Guaranteed pods (-997) a negative OOM score
#   adjustment, which needs CAP_SYS_RESOURCE; these machines' root has every
#   capability but that one, so runc fails every such container ("can't get final
#   child's PID from pipe"). 0 instead: a test node has nothing to protect them from.
sed_once() { # file mark sed-expression
  grep -qF "$2" "$1" && return
  sed -i "$3" "$1"
  grep -qF "$2" "$1" || die "could not patch $1 ($2)"
}

patch_kubelet() {
  local pkg="$1/pkg/kubelet"
  sed_once "$pkg/kubelet_node_status.go" 'vela-test: loopback node IP' \
    "s|^\tif nodeIP.IsLoopback() {\$|\tif false \&\& nodeIP.IsLoopback() { // vela-test: loopback node IP|"
  sed_once "$pkg/dockershim/docker_sandbox.go" 'vela-test: no CAP_SYS_RESOURCE' \
    "s|^\tdefaultSandboxOOMAdj int = -998\$|\tdefaultSandboxOOMAdj int = 0 // vela-test: no CAP_SYS_RESOURCE|"
  sed_once "$pkg/qos/policy.go" 'vela-test: no CAP_SYS_RESOURCE' \
    "s|^\tguaranteedOOMScoreAdj int = -997\$|\tguaranteedOOMScoreAdj int = 0 // vela-test: no CAP_SYS_RESOURCE|"
}

build_node() {
  # What the node runs besides its binaries: socat and nsenter for port-forward,
  # the CNI plugins and ip for the pod network, Docker's CLI to import the pause image.
  ensure_packages socat containernetworking-plugins iproute2 util-linux docker.io
  if node_built; then log "node binaries already built: ${NODE_BINS[*]} pause in $CACHE"; return; fi
  ensure_packages rsync golang-go dpkg-dev make golang-github-modern-go-reflect2-dev
  local tree; tree=$(source_tree)
  patch_kubelet "$tree"
  log "building ${NODE_BINS[*]} with $(go version) (several minutes)"
  make_k8s "$tree" cmd/kube-controller-manager cmd/kube-scheduler cmd/kubelet
  local b
  for b in "${NODE_BINS[@]}"; do install_built "$tree" "$b"; done
  # The pod sandbox's process, for a pause image built FROM scratch.
  (
    export GOCACHE="$tree/_output/local/go/cache" CGO_ENABLED=0 GO111MODULE=off
    nice -n 10 go build -trimpath -ldflags='-s -w' -o "$CACHE/pause" "$SCRIPTS/pause/pause.go"
  )
  echo "$NODE_RECIPE:$(pause_source_digest)" >"$NODE_RECIPE_STAMP"
  log "built ${NODE_BINS[*]} pause in $CACHE ($("$CACHE/kubelet" --version))"
}

cmd_build() {
  mkdir -p "$CACHE"
  ensure_packages etcd-server openssl
  if [ -x "$APISERVER_BIN" ] && [ "$(cat "$RECIPE_STAMP" 2>/dev/null)" = "$RECIPE" ]; then
    log "kube-apiserver already built: $APISERVER_BIN"
    ensure_deb_src
    ensure_kubectl
  else
    ensure_deb_src
    ensure_packages rsync golang-go dpkg-dev make golang-github-modern-go-reflect2-dev
    ensure_kubectl
    local tree; tree=$(source_tree)
    log "building kube-apiserver with $(go version) (a few minutes)"
    make_k8s "$tree" cmd/kube-apiserver
    install_built "$tree" kube-apiserver
    echo "$RECIPE" >"$RECIPE_STAMP"
    log "built $APISERVER_BIN ($("$APISERVER_BIN" --version))"
  fi
  if [ "$WANT_NODE" = 1 ]; then build_node; fi
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- one cluster -------------------------------------------------------------
# select_cluster I sets C_* for cluster I: its folder, ports and kubeconfigs. A
# cluster in the list keeps the folder and ports it was started with, whatever
# VELA_CLUSTER_PORT and VELA_ETCD_PORT say now; a new one gets them from those.
select_cluster() {
  C_INDEX=$1
  local listed=''
  [ -f "$CLUSTERS_FILE" ] && listed=$(awk -F '\t' -v i="$1" '$1 == i' "$CLUSTERS_FILE")
  if [ -n "$listed" ]; then
    C_NAME=$(cut -f2 <<<"$listed")
    C_PORT=$(cut -f3 <<<"$listed"); C_PORT=${C_PORT##*:}
    C_RUN=$(cut -f5 <<<"$listed")
    C_ETCD_PORT=$(cut -f6 <<<"$listed")
  else
    if [ "$1" = 1 ]; then C_RUN=$RUN; C_NAME=vela-test; else C_RUN="$RUN-$1"; C_NAME="vela-test-$1"; fi
    C_PORT=$((BASE_PORT + 10 * ($1 - 1)))
    C_ETCD_PORT=$((BASE_ETCD_PORT + 10 * ($1 - 1)))
  fi
  C_ETCD_PEER_PORT=$((C_ETCD_PORT + 1))
  C_KUBECONFIG="$C_RUN/kubeconfig"
  C_NORIGHTS="$C_RUN/kubeconfig-norights"
}

make_certs() {
  local d="$C_RUN/pki"
  mkdir -p "$d"
  (
    cd "$d"
    if [ ! -f apiserver.crt ]; then
      openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout ca.key -out ca.crt -subj "/CN=$C_NAME-ca" 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
      printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,IP:10.96.0.1\nextendedKeyUsage=serverAuth\n' >san.ext
      openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -out apiserver.crt -extfile san.ext 2>/dev/null
      openssl genrsa -out sa.key 2048 2>/dev/null
      openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    fi
    # The API server's client certificate for the kubelets (logs, exec, port-forward).
    if [ ! -f kubelet-client.crt ]; then
      openssl req -newkey rsa:2048 -nodes -keyout kubelet-client.key -out kubelet-client.csr \
        -subj "/O=system:masters/CN=kube-apiserver-kubelet-client" 2>/dev/null
      printf 'extendedKeyUsage=clientAuth\n' >client.ext
      openssl x509 -req -in kubelet-client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
        -out kubelet-client.crt -extfile client.ext 2>/dev/null
    fi
  )
  # Tokens: an admin in system:masters, a user with no rights for RBAC tests, and
  # the node's components. The kubelet is a real node identity (the Node
  # authorizer and NodeRestriction apply); the controller-manager and the
  # scheduler act as masters, which a test cluster can afford.
  if [ ! -f "$d/tokens.csv" ] || [ ! -f "$d/node.token" ]; then
    local admin norights node cm sched
    admin=$(cat "$d/admin.token" 2>/dev/null || openssl rand -hex 16)
    norights=$(cat "$d/norights.token" 2>/dev/null || openssl rand -hex 16)
    node=$(openssl rand -hex 16); cm=$(openssl rand -hex 16); sched=$(openssl rand -hex 16)
    {
      printf '%s,admin,admin,system:masters\n%s,norights,norights\n' "$admin" "$norights"
      printf '%s,system:node:%s,kubelet,system:nodes\n' "$node" "$NODE_NAME"
      printf '%s,system:kube-controller-manager,kube-controller-manager,system:masters\n' "$cm"
      printf '%s,system:kube-scheduler,kube-scheduler,system:masters\n' "$sched"
    } >"$d/tokens.csv"
    echo "$admin" >"$d/admin.token"
    echo "$norights" >"$d/norights.token"
    echo "$node" >"$d/node.token"
    echo "$cm" >"$d/controller-manager.token"
    echo "$sched" >"$d/scheduler.token"
  fi
}

write_kubeconfig() {
  local path=$1 user=$2 token=$3 ca
  ca=$(base64 -w0 <"$C_RUN/pki/ca.crt")
  cat >"$path" <<KC
apiVersion: v1
kind: Config
clusters:
- name: $C_NAME
  cluster:
    server: https://127.0.0.1:$C_PORT
    certificate-authority-data: $ca
users:
- name: $user
  user:
    token: $token
contexts:
- name: $C_NAME-$user
  context:
    cluster: $C_NAME
    user: $user
    namespace: default
current-context: $C_NAME-$user
KC
  chmod 600 "$path"
}

ready() {
  curl -fsS --max-time 2 --cacert "$C_RUN/pki/ca.crt" -H "Authorization: Bearer $(cat "$C_RUN/pki/admin.token" 2>/dev/null)" \
    "https://127.0.0.1:$C_PORT/readyz" >/dev/null 2>&1
}

start_etcd() {
  if pid_alive "$C_RUN/etcd.pid"; then return; fi
  port_in_use "$C_ETCD_PORT" && die "port $C_ETCD_PORT (etcd of $C_NAME) is taken by another process; set VELA_ETCD_PORT"
  port_in_use "$C_ETCD_PEER_PORT" && die "port $C_ETCD_PEER_PORT (etcd peer of $C_NAME) is taken by another process; set VELA_ETCD_PORT"
  rm -rf "$C_RUN/etcd-data"
  etcd --name "$C_NAME" --data-dir "$C_RUN/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$C_ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$C_ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$C_ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$C_ETCD_PEER_PORT" \
    --initial-cluster "$C_NAME=http://127.0.0.1:$C_ETCD_PEER_PORT" \
    >"$C_RUN/etcd.log" 2>&1 &
  echo $! >"$C_RUN/etcd.pid"
}

start_apiserver() {
  if pid_alive "$C_RUN/apiserver.pid"; then return; fi
  port_in_use "$C_PORT" && die "port $C_PORT (kube-apiserver of $C_NAME) is taken by another process; set VELA_CLUSTER_PORT"
  local pki="$C_RUN/pki"
  "$APISERVER_BIN" \
    --etcd-servers "http://127.0.0.1:$C_ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$C_PORT" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" \
    --token-auth-file "$pki/tokens.csv" \
    --authorization-mode Node,RBAC \
    --enable-admission-plugins NodeRestriction,PodTolerationRestriction \
    --disable-admission-plugins ServiceAccount \
    --kubelet-client-certificate "$pki/kubelet-client.crt" --kubelet-client-key "$pki/kubelet-client.key" \
    --kubelet-certificate-authority "$pki/ca.crt" \
    --kubelet-preferred-address-types InternalIP \
    --service-account-key-file "$pki/sa.pub" \
    --service-account-signing-key-file "$pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc \
    --service-cluster-ip-range 10.96.0.0/12 \
    --allow-privileged=true \
    >"$C_RUN/apiserver.log" 2>&1 &
  echo $! >"$C_RUN/apiserver.pid"
  # An API server started by an older version of this script knows neither the
  # node's tokens nor how to reach a kubelet: `start --node` checks for this mark.
  echo 1 >"$C_RUN/apiserver.node-capable"
}

start_cluster() { # index
  select_cluster "$1"
  mkdir -p "$C_RUN"
  if pid_alive "$C_RUN/apiserver.pid" && ready; then log "$C_NAME already running at https://127.0.0.1:$C_PORT"; return; fi
  make_certs
  start_etcd
  start_apiserver
  local i
  for i in $(seq 1 120); do
    if ready; then break; fi
    pid_alive "$C_RUN/apiserver.pid" || { tail -20 "$C_RUN/apiserver.log" >&2; die "kube-apiserver of $C_NAME exited (log: $C_RUN/apiserver.log)"; }
    sleep 0.5
  done
  ready || die "kube-apiserver of $C_NAME not ready after 60 s (log: $C_RUN/apiserver.log)"
  write_kubeconfig "$C_KUBECONFIG" admin "$(cat "$C_RUN/pki/admin.token")"
  write_kubeconfig "$C_NORIGHTS" norights "$(cat "$C_RUN/pki/norights.token")"
  log "$C_NAME ready at https://127.0.0.1:$C_PORT (kubeconfig: $C_KUBECONFIG)"
}

stop_pid() {
  local f=$1 name=$2 pid i
  if pid_alive "$f"; then
    pid=$(cat "$f")
    # A stopped (SIGSTOP) process would not act on SIGTERM until continued.
    kill -CONT "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    log "stopped $name ($pid)"
  fi
  rm -f "$f"
}

stop_cluster() { # index
  select_cluster "$1"
  stop_pid "$C_RUN/apiserver.pid" "kube-apiserver of $C_NAME"
  rm -f "$C_RUN/apiserver.node-capable"
  stop_pid "$C_RUN/etcd.pid" "etcd of $C_NAME"
  rm -rf "$C_RUN/etcd-data"
}

# --- the list of clusters ------------------------------------------------------
# $RUN/clusters: one line per running cluster, tab-separated:
#   index  name  server  kubeconfig  run-folder  etcd-port
listed_count() {
  if [ -f "$CLUSTERS_FILE" ]; then awk 'END{print NR}' "$CLUSTERS_FILE"; else echo 0; fi
}

write_clusters_file() { # count
  local i tmp="$CLUSTERS_FILE.tmp"
  : >"$tmp"
  for i in $(seq 1 "$1"); do
    select_cluster "$i"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$C_NAME" "https://127.0.0.1:$C_PORT" "$C_KUBECONFIG" "$C_RUN" "$C_ETCD_PORT" >>"$tmp"
  done
  mv "$tmp" "$CLUSTERS_FILE"
}

# --- the node --------------------------------------------------------------------
# It joins cluster 1 unless --node-cluster says another; its state lives in the
# main run folder whichever it joined.
NODE_NAME=vela-node
NODE_DIR="$RUN/node"
select_node_cluster() { select_cluster "$(cat "$NODE_DIR/cluster" 2>/dev/null || echo 1)"; }
# shellcheck source=scripts/node.sh
source "$SCRIPTS/node.sh"

# --- commands ----------------------------------------------------------------------
cmd_start() {
  [ -x "$APISERVER_BIN" ] || die "no kube-apiserver at $APISERVER_BIN: run 'scripts/cluster.sh build' first"
  command -v etcd >/dev/null || die "etcd is missing: run 'scripts/cluster.sh build' first"
  if [ -n "$ONLY" ]; then
    [ "$ONLY" -le "$(listed_count)" ] || die "no cluster $ONLY was started from $RUN (see scripts/cluster.sh status)"
    start_cluster "$ONLY"
    return
  fi
  local count=$WANT_CLUSTERS listed; listed=$(listed_count)
  # Never fewer than already run: `start` after `start --clusters 3` keeps all three.
  [ "$listed" -gt "$count" ] && count=$listed
  if [ "$WANT_NODE" = 1 ]; then
    [ "$NODE_CLUSTER" -le "$count" ] || die "--node-cluster $NODE_CLUSTER needs --clusters $NODE_CLUSTER or more"
    if [ -f "$NODE_DIR/cluster" ] && [ "$(cat "$NODE_DIR/cluster")" != "$NODE_CLUSTER" ]; then
      die "the node runs on cluster $(cat "$NODE_DIR/cluster"); scripts/cluster.sh stop --node first to move it"
    fi
  fi
  local i
  for i in $(seq 1 "$count"); do start_cluster "$i"; done
  write_clusters_file "$count"
  if [ "$WANT_NODE" = 1 ]; then select_cluster "$NODE_CLUSTER"; start_node; fi
  cmd_env
}

cmd_stop() {
  if [ -n "$ONLY" ]; then
    # Only the API server: its etcd keeps the cluster's objects for `start --cluster I`.
    select_cluster "$ONLY"
    stop_pid "$C_RUN/apiserver.pid" "kube-apiserver of $C_NAME"
    return
  fi
  select_node_cluster
  stop_node
  # `stop --node`: the node only, the clusters keep running.
  [ "$WANT_NODE" = 1 ] && return
  local count i; count=$(listed_count)
  [ "$count" -ge 1 ] || count=1
  for i in $(seq "$count" -1 1); do stop_cluster "$i"; done
  rm -f "$CLUSTERS_FILE"
}

cmd_status() {
  local rc=0 count i; count=$(listed_count)
  [ "$count" -ge 1 ] || count=1
  for i in $(seq 1 "$count"); do
    select_cluster "$i"
    if pid_alive "$C_RUN/apiserver.pid" && ready; then
      echo "$C_NAME running: https://127.0.0.1:$C_PORT (kubeconfig: $C_KUBECONFIG)"
    else
      echo "$C_NAME not running"; rc=1
    fi
  done
  if [ -d "$NODE_DIR" ]; then
    select_node_cluster
    node_status || rc=1
  fi
  return $rc
}

cmd_env() {
  select_cluster 1
  echo "export KUBECONFIG=$C_KUBECONFIG"
  echo "export VELA_TEST_KUBECONFIG=$C_KUBECONFIG"
  echo "export VELA_TEST_KUBECONFIG_NORIGHTS=$C_NORIGHTS"
  echo "export VELA_TEST_KUBECTL=$KUBECTL_BIN"
  if [ -f "$CLUSTERS_FILE" ]; then
    echo "export VELA_TEST_CLUSTERS=$CLUSTERS_FILE"
    local i
    for i in $(seq 2 "$(listed_count)"); do
      select_cluster "$i"
      echo "export VELA_TEST_KUBECONFIG_$i=$C_KUBECONFIG"
    done
  fi
  if pid_alive "$NODE_DIR/kubelet.pid"; then
    select_node_cluster
    echo "export VELA_TEST_NODE=$NODE_NAME"
    echo "export VELA_TEST_NODE_KUBECONFIG=$C_KUBECONFIG"
    echo "export VELA_TEST_NODE_DOCKER_HOST=unix://$NODE_SOCK"
  fi
}

usage() {
  echo "usage: $0 build [--node] | start [--clusters N] [--node | --node-cluster I] | start --cluster I | stop [--node | --cluster I] | status | env" >&2
  exit 64
}

VERB=${1:-}
[ $# -gt 0 ] && shift
WANT_CLUSTERS=1 WANT_NODE=0 NODE_CLUSTER=1 ONLY=
while [ $# -gt 0 ]; do
  case "$1" in
    --clusters) [ $# -ge 2 ] || usage; WANT_CLUSTERS=$2; shift 2 ;;
    --node) WANT_NODE=1; shift ;;
    --node-cluster) [ $# -ge 2 ] || usage; WANT_NODE=1; NODE_CLUSTER=$2; shift 2 ;;
    --cluster) [ $# -ge 2 ] || usage; ONLY=$2; shift 2 ;;
    *) usage ;;
  esac
done
case "$WANT_CLUSTERS" in ''|*[!0-9]*) die "--clusters takes a number from 1 to $MAX_CLUSTERS, not '$WANT_CLUSTERS'" ;; esac
[ "$WANT_CLUSTERS" -ge 1 ] && [ "$WANT_CLUSTERS" -le "$MAX_CLUSTERS" ] || die "--clusters takes a number from 1 to $MAX_CLUSTERS, not '$WANT_CLUSTERS'"
case "$NODE_CLUSTER" in ''|*[!0-9]*|0) die "--node-cluster takes a cluster's index (1, 2, ...), not '$NODE_CLUSTER'" ;; esac
if [ -n "$ONLY" ]; then
  case "$ONLY" in ''|*[!0-9]*|0) die "--cluster takes a cluster's index (1, 2, ...), not '$ONLY'" ;; esac
fi

case "$VERB" in
  build) cmd_build ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) usage ;;
esac
