#!/usr/bin/env bash
# Drives the bench host with wrk on loopback, a bounded time per path.
# Usage: benchmarks/http/run.sh [seconds] [connections] -- path[|lua-script] ...
#   each path is measured for <seconds>; a lua script (relative to benchmarks/http/) sets headers/cookies.
# Prints: path, requests/s, p99 latency, ratio to /bare.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-10}; conns=${2:-32}; shift 2 || true; [ "${1:-}" = "--" ] && shift
port=${BENCH_PORT:-5099}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
dotnet build -c Release "$here/AuthKit.Benchmarks.Http" -v q -nologo >/dev/null
dll=$(find "${AUTHKIT_ARTIFACTS:-$here/../../artifacts}/bin/AuthKit.Benchmarks.Http/release" -name AuthKit.Benchmarks.Http.dll | head -1)
ASPNETCORE_ENVIRONMENT=Production dotnet "$dll" --urls "http://127.0.0.1:$port" >/tmp/authkit-bench-host.log 2>&1 &
host=$!
trap 'kill $host 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/bare" >/dev/null 2>&1 && break; sleep 0.2; done
measure() { # path [lua]
  local args=(-t2 -c"$conns" -d"${secs}s" --latency)
  [ -n "${2:-}" ] && args+=(-s "$here/$2")
  wrk "${args[@]}" "http://127.0.0.1:$port$1" 2>&1
}
parse() { awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$NF} END {printf "%s %s %s\n", rps, p99, (bad==""?0:bad)}'; }
measure /bare >/dev/null   # warm-up
read -r bare_rps bare_p99 _ < <(measure /bare | parse)
printf '%-28s %12s %10s %8s %8s\n' path req/s p99 ratio non2xx
printf '%-28s %12s %10s %8s %8s\n' /bare "$bare_rps" "$bare_p99" 1.00 0
for spec in "$@"; do
  path=${spec%%|*}; lua=""; [ "$spec" != "$path" ] && lua=${spec#*|}
  measure "$path" "$lua" >/dev/null   # warm-up
  read -r rps p99 bad < <(measure "$path" "$lua" | parse)
  ratio=$(awk -v a="$rps" -v b="$bare_rps" 'BEGIN{printf "%.2f", a/b}')
  printf '%-28s %12s %10s %8s %8s\n' "$path" "$rps" "$p99" "$ratio" "$bad"
done
