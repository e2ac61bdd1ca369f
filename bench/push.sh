#!/usr/bin/env bash
# Push benchmark: N bindings (EWS over 10 admin accounts, and a Graph share), 20 ms per Exchange
# request, every mailbox changed once a minute; change-to-visible latency through the calendar API,
# and idle Exchange requests per binding per hour, with push on and, for comparison, off (today's
# polling every 60 s). Usage: bench/push.sh [bindings] [graph share] [watch s] [idle s push on] [idle s push off]
set -euo pipefail
cd "$(dirname "$0")/.."
BINDINGS=${1:-10000}
SHARE=${2:-0.2}
WATCH=${3:-180}
IDLE_ON=${4:-960}
IDLE_OFF=${5:-300}
SIM_PORT=${BENCH_SIM_PORT:-18391}
PORT=${BENCH_PORT:-18381}
TOKEN=bench-admin-token
[ -f server/target/exbridge.jar ] && [ -f exchange-simulator/target/exchange-simulator.jar ] || ./mvnw -q -B package -DskipTests
source bench/lib.sh

run() { # push(0|1) idle_seconds
  # Each admin account stands for a service account of its own; the simulator has one login, so
  # its per-login streaming connection limit is raised to cover all of them (10 x 5).
  BENCH_SERVER_OPTS="-Dexbridge.aot=off -Dexbridge.push.enabled=$([ "$1" = 1 ] && echo true || echo false) -Dexbridge.push.public-url=http://127.0.0.1:$PORT -Dexbridge.push.ews.connections-per-account=5" \
    start "$BINDINGS" 5 20 60s
  curl -sf -XPUT $S/_sim/push -H "$J" -d '{"ews_connection_limit":64}' >/dev/null
  python3 bench/push.py "$U" "$S" "$TOKEN" "$UT" "$APP" "$BINDINGS" 10 "$SHARE" "$WATCH" "$2" "$1"
  cleanup
}
echo "== push on: $BINDINGS bindings, Graph share $SHARE, 20 ms per Exchange request, rounds every 60 s (15 min while push is healthy)"
run 1 "$IDLE_ON"
echo "== push off (polling every 60 s, as before push)"
run 0 "$IDLE_OFF"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; server, simulator and this script on the same cores"
