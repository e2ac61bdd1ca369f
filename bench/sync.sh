#!/usr/bin/env bash
# Sync benchmark: (1) one 10,000-event mailbox through EWS and one through Graph, with the simulator
# adding 20 ms to every request: time to cal_done, timespan_done and done, Exchange requests, heap;
# (2) how many bindings one instance keeps current: N small mailboxes bound, each changed once a
# minute by the simulator, and the server's sync lag watched. Usage: bench/sync.sh [events] [bindings]
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-10000}
BINDINGS=${2:-10000}
SIM_PORT=${BENCH_SIM_PORT:-18291}
PORT=${BENCH_PORT:-18281}
TOKEN=bench-admin-token
[ -f server/target/exbridge.jar ] && [ -f exchange-simulator/target/exchange-simulator.jar ] || ./mvnw -q -B package -DskipTests

SIM=""; SERVER=""; DATA=""
cleanup() {
  [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
  [ -n "$SIM" ] && { kill "$SIM" 2>/dev/null || true; wait "$SIM" 2>/dev/null || true; }
  [ -n "$DATA" ] && rm -rf "$DATA"
  SIM=""; SERVER=""; DATA=""
}
trap cleanup EXIT
S=http://127.0.0.1:$SIM_PORT
U=http://127.0.0.1:$PORT
A="Authorization: Bearer $TOKEN"; J="Content-Type: application/json"
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
now() { date +%s.%N; }

start() { # mailboxes events latency interval
  java -Xmx6g -jar exchange-simulator/target/exchange-simulator.jar --port "$SIM_PORT" --mailboxes "$1" --events "$2" \
    --seed 1 --latency-ms "$3" > /tmp/exbridge-bench-sync-sim.log 2>&1 &
  SIM=$!
  DATA=$(mktemp -d)
  EXBRIDGE_DATA_DIR="$DATA" EXBRIDGE_ADMIN_TOKEN=$TOKEN SERVER_PORT=$PORT EXBRIDGE_SYNC_INTERVAL="$4" \
  EXBRIDGE_SYNC_POLL_INTERVAL=100ms EXBRIDGE_RATE_LIMIT_METHOD_PER_SECOND=100000 \
  EXBRIDGE_RATE_LIMIT_METHOD_PER_MINUTE=10000000 EXBRIDGE_RATE_LIMIT_APP_PER_SECOND=100000 \
    ${BENCH_SERVER_JAVA:-java} -Xmx1g ${BENCH_SERVER_OPTS:-} -jar server/target/exbridge.jar > "$DATA/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 300); do
    curl -sf $U/actuator/health >/dev/null && curl -sf $S/_sim/mailboxes >/dev/null && break; sleep 0.2
  done
  curl -sf -XPOST $U/admin/api/v1/tenants -H "$A" -H "$J" -d '{"tenant_key":"bench","name":"Bench"}' >/dev/null
  APP=$(curl -sf -XPOST $U/admin/api/v1/tenants/bench/apps -H "$A" -H "$J" \
    -d '{"name":"bench","scopes":["calendar:calendar","calendar:calendar:readonly"]}' | field '["app_id"]')
  curl -sf -XPUT $U/admin/api/v1/tenants/bench/users/boss -H "$A" -H "$J" -d '{"super_admin":true}' >/dev/null
  UT=$(curl -sf -XPOST $U/admin/api/v1/tenants/bench/users/boss/access_tokens -H "$A" -H "$J" -d "{\"app_id\":\"$APP\"}" | field '["access_token"]')
  curl -sf -XPUT $U/admin/api/v1/tenants/bench/exchange_admin_accounts/ews@exchange.test -H "$A" -H "$J" \
    -d "{\"protocol\":\"ews\",\"ews_url\":\"$S/EWS/Exchange.asmx\",\"username\":\"admin@exchange.test\",\"password\":\"secret\",\"auth\":\"ntlm\"}" >/dev/null
  curl -sf -XPUT $U/admin/api/v1/tenants/bench/exchange_admin_accounts/graph@exchange.test -H "$A" -H "$J" \
    -d "{\"protocol\":\"graph\",\"graph_url\":\"$S\",\"token_url\":\"$S/t/oauth2/v2.0/token\",\"client_id\":\"sim-client\",\"client_secret\":\"sim-secret\"}" >/dev/null
}

bind() { # admin mailbox user -> binding id
  curl -sf -XPUT $U/admin/api/v1/tenants/bench/users/$3 -H "$A" -H "$J" -d '{}' >/dev/null
  curl -sf -XPOST "$U/open-apis/calendar/v4/exchange_bindings?user_id_type=user_id" -H "Authorization: Bearer $UT" -H "$J" \
    -d "{\"admin_account\":\"$1\",\"exchange_account\":\"$2\",\"user_id\":\"$3\"}" | field '["data"]["exchange_binding_id"]'
}

heap_mb() {
  curl -sf "$U/actuator/metrics/jvm.memory.used?tag=area:heap" | python3 -c "import json,sys; print(int(json.load(sys.stdin)['measurements'][0]['value'])>>20)"
}

measure() { # admin mailbox user label
  curl -sf -XDELETE $S/_sim/requests >/dev/null
  # Heap sampled beside the status poll, so that the poll stays a bare curl (about 10 ms a turn).
  ( peak=0; while :; do h=$(heap_mb 2>/dev/null || echo 0); [ "$h" -gt "$peak" ] && { peak=$h; echo $peak > /tmp/exbridge-bench-heap; }; sleep 0.2; done ) &
  HEAP=$!
  t0=$(now); ID=$(bind "$1" "$2" "$3"); last=doing
  declare -A at=()
  while [ "$last" != done ] && [ "$last" != err ]; do
    st=$(curl -sf "$U/open-apis/calendar/v4/exchange_bindings/$ID" -H "Authorization: Bearer $UT" | sed -E 's/.*"status":"([a-z_]+)".*/\1/')
    if [ "$st" != "$last" ]; then at[$st]=$(python3 -c "print(round($(now)-$t0,2))"); last=$st; fi
    sleep 0.02
  done
  kill $HEAP; wait $HEAP 2>/dev/null || true; peak=$(cat /tmp/exbridge-bench-heap); rm -f /tmp/exbridge-bench-heap
  requests=$(curl -sf $S/_sim/requests | field '["total"]')
  events=$(curl -sf "$U/admin/api/v1/bindings/$ID" -H "$A" | field '["events_synced"]')
  echo "$4 $1 $2: cal_done ${at[cal_done]:-?} s, timespan_done ${at[timespan_done]:-?} s, done ${at[done]:-?} s (status $last);" \
       "$events rows stored; $requests Exchange requests; server heap peak ${peak} MB (1 GB cap)"
  curl -sf $S/_sim/requests | field '["by_operation"]'
  [ -z "${BENCH_TIMELINE:-}" ] || curl -sf "$S/_sim/requests?entries=true" > "/tmp/exbridge-bench-timeline-$1.json"
  unset at
}

if [ "$EVENTS" -gt 0 ]; then
echo "== one $EVENTS-event mailbox, 20 ms per Exchange request"
start 4 "$EVENTS" 20 60s
# A server that has run before: the first bind through each protocol warms the JVM up.
measure ews@exchange.test user3@exchange.test carol "warm-up (first bind on a fresh JVM):"
measure graph@exchange.test user4@exchange.test dave "warm-up (first bind on a fresh JVM):"
measure ews@exchange.test user1@exchange.test alice "measured:"
measure graph@exchange.test user2@exchange.test bob "measured:"
cleanup
fi
cleanup

[ "$BINDINGS" -gt 0 ] || exit 0
echo "== $BINDINGS bindings of 5-event mailboxes over 10 admin accounts, 20 ms per Exchange request, rounds every 45 s, every mailbox changed once a minute"
# Kept current means: every change in Exchange is in the store within 60 s. A round reads every
# change made before it started, so the server's sync-lag gauge (age of the oldest completed
# round) bounds how late a change can be; with rounds every 45 s it stays under 60 s for as long as
# the instance keeps up.
start "$BINDINGS" 5 20 45s
python3 bench/capacity.py "$U" "$S" "$TOKEN" "$UT" "$BINDINGS" 10 "${BENCH_WATCH_SECONDS:-180}"
echo "server heap $(heap_mb) MB (1 GB cap)"
cleanup
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; server, simulator and this script on the same cores"
