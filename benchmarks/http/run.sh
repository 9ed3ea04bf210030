#!/usr/bin/env bash
# Drives the bench host with wrk on loopback, a bounded time per path, in interleaved rounds.
# Usage: benchmarks/http/run.sh [seconds] [connections] [rounds] -- path[|lua-script] ...
#   Every round measures /bare and each path for <seconds>, in an order that rotates and reverses from round to round (so no
#   path always runs first or after the same neighbour); a lua script (relative to benchmarks/http/) sets headers/cookies.
# Prints every round (requests/s, p99, non-2xx), then per path the median over rounds of: requests/s, the ratio to the same
# round's /bare, and the machine time the path adds to a bare request (1/rps - 1/bare_rps, in µs: server and wrk share the
# machine, so this is the whole cost of a request, not the server's alone).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-10}; conns=${2:-32}; shift 2 || shift $#
rounds=1
if [ -n "${1:-}" ] && [ "$1" != "--" ]; then rounds=$1; shift; fi
[ "${1:-}" = "--" ] && shift
port=${BENCH_PORT:-5099}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
dotnet build -c Release "$here/AuthKit.Benchmarks.Http" -v q -nologo >/dev/null
dll=$(find "${AUTHKIT_ARTIFACTS:-$here/../../artifacts}/bin/AuthKit.Benchmarks.Http/release" -name AuthKit.Benchmarks.Http.dll | head -1)
ASPNETCORE_ENVIRONMENT=Production dotnet "$dll" --urls "http://127.0.0.1:$port" >/tmp/authkit-bench-host.log 2>&1 &
host=$!
trap 'kill $host 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/bare" >/dev/null 2>&1 && break; sleep 0.2; done
measure() { # seconds path [lua]
  local args=(-t2 -c"$conns" -d"${1}s" --latency)
  [ -n "${3:-}" ] && args+=(-s "$here/$3")
  wrk "${args[@]}" "http://127.0.0.1:$port$2" 2>&1
}
parse() { awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$NF} END {printf "%s %s %s\n", rps, p99, (bad==""?0:bad)}'; }
specs=("/bare" "$@")
n=${#specs[@]}
for spec in "${specs[@]}"; do   # warm-up: every path once
  path=${spec%%|*}; lua=""; [ "$spec" != "$path" ] && lua=${spec#*|}
  measure 3 "$path" "$lua" >/dev/null
done
results=$(mktemp)
printf '%-6s %-28s %12s %10s %8s\n' round path req/s p99 non2xx
for r in $(seq 0 $((rounds - 1))); do
  order=()
  for i in $(seq 0 $((n - 1))); do order+=($(((i + r) % n))); done
  if [ $((r % 2)) = 1 ]; then order=($(printf '%s\n' "${order[@]}" | tac)); fi
  for i in "${order[@]}"; do
    spec=${specs[$i]}; path=${spec%%|*}; lua=""; [ "$spec" != "$path" ] && lua=${spec#*|}
    read -r rps p99 bad < <(measure "$secs" "$path" "$lua" | parse)
    printf '%-6s %-28s %12s %10s %8s\n' "$r" "$path" "$rps" "$p99" "$bad"
    echo "$r $path $rps" >>"$results"
  done
done
echo
printf '%-28s %14s %22s %26s\n' path "median req/s" "median ratio to /bare" "median added µs/request"
awk '
  { rps[$1, $2] = $3; paths[$2] = 1; rounds[$1] = 1 }
  function median(a, k,   i, j, t) { for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
  END {
    for (p in paths) {
      k = 0; delete x; delete y; delete z
      for (r in rounds) { k++; x[k] = rps[r, p]; y[k] = rps[r, p] / rps[r, "/bare"]; z[k] = 1e6 / rps[r, p] - 1e6 / rps[r, "/bare"] }
      printf "%-28s %14.0f %22.2f %26.1f\n", p, median(x, k), median(y, k), median(z, k)
    }
  }' "$results" | sort
rm -f "$results"
