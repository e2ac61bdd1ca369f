#!/usr/bin/env bash
# Two-way write benchmark: N (default 1,000) users bound to small EWS mailboxes, the simulator
# adding 20 ms to every request; write latency (API call to item in Exchange) at RATE writes/s and
# sustained writes/s. Usage: bench/writes.sh [users] [rate] [seconds] [callers]
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${1:-1000}; RATE=${2:-100}; SECONDS_=${3:-30}; CALLERS=${4:-64}
SIM_PORT=${BENCH_SIM_PORT:-18391}; PORT=${BENCH_PORT:-18381}; TOKEN=bench-admin-token
[ -f server/target/exbridge.jar ] && [ -f exchange-simulator/target/exchange-simulator.jar ] || ./mvnw -q -B package -DskipTests
source bench/lib.sh
start "$USERS" 5 20 60s
echo "== $USERS users on $USERS EWS mailboxes (10 admin accounts), 20 ms per Exchange request"
python3 bench/writes.py "$U" "$S" "$TOKEN" "$APP" "$UT" "$USERS" "$RATE" "$SECONDS_" "$CALLERS"
echo "Exchange requests: $(curl -sf $S/_sim/requests | field '["by_operation"]')"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; server, simulator and this script on the same cores"
