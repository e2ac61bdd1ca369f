#!/usr/bin/env bash
# Two-way write benchmark: N (default 1,000) users bound to small EWS mailboxes, the simulator
# adding 20 ms to every request; write latency (API call to item in Exchange) at RATE writes/s and
# sustained writes/s. Usage: bench/writes.sh [users] [rate] [seconds] [callers]
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${1:-1000}; RATE=${2:-100}; SECONDS_=${3:-30}; CALLERS=${4:-64}
SIM_PORT=${BENCH_SIM_PORT:-18391}; PORT=${BENCH_PORT:-18381}; TOKEN=bench-admin-token
[ -f server/target/exbridge.jar ] && [ -f exchange-simulator/target/exchange-simulator.jar ] || ./mvnw -q -B package -DskipTests
SIM=""; SERVER=""; DATA=$(mktemp -d)
cleanup() {
  [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
  [ -n "$SIM" ] && { kill "$SIM" 2>/dev/null || true; wait "$SIM" 2>/dev/null || true; }
  [ -n "${BENCH_KEEP:-}" ] && echo "kept $DATA" || rm -rf "$DATA"
}
trap cleanup EXIT
S=http://127.0.0.1:$SIM_PORT; U=http://127.0.0.1:$PORT
A="Authorization: Bearer $TOKEN"; J="Content-Type: application/json"
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
java -Xmx2g -jar exchange-simulator/target/exchange-simulator.jar --port "$SIM_PORT" --mailboxes "$USERS" --events 5 \
  --seed 1 --latency-ms 20 > "$DATA/sim.log" 2>&1 &
SIM=$!
EXBRIDGE_DATA_DIR="$DATA" EXBRIDGE_ADMIN_TOKEN=$TOKEN SERVER_PORT=$PORT EXBRIDGE_SYNC_INTERVAL=60s \
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
BOSS=$(curl -sf -XPOST $U/admin/api/v1/tenants/bench/users/boss/access_tokens -H "$A" -H "$J" -d "{\"app_id\":\"$APP\"}" | field '["access_token"]')
echo "== $USERS users on $USERS EWS mailboxes (10 admin accounts), 20 ms per Exchange request"
python3 bench/writes.py "$U" "$S" "$TOKEN" "$APP" "$BOSS" "$USERS" "$RATE" "$SECONDS_" "$CALLERS"
echo "Exchange requests: $(curl -sf $S/_sim/requests | field '["by_operation"]')"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; server, simulator and this script on the same cores"
