#!/usr/bin/env bash
# Start-up of the service with and without a JDK AOT cache, side by side.
#
#   benchmarks/startup.sh [runs] [variant...]      (defaults: 5 runs of plain, onrefresh and requests)
#
# Variants:
#   plain      java -jar router-service/target/consilium-exec.jar, as built
#   onrefresh  the extracted jar with an AOT cache from a run that stops once the context is refreshed
#              (-Dspring.context.exit=onRefresh: beans made, no server started, no request served)
#   requests   the extracted jar with an AOT cache from the training run (consilium.aot.training=true:
#              the service sends itself ~1,400 requests, then exits), as ./consilium and the image do
#
# Each run measures, from the moment the JVM is launched: the time until /actuator/health/readiness
# answers 200, and the CPU time the JVM used until then; the latency of the first 200 direct calls to a
# zero-latency mock expert, sent one after the other on one connection, and the CPU time they cost
# (JIT included); and how many such calls were answered 8 s after the launch. CPU times hardly depend
# on what else the machine runs; wall-clock times do. The variants take turns (plain, onrefresh,
# requests, plain, ...) so that load from other processes falls on all.
# Caches and logs go to benchmarks/target/startup/. Needs curl; JAVA_HOME must be a JDK 25.
# JAR=... measures another build of the executable jar (with WORK=... for its caches and logs);
# JVM_FLAGS=... adds flags to every run, training runs included.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-5}"
shift || true
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(plain onrefresh requests)

java="${JAVA_HOME:?JAVA_HOME must point at a JDK 25}/bin/java"
jar="${JAR:-router-service/target/consilium-exec.jar}"
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"
jvm_flags=(${JVM_FLAGS:-})
work="${WORK:-$PWD/benchmarks/target/startup}"
app="$work/app"
admin_key="startup-benchmark-admin-key"
window_ms=8000

[ -f "$jar" ] || { echo "startup: no $jar; build it first (./mvnw -q -DskipTests package -pl router-service -am)" >&2; exit 1; }
mkdir -p "$work"

# One zero-latency mock expert, so that what is measured is the service, not a mock's sleep.
cat > "$work/experts.yaml" <<'YAML'
- id: bench-fast
  provider: mock
  roles: [expert]
  mock: {latency: 0ms}
YAML

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# CPU time (user + system, all threads, JIT compilers included) the process has used so far, in ms:
# unlike wall-clock time, it hardly depends on what else the machine runs.
cpu_ms() { sed 's/.*) //' "/proc/$1/stat" | awk -v tick="$(getconf CLK_TCK)" '{ printf "%d\n", ($12 + $13) * 1000 / tick }'; }

# Extract once per jar, and make both caches from the extracted jar (the classpath the runs use).
if [ ! -f "$app/consilium-exec.jar" ] || [ "$jar" -nt "$app/consilium-exec.jar" ]; then
  rm -rf "$app" "$work"/*.aot
  "$java" -Djarmode=tools -jar "$jar" extract --destination "$app" >/dev/null
fi
train() {
  local cache="$1"; shift
  if [ ! -f "$cache" ]; then
    echo "startup: training $(basename "$cache") (log: $cache.log)" >&2
    (cd "$app" && timeout 600 "$java" -XX:AOTCacheOutput="$cache" "${jvm_flags[@]}" "$@" >"$cache.log" 2>&1) \
      || { rm -f "$cache"; echo "startup: training failed, see $cache.log" >&2; exit 1; }
  fi
}
for variant in "${variants[@]}"; do
  case "$variant" in
    onrefresh) train "$work/onrefresh.aot" -Dspring.context.exit=onRefresh -jar "$app/consilium-exec.jar" --server.port=0 ;;
    requests) train "$work/requests.aot" -jar "$app/consilium-exec.jar" --server.port=0 --consilium.aot.training=true ;;
    plain) ;;
    *) echo "startup: unknown variant '$variant' (plain, onrefresh, requests)" >&2; exit 1 ;;
  esac
done

one_run() {
  local variant="$1" port log start ready_ms pid latencies answered deadline
  port="$(free_port)"
  log="$work/$variant.run.log"
  local command=("$java")
  case "$variant" in
    plain) command+=("${jvm_flags[@]}" -jar "$jar") ;;
    *) command+=(-XX:AOTCache="$work/$variant.aot" "${jvm_flags[@]}" -jar "$app/consilium-exec.jar") ;;
  esac
  command+=(--server.port="$port" --consilium.auth.admin-key="$admin_key" --consilium.experts-file="$work/experts.yaml")

  start="$(now_ms)"
  "${command[@]}" >"$log" 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/actuator/health/readiness")" = 200 ]; do
    if ! kill -0 "$pid" 2>/dev/null || [ $(( $(now_ms) - start )) -gt 120000 ]; then
      kill "$pid" 2>/dev/null || true
      echo "startup: $variant was not ready within 120 s, see $log" >&2
      exit 1
    fi
    sleep 0.02
  done
  ready_ms=$(( $(now_ms) - start ))
  local ready_cpu calls_cpu
  ready_cpu="$(cpu_ms "$pid")"

  local url="http://127.0.0.1:$port/v1/chat/completions"
  local body='{"model": "bench-fast", "messages": [{"role": "user", "content": "What is 2 + 2?"}]}'
  local urls=() outputs=()
  for _ in $(seq 200); do urls+=("$url"); outputs+=(-o /dev/null); done
  latencies="$(curl -s "${outputs[@]}" -w '%{http_code} %{time_total}\n' \
      -H "authorization: Bearer $admin_key" -H 'content-type: application/json' -d "$body" "${urls[@]}")"
  if grep -qv '^200 ' <<<"$latencies"; then
    echo "startup: $variant: a call was not answered 200: $(grep -v '^200 ' <<<"$latencies" | head -n 1)" >&2
    kill "$pid"; wait "$pid" || true; exit 1
  fi
  calls_cpu=$(( $(cpu_ms "$pid") - ready_cpu ))
  answered=200
  deadline=$(( start + window_ms ))
  local batch=(); for _ in $(seq 50); do batch+=(-o /dev/null); done
  while [ "$(now_ms)" -lt "$deadline" ]; do
    answered=$(( answered + $(curl -s "${batch[@]}" -w '%{http_code}\n' -H "authorization: Bearer $admin_key" \
        -H 'content-type: application/json' -d "$body" "${urls[@]:0:50}" | grep -c '^200$') ))
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true

  # In the order sent: the first call, then the whole 200 sorted for the percentiles.
  local first
  first="$(awk 'NR == 1 { printf "%.1f", $2 * 1000 }' <<<"$latencies")"
  awk '{print $2 * 1000}' <<<"$latencies" | sort -n | awk -v variant="$variant" -v ready="$ready_ms" \
      -v ready_cpu="$ready_cpu" -v first="$first" -v calls_cpu="$calls_cpu" -v answered="$answered" '
    { v[NR] = $1; sum += $1 }
    END { printf "| %s | %d | %d | %s | %.0f | %.2f | %.2f | %d | %d |\n", variant, ready, ready_cpu, first, sum,
          v[int(NR * 0.5)], v[int(NR * 0.9)], calls_cpu, answered }'
}

echo "| variant | ready ms | CPU ms to ready | 1st call ms | first 200 calls, total ms | p50 ms | p90 ms | CPU ms for the 200 | calls answered by 8 s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for run in $(seq "$runs"); do
  for variant in "${variants[@]}"; do
    one_run "$variant"
  done
done
