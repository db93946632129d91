#!/usr/bin/env bash
# Brings src/<project>/PublicAPI.Unshipped.txt in line with the code: adds every symbol the
# PublicApiAnalyzers report as undeclared (RS0016) and drops every declared symbol that no longer
# exists (RS0017). Review the diff: it is the public API change of your commit.
# Usage: eng/update-public-api.sh [src/Project]   (default: every project under src/ with a PublicAPI file)
set -euo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
if [ ${#projects[@]} -eq 0 ]; then
  mapfile -t projects < <(find src -name PublicAPI.Unshipped.txt -printf '%h\n' | sort)
fi
for dir in "${projects[@]}"; do
  file="$dir/PublicAPI.Unshipped.txt"
  log=$(mktemp)
  dotnet build "$dir" --no-incremental -p:TreatWarningsAsErrors=false 2>&1 >"$log" || true
  added=$(grep -oE "RS0016: Symbol '.*' is not part of the declared public API" "$log" \
    | sed -E "s/^RS0016: Symbol '(.*)' is not part of the declared public API$/\1/" | sort -u || true)
  removed=$(grep -oE "RS0017: Symbol '.*' is part of the declared API, but is either not public or could not be found" "$log" \
    | sed -E "s/^RS0017: Symbol '(.*)' is part of the declared API.*/\1/" | sort -u || true)
  rm -f "$log"
  body=$(grep -v '^#nullable enable$' "$file" || true)
  if [ -n "$removed" ]; then
    body=$(grep -vxF -f <(printf '%s\n' "$removed") <<<"$body" || true)
  fi
  { echo '#nullable enable'; printf '%s\n%s\n' "$body" "$added" | grep -v '^$' | LC_ALL=C sort -u; } >"$file"
  echo "$file: +$(grep -c . <<<"$added" || true) -$(grep -c . <<<"$removed" || true)"
done
