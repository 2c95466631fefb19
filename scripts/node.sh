# The test cluster's node, sourced by scripts/cluster.sh (start --node): a
# kube-controller-manager, a kube-scheduler and a kubelet that runs pods on the
# test Docker engine through the dockershim of Kubernetes 1.20.
#
# What the node is like:
# - node name vela-node, node IP 127.0.0.1; the kubelet serves on 127.0.0.1:10250
#   ($VELA_KUBELET_PORT) with a certificate of the cluster's CA, accepts only
#   client certificates of that CA and bearer tokens (checked by the API server),
#   and asks the API server whether a caller may act (Webhook authorization). The
#   API server reaches it with a client certificate in system:masters, so `kubectl
#   logs`, `exec` and `port-forward` work as on any cluster.
# - Pod network ($VELA_NODE_NETWORK, default auto): `cni` gives every pod an
#   address on a bridge of its own (vela-cni0, 10.244.0.0/24, no NAT, no iptables),
#   reachable from the machine; the kubelet's HTTP probes and Endpoints work. Where
#   the kernel allows no bridge or veth, `none`: only hostNetwork pods run (pod IP
#   127.0.0.1). Any other pod gets a loopback interface only (the engine runs
#   --bridge=none) and no IP, and the kubelet of 1.20 recreates the sandbox of a
#   pod without an IP again and again. There is no kube-proxy (Service IPs don't
#   route), no cluster DNS (pods use the machine's resolv.conf), no hostPort.
# - Pods run only in namespaces that opt in: the node is tainted
#   vela.test/node=opt-in:NoSchedule, and a namespace annotated
#     scheduler.alpha.kubernetes.io/defaultTolerations: '[{"key":"vela.test/node","operator":"Exists"}]'
#   gives its pods the toleration (the PodTolerationRestriction admission plugin).
#   Elsewhere pods stay Pending as on a cluster without a node, so that suites
#   written for that keep their meaning and the two cores are not spent on pods
#   whose images cannot be pulled.
# - Images are never pulled: the pause image is built here FROM scratch (a static
#   binary from scripts/pause/pause.go), and pods use images loaded into the engine
#   with imagePullPolicy Never or IfNotPresent.
# - The kubelet's image garbage collection is off and its eviction thresholds are
#   at the floor, so that it never deletes the other tests' images.
# - One node per machine: kubelets clean up pod logs (/var/log/pods) and sandboxes
#   they don't know, so a second one would remove the first one's.

NODE_SOCK=${VELA_DOCKER_SOCK:-/tmp/vela-docker.sock}
KUBELET_PORT=${VELA_KUBELET_PORT:-10250}
NODE_NETWORK_WANTED=${VELA_NODE_NETWORK:-auto}
# Pods' cgroups live under this root in every hierarchy, away from Docker's own.
NODE_CGROUP_ROOT=/vela-node
NODE_BRIDGE=vela-cni0
NODE_POD_SUBNET=10.244.0.0/24
CNI_BIN_DIR=/usr/lib/cni
# Which run folder owns this machine's node (see "One node per machine").
NODE_OWNER_FILE=/tmp/vela-node.owner
NODE_TAINT=vela.test/node=opt-in:NoSchedule
NODE_OPT_IN='[{"key":"vela.test/node","operator":"Exists"}]'

node_docker() { docker -H "unix://$NODE_SOCK" "$@"; }
node_kubectl() { "$KUBECTL_BIN" --kubeconfig "$C_KUBECONFIG" "$@"; }
pause_image() { echo "vela-test/pause:$NODE_RECIPE-$(pause_source_digest)"; }

node_ready() {
  [ "$(node_kubectl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}

# The machine allows a bridge and veth pairs when these can be made.
bridge_allowed() {
  ip link add vela-probe0 type bridge >/dev/null 2>&1 || return 1
  ip link del vela-probe0 >/dev/null 2>&1
  ip link add vela-probe0 type veth peer name vela-probe1 >/dev/null 2>&1 || return 1
  ip link del vela-probe0 >/dev/null 2>&1
}

choose_network() {
  case "$NODE_NETWORK_WANTED" in
    cni|none) echo "$NODE_NETWORK_WANTED" ;;
    auto) if command -v ip >/dev/null && bridge_allowed; then echo cni; else echo none; fi ;;
    *) die "VELA_NODE_NETWORK is cni, none or auto, not '$NODE_NETWORK_WANTED'" ;;
  esac
}

