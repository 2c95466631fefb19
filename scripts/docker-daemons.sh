#!/usr/bin/env bash
# Start, stop or check the Docker engine and the two local registries the build
# end-to-end tests and bench/build.ts use. Installs nothing: CI runs
#   apt-get install -y docker.io docker-registry busybox-static apache2-utils
# first. Everything lives under $VELA_DOCKER_ROOT (default /tmp/vela-docker) and
# is stopped by pid, so it never touches a system dockerd.
#
#   engine   unix:///tmp/vela-docker.sock   (DOCKER_HOST for the tests)
#   registry 127.0.0.1:5000                  open
#   registry 127.0.0.1:5001                  htpasswd basic auth (user vela / password vela-secret)
set -euo pipefail

ROOT="${VELA_DOCKER_ROOT:-/tmp/vela-docker}"
SOCK="${VELA_DOCKER_SOCK:-/tmp/vela-docker.sock}"
REG_PORT="${VELA_REGISTRY_PORT:-5000}"
AUTH_PORT="${VELA_AUTH_REGISTRY_PORT:-5001}"
AUTH_USER="vela"
AUTH_PASS="vela-secret"

log() { echo "docker-daemons: $*" >&2; }

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

engine_up() { curl -sf --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1; }
registry_up() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/v2/" 2>/dev/null | grep -qE '^(200|401)$'; }

wait_for() { # what, command...
  local what="$1"; shift
  for _ in $(seq 1 120); do
    if "$@"; then return 0; fi
    sleep 0.5
  done
  log "$what did not answer in 60 s; see the logs under $ROOT"
  return 1
}

bcrypt_line() {
  if command -v htpasswd >/dev/null; then
    htpasswd -Bbn "$AUTH_USER" "$AUTH_PASS"
  elif command -v python3 >/dev/null && python3 -c 'import bcrypt' 2>/dev/null; then
    python3 -c "import bcrypt;print('$AUTH_USER:'+bcrypt.hashpw(b'$AUTH_PASS',bcrypt.gensalt()).decode())"
  else
    log "need htpasswd (apache2-utils) or python3-bcrypt to create the auth registry's password file"
    return 1
  fi
}

registry_config() { # port dir [htpasswd-file]
  local port="$1" dir="$2" htp="${3:-}"
  cat <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
  if [[ -n "$htp" ]]; then
    cat <<YAML
auth:
  htpasswd:
    realm: vela-test
    path: $htp
YAML
  fi
}

start_registry() { # name port [auth]
  local name="$1" port="$2" auth="${3:-}" dir="$ROOT/$1"
  if alive "$dir/pid"; then log "$name already running (pid $(cat "$dir/pid"))"; return 0; fi
  mkdir -p "$dir/data"
  local htp=""
  if [[ -n "$auth" ]]; then htp="$dir/htpasswd"; bcrypt_line >"$htp"; fi
  registry_config "$port" "$dir" "$htp" >"$dir/config.yml"
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  echo $! >"$dir/pid"
  wait_for "$name on 127.0.0.1:$port" registry_up "$port"
  log "$name on 127.0.0.1:$port (pid $(cat "$dir/pid"))"
}

start_engine() {
  local dir="$ROOT/engine"
  if alive "$dir/pid"; then log "dockerd already running (pid $(cat "$dir/pid"))"; return 0; fi
  mkdir -p "$dir/data" "$dir/exec"
  rm -f "$SOCK"
  # --bridge=none and no iptables: the tests need no container networking, and
  # the machines they run on may not allow it. vfs works on any file system.
  dockerd \
    --host "unix://$SOCK" \
    --data-root "$dir/data" \
    --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" \
    --iptables=false --ip6tables=false --bridge=none \
    --storage-driver=vfs \
    --containerd-namespace vela-test --containerd-plugins-namespace vela-test-plugins \
    >"$dir/log" 2>&1 &
  echo $! >"$dir/pid"
  wait_for "dockerd at $SOCK" engine_up
  log "dockerd at unix://$SOCK (pid $(cat "$dir/pid"))"
}

stop_one() { # name pidfile
  local name="$1" pidf="$2"
  if ! alive "$pidf"; then rm -f "$pidf"; return 0; fi
  local pid; pid="$(cat "$pidf")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then log "$name (pid $pid) did not stop; killing it"; kill -9 "$pid" 2>/dev/null || true; fi
  rm -f "$pidf"
  log "stopped $name"
}

status() {
  local rc=0
  if engine_up; then echo "engine   up    unix://$SOCK"; else echo "engine   down  unix://$SOCK"; rc=1; fi
  if registry_up "$REG_PORT"; then echo "registry up    127.0.0.1:$REG_PORT"; else echo "registry down 127.0.0.1:$REG_PORT"; rc=1; fi
  if registry_up "$AUTH_PORT"; then echo "auth-reg up    127.0.0.1:$AUTH_PORT ($AUTH_USER/$AUTH_PASS)"; else echo "auth-reg down 127.0.0.1:$AUTH_PORT"; rc=1; fi
  return $rc
}

case "${1:-}" in
  start)
    mkdir -p "$ROOT"
    start_engine
    start_registry registry "$REG_PORT"
    start_registry auth-registry "$AUTH_PORT" auth
    echo "export DOCKER_HOST=unix://$SOCK"
    ;;
  stop)
    stop_one auth-registry "$ROOT/auth-registry/pid"
    stop_one registry "$ROOT/registry/pid"
    # dockerd stops the containerd it started itself.
    stop_one dockerd "$ROOT/engine/pid"
    rm -f "$SOCK"
    ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 64 ;;
esac
