#!/usr/bin/env bash
# Run the services exactly as their systemd units would, on a machine without systemd as PID 1 (a container, a
# CI sandbox): for each unit file, the ExecStart line with the unit's User/Group, WorkingDirectory,
# EnvironmentFile and Environment. It does NOT apply the sandboxing options (ProtectSystem, NoNewPrivileges, ...);
# `systemd-analyze verify` and `systemd-analyze security --offline=yes` check those files without running them.
#
#   deploy/check-units.sh start deploy/systemd/fayuan-web.service deploy/systemd/fayuan-worker@.service:1 ...
#   deploy/check-units.sh status
#   deploy/check-units.sh stop            # SIGTERM to each main process (as KillMode=mixed), SIGKILL after 45 s
#
# A template unit takes its instance after a colon (fayuan-worker@.service:1 runs fayuan-worker@1). Logs and pids
# go to $CHECK_UNITS_DIR (default /tmp/fayuan-units).
set -euo pipefail
DIR="${CHECK_UNITS_DIR:-/tmp/fayuan-units}"
mkdir -p "$DIR"

# The value of a [Service] key (the last one wins, as in systemd); every value with --all.
unit_values() {  # file key
  awk -v key="$2" '
    /^\[/ { section = $0; next }
    section == "[Service]" && index($0, key "=") == 1 { print substr($0, length(key) + 2) }
  ' "$1"
}

start_unit() {
  local spec="$1" file instance name
  file="${spec%%:*}"; instance=""
  [[ "$spec" == *:* ]] && instance="${spec#*:}"
  name="$(basename "$file" .service)"; name="${name/@/@$instance}"
  local user group workdir exec
  user="$(unit_values "$file" User | tail -n1)"; group="$(unit_values "$file" Group | tail -n1)"
  workdir="$(unit_values "$file" WorkingDirectory | tail -n1)"
  exec="$(unit_values "$file" ExecStart | tail -n1)"
  exec="${exec//%i/$instance}"
  [[ -n "$exec" ]] || { echo "$file: no ExecStart" >&2; return 1; }

  local -a envs=("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "LANG=C.UTF-8")
  [[ -n "$user" ]] && envs+=("USER=$user" "LOGNAME=$user" "HOME=$(getent passwd "$user" | cut -d: -f6)")
  local envfile line key value
  while IFS= read -r envfile; do
    local optional=0
    [[ "$envfile" == -* ]] && { optional=1; envfile="${envfile#-}"; }
    if [[ ! -r "$envfile" ]]; then
      (( optional )) && continue
      echo "$name: EnvironmentFile $envfile missing" >&2; return 1
    fi
    while IFS= read -r line || [[ -n "$line" ]]; do
      [[ "$line" =~ ^[[:space:]]*(#|\;|$) ]] && continue
      key="${line%%=*}"; value="${line#*=}"
      key="${key//[[:space:]]/}"
      [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]] && value="${BASH_REMATCH[1]}"
      envs+=("$key=$value")
    done < "$envfile"
  done < <(unit_values "$file" EnvironmentFile)
  while IFS= read -r line; do
    [[ "$line" =~ ^\"(.*)\"$ ]] && line="${BASH_REMATCH[1]}"  # Environment="KEY=a value with spaces"
    envs+=("$line")
  done < <(unit_values "$file" Environment)

  local -a argv
  read -ra argv <<< "$exec"
  local -a as_user=()
  [[ -n "$user" ]] && as_user=(setpriv "--reuid=$user" "--regid=${group:-$user}" --init-groups --)
  echo "$name: ${argv[*]} (user ${user:-root}, in ${workdir:-/})"
  (
    cd "${workdir:-/}"
    exec setsid env -i "${envs[@]}" "${as_user[@]}" "${argv[@]}"  # its own process group, like a unit's cgroup
  ) >> "$DIR/$name.log" 2>&1 &
  echo $! > "$DIR/$name.pid"
}

case "${1:-}" in
  start)
    shift
    for spec in "$@"; do start_unit "$spec"; done
    ;;
  status)
    for pidfile in "$DIR"/*.pid; do
      [[ -e "$pidfile" ]] || continue
      pid="$(cat "$pidfile")"
      if kill -0 "$pid" 2>/dev/null; then state=running; else state=stopped; fi
      echo "$(basename "$pidfile" .pid): pid $pid $state"
    done
    ;;
  stop)
    for pidfile in "$DIR"/*.pid; do
      [[ -e "$pidfile" ]] || continue
      pid="$(cat "$pidfile")"
      kill -TERM "$pid" 2>/dev/null || true
    done
    for pidfile in "$DIR"/*.pid; do
      [[ -e "$pidfile" ]] || continue
      pid="$(cat "$pidfile")"
      for _ in $(seq 1 450); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$pid" 2>/dev/null; then echo "$(basename "$pidfile" .pid): SIGKILL"; kill -KILL "$pid"; fi
      # KillMode=mixed: whatever the main process left behind in its group is killed too.
      pkill -KILL -g "$pid" 2>/dev/null || true
      rm -f "$pidfile"
      echo "$(basename "$pidfile" .pid): stopped"
    done
    ;;
  *)
    echo "usage: $0 start UNIT[:INSTANCE]... | status | stop" >&2
    exit 2
    ;;
esac
