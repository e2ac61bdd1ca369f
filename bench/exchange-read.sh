#!/usr/bin/env bash
# Reads a generated mailbox from the simulator through each client (EWS and Graph), with no added
# latency and with 20 ms per request, then a 100,000-event mailbox with the reader's heap capped at
# 256 MB. Prints one line per run. Usage: bench/exchange-read.sh [events] [big-events]
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-10000}
BIG=${2:-100000}
PORT=${BENCH_SIM_PORT:-18191}

source bench/testclasses.sh
bench_classpath


run_sim() { # events latency
  java -Xmx4g -jar exchange-simulator/target/exchange-simulator.jar --port "$PORT" --mailboxes 1 --events "$1" --seed 1 \
    --latency-ms "$2" > /tmp/exbridge-bench-sim.log 2>&1 &
  SIM=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/_sim/mailboxes" >/dev/null && return; sleep 0.2; done
  echo "simulator did not start" >&2; exit 1
}
stop_sim() { kill "$SIM" 2>/dev/null || true; wait "$SIM" 2>/dev/null || true; }
trap stop_sim EXIT

for latency in 0 20; do
  run_sim "$EVENTS" "$latency"
  for protocol in ews graph; do
    echo -n "events=$EVENTS latency_ms=$latency "
    "$JAVA21" -Xmx1g -cp "$CP" org.exbridge.bench.ExchangeReadBenchmark "http://127.0.0.1:$PORT" user1@exchange.test "$protocol"
  done
  stop_sim
done

run_sim "$EVENTS" 0
echo -n "events=$EVENTS parse only, 5 rounds after one warm-up: "
"$JAVA21" -Xmx1g -cp "$CP" org.exbridge.exchange.ews.EwsParseBenchmark "http://127.0.0.1:$PORT" user1@exchange.test 5
stop_sim

run_sim "$BIG" 0
for protocol in ews graph; do
  echo -n "events=$BIG latency_ms=0 reader_heap=256m "
  "$JAVA21" -Xmx256m -cp "$CP" org.exbridge.bench.ExchangeReadBenchmark "http://127.0.0.1:$PORT" user1@exchange.test "$protocol"
done
stop_sim
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, reader on $("$JAVA21" -version 2>&1 | head -1)"
