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
# Milliseconds the simulator adds to every Exchange request (Exchange Online answers in 50-200 ms).
LATENCY=${BENCH_LATENCY_MS:-20}
PORT=${BENCH_PORT:-18281}
TOKEN=bench-admin-token
[ -f server/target/exbridge.jar ] && [ -f exchange-simulator/target/exchange-simulator.jar ] || ./mvnw -q -B package -DskipTests

source bench/lib.sh

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
echo "== one $EVENTS-event mailbox, $LATENCY ms per Exchange request"
source bench/testclasses.sh
bench_classpath
# A server that has run before: the JIT of two cores reaches its steady speed after about three
# 10,000-event binds, so each protocol first binds BENCH_WARMUP_BINDS (3) other mailboxes.
WARMUP=${BENCH_WARMUP_BINDS:-3}
start $((2 + 2 * WARMUP)) "$EVENTS" "$LATENCY" 60s
peer() { # the peer: a plain ews-java-api program reading the same mailbox
  curl -sf -XDELETE $S/_sim/requests >/dev/null
  echo "$("$JAVA21" -Xmx1g -cp "$CP" org.exbridge.bench.EwsJavaApiPeer "$S" user1@exchange.test 2>/dev/null | tail -1);" \
       "$(curl -sf $S/_sim/requests | field '["total"]') Exchange requests"
}
peer; peer
for i in $(seq 1 "$WARMUP"); do
  measure ews@exchange.test user$((2 * i + 1))@exchange.test warm$i-ews "warm-up bind $i:"
  measure graph@exchange.test user$((2 * i + 2))@exchange.test warm$i-graph "warm-up bind $i:"
done
measure ews@exchange.test user1@exchange.test alice "measured:"
measure graph@exchange.test user2@exchange.test bob "measured:"
# The peer once more: the machine's speed drifts, and the ratio is taken against all three runs.
peer
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