node_preflight() {
  node_built || die "the node's binaries are missing or stale: run 'scripts/cluster.sh build --node' first"
  local tool
  for tool in docker nsenter socat mount; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install docker.io util-linux socat mount)"
  done
  curl -fsS --max-time 3 --unix-socket "$NODE_SOCK" http://localhost/_ping >/dev/null 2>&1 ||
    die "no Docker engine at unix://$NODE_SOCK for the node (scripts/docker-daemons.sh start, or set VELA_DOCKER_SOCK)"
  [ -f "$C_RUN/apiserver.node-capable" ] ||
    die "the kube-apiserver at https://127.0.0.1:$C_PORT was started without what a node needs (an older scripts/cluster.sh): scripts/cluster.sh stop && scripts/cluster.sh start --node"
  if [ -f "$NODE_OWNER_FILE" ] && [ "$(cat "$NODE_OWNER_FILE")" != "$RUN" ] && pid_alive "$(cat "$NODE_OWNER_FILE")/node/kubelet.pid"; then
    die "a node of $(cat "$NODE_OWNER_FILE") already runs on this machine, and there can be one only: VELA_CLUSTER_RUN=$(cat "$NODE_OWNER_FILE") scripts/cluster.sh stop"
  fi
  [ "$(cat /sys/fs/cgroup/cgroup.controllers 2>/dev/null)" = "" ] ||
    die "this machine uses cgroup v2 only; the kubelet of Kubernetes 1.20 with dockershim needs cgroup v1 hierarchies"
}

node_kubelet_cert() {
  local d="$C_RUN/pki"
  [ -f "$d/kubelet.crt" ] && return
  (
    cd "$d"
    openssl req -newkey rsa:2048 -nodes -keyout kubelet.key -out kubelet.csr -subj "/CN=system:node:$NODE_NAME" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:%s\nextendedKeyUsage=serverAuth\n' "$NODE_NAME" >kubelet.ext
    openssl x509 -req -in kubelet.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -out kubelet.crt -extfile kubelet.ext 2>/dev/null
  )
}

# The pause image, FROM scratch: one static binary, imported rather than built so
# that no builder (BuildKit or the classic one) is involved.
node_pause_image() {
  local image; image=$(pause_image)
  node_docker image inspect "$image" >/dev/null 2>&1 && return
  local tmp; tmp=$(mktemp -d)
  install -m 0755 "$CACHE/pause" "$tmp/pause"
  tar -C "$tmp" -c pause | node_docker import --change 'ENTRYPOINT ["/pause"]' - "$image" >/dev/null
  rm -rf "$tmp"
  log "pause image $image imported into unix://$NODE_SOCK"
}

# The kubelet wants its cgroup root to exist in every hierarchy. A new cpuset
# cgroup starts with no CPUs and no memory nodes: copy its parent's.
node_cgroups() {
  local h
  for h in /sys/fs/cgroup/*/; do
    h=${h%/}
    case "$h" in */unified) continue ;; esac
    mkdir -p "$h$NODE_CGROUP_ROOT"
    if [ -f "$h/cpuset.cpus" ]; then
      [ -n "$(cat "$h$NODE_CGROUP_ROOT/cpuset.cpus")" ] || cat "$h/cpuset.cpus" >"$h$NODE_CGROUP_ROOT/cpuset.cpus"
      [ -n "$(cat "$h$NODE_CGROUP_ROOT/cpuset.mems")" ] || cat "$h/cpuset.mems" >"$h$NODE_CGROUP_ROOT/cpuset.mems"
    fi
  done
}

