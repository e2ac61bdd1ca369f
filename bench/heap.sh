#!/usr/bin/env bash
# A 100,000-event mailbox through EWS with the server's heap capped (default 256 MB): does it reach
# done, how long it takes, and the heap it used (peak of jvm.memory.used, heap, sampled every
# 200 ms). Usage: bench/heap.sh [events] [heap]
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-100000}
HEAP=${2:-256m}
SIM_PORT=${BENCH_SIM_PORT:-18591}
PORT=${BENCH_PORT:-18581}
TOKEN=bench-admin-token
[ -f server/target/exbridge.jar ] && [ -f exchange-simulator/target/exchange-simulator.jar ] || ./mvnw -q -B package -DskipTests
source bench/lib.sh
BENCH_SERVER_OPTS="-Xmx$HEAP -Dexbridge.aot=off" start 1 "$EVENTS" 20 60s
heap_mb() {
  curl -sf "$U/actuator/metrics/jvm.memory.used?tag=area:heap" | python3 -c "import json,sys; print(int(json.load(sys.stdin)['measurements'][0]['value'])>>20)"
}
curl -sf -XPUT $U/admin/api/v1/tenants/bench/users/alice -H "$A" -H "$J" -d '{}' >/dev/null
t0=$(now)
ID=$(curl -sf -XPOST "$U/open-apis/calendar/v4/exchange_bindings?user_id_type=user_id" -H "Authorization: Bearer $UT" -H "$J" \
  -d '{"admin_account":"ews@exchange.test","exchange_account":"user1@exchange.test","user_id":"alice"}' | field '["data"]["exchange_binding_id"]')
peak=0; st=doing
while [ "$st" != done ] && [ "$st" != err ]; do
  st=$(curl -sf "$U/open-apis/calendar/v4/exchange_bindings/$ID" -H "Authorization: Bearer $UT" | sed -E 's/.*"status":"([a-z_]+)".*/\1/')
  h=$(heap_mb); [ "$h" -gt "$peak" ] && peak=$h
  sleep 0.2
done
took=$(python3 -c "print(round($(now)-$t0,1))")
events=$(curl -sf "$U/admin/api/v1/bindings/$ID" -H "$A" | field '["events_synced"]')
max=$(curl -sf "$U/actuator/metrics/jvm.memory.max?tag=area:heap" | python3 -c "import json,sys; print(int(json.load(sys.stdin)['measurements'][0]['value'])>>20)")
gc=$(curl -sf "$U/actuator/metrics/jvm.gc.pause" | python3 -c "import json,sys; m={x['statistic']:x['value'] for x in json.load(sys.stdin)['measurements']}; print(f\"{int(m['COUNT'])} pauses, {m['TOTAL_TIME']:.2f} s in total, longest {m['MAX']*1000:.0f} ms\")")
echo "$EVENTS-event mailbox (EWS, 20 ms per request), server heap capped at $HEAP (max reported $max MB):" \
     "status $st after $took s; $events rows stored; heap used peak $peak MB; GC $gc;" \
     "$(curl -sf $S/_sim/requests | field '["total"]') Exchange requests"
grep -c 'OutOfMemoryError' "$DATA/server.log" | sed 's/^/OutOfMemoryError lines in the server log: /'
cleanup
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; server, simulator and this script on the same cores"
