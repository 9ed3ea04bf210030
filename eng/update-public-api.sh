#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to the project's PublicAPI.Unshipped.txt,
# and removes the ones it reports as gone (RS0017). Usage: eng/update-public-api.sh src/AuthKit.X
set -euo pipefail
dir=${1:?project folder}
for f in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
  [ -s "$dir/$f" ] || echo '#nullable enable' > "$dir/$f"
done
for pass in 1 2 3; do
  out=$(dotnet build "$dir" --no-incremental -p:TreatWarningsAsErrors=false 2>&1 || true)
  added=$(printf '%s\n' "$out" | grep -oP "RS0016: Symbol '\K.*?(?=' is not part of the declared)" | sort -u || true)
  removed=$(printf '%s\n' "$out" | grep -oP "RS0017: Symbol '\K.*?(?=' is part of the declared)" | sort -u || true)
  [ -z "$added$removed" ] && break
  if [ -n "$removed" ]; then
    while IFS= read -r s; do grep -vxF -- "$s" "$dir/PublicAPI.Unshipped.txt" > "$dir/PublicAPI.Unshipped.tmp" || true; mv "$dir/PublicAPI.Unshipped.tmp" "$dir/PublicAPI.Unshipped.txt"; done <<< "$removed"
  fi
  if [ -n "$added" ]; then printf '%s\n' "$added" >> "$dir/PublicAPI.Unshipped.txt"; fi
  { head -1 "$dir/PublicAPI.Unshipped.txt"; tail -n +2 "$dir/PublicAPI.Unshipped.txt" | sort -u; } > "$dir/PublicAPI.Unshipped.tmp"
  mv "$dir/PublicAPI.Unshipped.tmp" "$dir/PublicAPI.Unshipped.txt"
done
dotnet build "$dir" 2>&1 | grep -E "error|Warn|Error" | sort -u | head -30