node_cni_config() {
  [ -x "$CNI_BIN_DIR/bridge" ] && [ -x "$CNI_BIN_DIR/host-local" ] && [ -x "$CNI_BIN_DIR/loopback" ] ||
    die "the CNI plugins are missing in $CNI_BIN_DIR (apt-get install containernetworking-plugins), or set VELA_NODE_NETWORK=none"
  mkdir -p "$NODE_DIR/cni/net.d" "$NODE_DIR/cni/cache" "$NODE_DIR/cni/ipam"
  # No ipMasq and no portmap: both need iptables, and pods need not leave the machine.
  cat >"$NODE_DIR/cni/net.d/10-vela.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "vela-test",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$NODE_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$NODE_POD_SUBNET" }]],
        "dataDir": "$NODE_DIR/cni/ipam"
      }
    }
  ]
}
JSON
}

node_kubelet_config() {
  cat >"$NODE_DIR/kubelet-config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: $KUBELET_PORT
readOnlyPort: 0
healthzPort: 0
tlsCertFile: $C_RUN/pki/kubelet.crt
tlsPrivateKeyFile: $C_RUN/pki/kubelet.key
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
    cacheTTL: 10s
  x509:
    clientCAFile: $C_RUN/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 10s
    cacheUnauthorizedTTL: 5s
cgroupDriver: cgroupfs
cgroupRoot: $NODE_CGROUP_ROOT
cgroupsPerQOS: true
failSwapOn: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: 50Mi
  nodefs.available: 1%
  nodefs.inodesFree: 1%
  imagefs.available: 1%
makeIPTablesUtilChains: false
hairpinMode: none
serializeImagePulls: false
volumePluginDir: $NODE_DIR/volume-plugins
maxPods: 60
YAML
}

start_node_daemon() { # name pidfile command...
  local name=$1 pidf=$2; shift 2
  pid_alive "$pidf" && return
  "$@" >"$NODE_DIR/$name.log" 2>&1 &
  echo $! >"$pidf"
}

start_node() {
  node_preflight
  mkdir -p "$NODE_DIR"
  echo "$C_INDEX" >"$NODE_DIR/cluster"
  echo "$RUN" >"$NODE_OWNER_FILE"
  node_kubelet_cert
  node_pause_image
  node_cgroups
  local network; network=$(choose_network)
  echo "$network" >"$NODE_DIR/network"
  if [ "$network" = none ]; then
    log "warning: no pod network (VELA_NODE_NETWORK=$NODE_NETWORK_WANTED): only hostNetwork pods will run on $NODE_NAME"
  fi
  local net_flags=()
  if [ "$network" = cni ]; then
    node_cni_config
    net_flags=(--network-plugin cni --cni-bin-dir "$CNI_BIN_DIR" --cni-conf-dir "$NODE_DIR/cni/net.d" --cni-cache-dir "$NODE_DIR/cni/cache")
  fi
  node_kubelet_config
  local server="https://127.0.0.1:$C_PORT"
  write_kubeconfig "$NODE_DIR/controller-manager.kubeconfig" system:kube-controller-manager "$(cat "$C_RUN/pki/controller-manager.token")"
  write_kubeconfig "$NODE_DIR/scheduler.kubeconfig" system:kube-scheduler "$(cat "$C_RUN/pki/scheduler.token")"
  write_kubeconfig "$NODE_DIR/kubelet.kubeconfig" "system:node:$NODE_NAME" "$(cat "$C_RUN/pki/node.token")"
  # No serving ports for the controller-manager and the scheduler (--port=0,
  # --secure-port=0): nothing asks them, and several run folders may coexist.
  start_node_daemon controller-manager "$NODE_DIR/controller-manager.pid" "$CACHE/kube-controller-manager" \
    --kubeconfig "$NODE_DIR/controller-manager.kubeconfig" \
    --leader-elect=false --port=0 --secure-port=0 \
    --service-account-private-key-file "$C_RUN/pki/sa.key" \
    --root-ca-file "$C_RUN/pki/ca.crt" \
    --cluster-signing-cert-file "$C_RUN/pki/ca.crt" --cluster-signing-key-file "$C_RUN/pki/ca.key" \
    --use-service-account-credentials=false
  start_node_daemon scheduler "$NODE_DIR/scheduler.pid" "$CACHE/kube-scheduler" \
    --kubeconfig "$NODE_DIR/scheduler.kubeconfig" \
    --leader-elect=false --port=0 --secure-port=0
  start_node_daemon kubelet "$NODE_DIR/kubelet.pid" "$CACHE/kubelet" \
    --config "$NODE_DIR/kubelet-config.yaml" \
    --kubeconfig "$NODE_DIR/kubelet.kubeconfig" \
    --hostname-override "$NODE_NAME" --node-ip 127.0.0.1 \
    --root-dir "$NODE_DIR/kubelet" --cert-dir "$NODE_DIR/kubelet/pki" \
    --container-runtime docker --docker-endpoint "unix://$NODE_SOCK" \
    --experimental-dockershim-root-directory "$NODE_DIR/dockershim" \
    --pod-infra-container-image "$(pause_image)" \
    --register-with-taints "$NODE_TAINT" \
    "${net_flags[@]}"
  local i
  for i in $(seq 1 120); do
    node_ready && break
    local d
    for d in controller-manager scheduler kubelet; do
      pid_alive "$NODE_DIR/$d.pid" || { tail -20 "$NODE_DIR/$d.log" >&2; die "$d exited (log: $NODE_DIR/$d.log)"; }
    done
    sleep 1
  done
  node_ready || die "node $NODE_NAME not Ready after 120 s (logs: $NODE_DIR/*.log)"
  log "node $NODE_NAME ready: pods run on unix://$NODE_SOCK (pod network: $network; logs in $NODE_DIR)"
  log "pods run in namespaces that opt in: kubectl annotate namespace NS scheduler.alpha.kubernetes.io/defaultTolerations='$NODE_OPT_IN'"
}

