#!/usr/bin/env bash
# The figures of docs/aot.md: start-up time to the first answered request, memory after 1,000 requests, and size, for the
# smoke app compiled ahead of time and the same app on the JIT. Every request goes to 127.0.0.1.
#
#   dotnet publish samples/AuthKit.Samples.Aot -c Release -o artifacts/aot     # the native executable
#   dotnet build samples/AuthKit.Samples.Aot -c Release                        # the same app on the JIT
#   samples/AuthKit.Samples.Aot/measure.sh [runs]                              # 7 runs of each by default
#
# Per run: the process starts; bash polls GET /healthz over /dev/tcp (no process spawned per poll) until it answers 200 —
# that is the start-up time, with the CPU time the process used until then; then one sign-in and 1,000 GET /session with
# the session cookie (each reads and rewrites the session in the file store) over one keep-alive connection (curl), and
# the process's resident memory (VmRSS) is read from /proc. Reported: median and min–max over the runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-7}
native=artifacts/aot/AuthKit.Samples.Aot
jit=artifacts/bin/AuthKit.Samples.Aot/release/AuthKit.Samples.Aot.dll
[ -x "$native" ] || { echo "no $native: dotnet publish samples/AuthKit.Samples.Aot -c Release -o artifacts/aot" >&2; exit 2; }
[ -f "$jit" ] || { echo "no $jit: dotnet build samples/AuthKit.Samples.Aot -c Release" >&2; exit 2; }
command -v curl >/dev/null || { echo "needs curl" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ticks=$(getconf CLK_TCK)
# The smoke app's settings: a Basic/sign-in user (password smoke-password, hashed with 10,000 iterations to keep the
# sign-in cheap), an HS256 key, the key ring and sessions in the scratch directory.
export ASPNETCORE_ENVIRONMENT=Development
export Smoke__Store=file
export AuthKit__KeyFile="$work/keys.json"
export AuthKit__Basic__Users__smoke='$pbkdf2-sha256$i=10000$mN5lRBrLd5Tm2lSqmxZ-zQ$1zO0ADQDWnJsOroNV7hdtQlQkm2E7NkXXQ3HiYwkofs'
export AuthKit__Jwt__Keys__0__KeyId=measure AuthKit__Jwt__Keys__0__Algorithm=HS256
AuthKit__Jwt__Keys__0__Secret=$(head -c 32 /dev/urandom | base64)
export AuthKit__Jwt__Keys__0__Secret

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }

healthy() { # port -> 0 when GET /healthz answers 200
  local line
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
  IFS= read -r -t 5 line <&3 || true
  exec 3<&- 3>&-
  [[ $line == "HTTP/1.1 200"* ]]
}

measure() { # label, directory, command... -> "start_ms cpu_ms rss_kb"
  local label=$1 dir=$2; shift 2
  local port; port=$(free_port)
  export AuthKit__FileStore__Directory="$work/sessions-$label-$port"
  local t0=$EPOCHREALTIME
  # From the app's folder, its content root (appsettings.json), as a service runs it.
  (cd "$dir" && exec "$@" --urls "http://127.0.0.1:$port") >"$work/$label.log" 2>&1 &
  local pid=$! tries=0
  until healthy "$port"; do
    tries=$((tries + 1))
    if [ $tries -gt 30000 ] || ! kill -0 $pid 2>/dev/null; then echo "$label did not start:" >&2; cat "$work/$label.log" >&2; kill $pid 2>/dev/null; exit 1; fi
  done
  local t1=$EPOCHREALTIME
  local stat; read -r -a stat </proc/$pid/stat
  local cpu=$(( (stat[13] + stat[14]) * 1000 / ticks ))
  local jar="$work/$label-$port.jar"
  curl -sf -c "$jar" -H 'content-type: application/json' -d '{"username":"smoke","password":"smoke-password"}' "http://127.0.0.1:$port/login" >/dev/null
  curl -sf -b "$jar" "http://127.0.0.1:$port/session?i=[1-1000]" >/dev/null
  local rss; rss=$(awk '/^VmRSS:/ {print $2}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  awk -v a="$t0" -v b="$t1" -v c="$cpu" -v r="$rss" 'BEGIN { printf "%.0f %d %d\n", (b - a) * 1000, c, r }'
}

stats() { # numbers on stdin -> "median (min–max)"
  sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%g (%g–%g)", m, v[1], v[NR] }'
}

declare -A start cpu rss
for i in $(seq 1 "$runs"); do
  for label in native jit; do
    if [ $label = native ]; then r=$(measure native "$(dirname "$native")" ./AuthKit.Samples.Aot); else r=$(measure jit "$(dirname "$jit")" dotnet AuthKit.Samples.Aot.dll); fi
    read -r s c m <<<"$r"
    start[$label]+="$s"$'\n'; cpu[$label]+="$c"$'\n'; rss[$label]+="$m"$'\n'
    echo "run $i $label: first request after $s ms (CPU $c ms), RSS after 1,000 requests $((m / 1024)) MiB" >&2
  done
done

size_native=$(stat -c %s "$native")
size_jit=$(du -cb "$(dirname "$jit")"/*.dll | tail -1 | cut -f1)
echo
echo "| | Native AOT | JIT (dotnet) |"
echo "|---|---|---|"
echo "| Start-up to first answered request, ms | $(printf '%s' "${start[native]}" | stats) | $(printf '%s' "${start[jit]}" | stats) |"
echo "| CPU time until then, ms | $(printf '%s' "${cpu[native]}" | stats) | $(printf '%s' "${cpu[jit]}" | stats) |"
echo "| Resident memory after 1,000 requests, MiB | $(printf '%s' "${rss[native]}" | awk '{printf "%.1f\n", $1/1024}' | stats) | $(printf '%s' "${rss[jit]}" | awk '{printf "%.1f\n", $1/1024}' | stats) |"
echo "| Size on disk | $(awk -v b="$size_native" 'BEGIN { printf "%.1f MB, one file", b / 1e6 }') | $(awk -v b="$size_jit" 'BEGIN { printf "%.1f MB of assemblies", b / 1e6 }') + the shared .NET and ASP.NET Core runtimes |"
echo
echo "$runs runs each, median (min–max); $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."
