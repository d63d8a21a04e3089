#!/usr/bin/env bash
# Lighthouse on the reader pages: builds the portal in Release, starts it on a fresh SQLite site with the sample
# content, audits the front page, an article, a topic and a gallery (mobile and desktop, median of --runs), stops it.
# Usage: bash tools/lighthouse/run.sh [--runs N] [--out DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
port="${LIGHTHOUSE_PORT:-$((20000 + RANDOM % 20000))}"

(cd "$here" && npm ci --no-audit --no-fund --silent)
dotnet build -c Release "$root/src/PovertyNews.Web" -v quiet -nologo

ConnectionStrings__News="Data Source=$work/news.db" PovertyNews__Media__Root="$work/media" \
  ASPNETCORE_ENVIRONMENT=Production \
  dotnet run -c Release --no-build --project "$root/src/PovertyNews.Web" --urls "http://127.0.0.1:$port" \
  >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; wait $app 2>/dev/null || true; rm -rf "$work"' EXIT

for _ in $(seq 1 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/healthz/ready" && break
  sleep 0.5
done
base="http://127.0.0.1:$port"
# The pages are found by their sample slugs, so the ids the import gave them do not matter.
article=$(curl -fs "$base/" | grep -o 'href="/articles/[0-9]*/jinan-xiangxi-delegation"' | head -1 | cut -d'"' -f2)
gallery=$(curl -fs "$base/" | grep -o 'href="/articles/[0-9]*/gallery-xiangxi-visit"' | head -1 | cut -d'"' -f2)
# Warm the output cache and the share images once, as a reader before Lighthouse would have.
for path in / "$article" /topics/dongxibu-xiezuo "$gallery"; do curl -fs -o /dev/null "$base$path"; done
node "$here/audit.mjs" "$base" / "$article" /topics/dongxibu-xiezuo "$gallery" "$@"