# Everything the kubelet left behind once it is stopped: the pods' containers on
# the engine, their volume mounts, cgroups and log folders, the bridge.
node_cleanup() {
  if curl -fsS --max-time 3 --unix-socket "$NODE_SOCK" http://localhost/_ping >/dev/null 2>&1; then
    local ids; ids=$(node_docker ps -aq --filter label=io.kubernetes.docker.type 2>/dev/null || true)
    if [ -n "$ids" ]; then
      # shellcheck disable=SC2086
      node_docker rm -f $ids >/dev/null 2>&1 || true
      log "removed the node's $(echo "$ids" | wc -w) containers from unix://$NODE_SOCK"
    fi
  fi
  local m
  awk -v p="$NODE_DIR/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  local uid
  for uid in $(ls "$NODE_DIR/kubelet/pods" 2>/dev/null); do rm -rf /var/log/pods/*_"$uid"; done
  [ -d /var/log/containers ] && find /var/log/containers -xtype l -delete 2>/dev/null || true
  local h
  for h in /sys/fs/cgroup/*/; do
    [ -d "$h${NODE_CGROUP_ROOT#/}" ] && find "$h${NODE_CGROUP_ROOT#/}" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  if [ "$(cat "$NODE_DIR/network" 2>/dev/null)" = cni ] && ip link show "$NODE_BRIDGE" >/dev/null 2>&1; then
    ip link del "$NODE_BRIDGE" 2>/dev/null || true
  fi
}

stop_node() {
  [ -d "$NODE_DIR" ] || return 0
  stop_pid "$NODE_DIR/kubelet.pid" kubelet
  stop_pid "$NODE_DIR/scheduler.pid" kube-scheduler
  stop_pid "$NODE_DIR/controller-manager.pid" kube-controller-manager
  node_cleanup
  rm -rf "$NODE_DIR"
  if [ "$(cat "$NODE_OWNER_FILE" 2>/dev/null)" = "$RUN" ]; then rm -f "$NODE_OWNER_FILE"; fi
}

node_status() {
  local d missing=()
  for d in controller-manager scheduler kubelet; do pid_alive "$NODE_DIR/$d.pid" || missing+=("$d"); done
  if [ ${#missing[@]} -gt 0 ]; then echo "node $NODE_NAME not running (${missing[*]} down)"; return 1; fi
  if node_ready; then
    echo "node $NODE_NAME ready (pods on unix://$NODE_SOCK, pod network: $(cat "$NODE_DIR/network" 2>/dev/null))"
  else
    echo "node $NODE_NAME not ready (logs in $NODE_DIR)"; return 1
  fi
}
