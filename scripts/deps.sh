#!/usr/bin/env bash
# deps.sh - install what Vigil needs, from Debian's packages (and later npm),
# and nothing that is already there.
#
# Usage: scripts/deps.sh [build|check|fuzz|bench|run|all]...   (default: check)
#
# Idempotent and quick when everything is present: one dpkg-query call,
# no apt-get unless a package is missing.  apt-get runs as root, or through
# sudo otherwise.  Nothing is downloaded from anywhere but Debian's archive
# and the npm registry; no prebuilt binaries.
set -euo pipefail

# Package groups.  Keep each list sorted and say why a package is there.
build_pkgs=(
  cmake          # build system (3.21+ for presets)
  gcc            # the product compiler
  make           # the thin top-level Makefile
  ninja-build    # CMake generator used by every preset
  pkg-config     # finds libraries
  libjansson-dev # JSON: package.json, rpm JSON listings, later the API
  librpm-dev     # reads rpm databases (sqlite, ndb, read-only bdb)
  libsodium-dev  # hashing (inventory section hashes), later tokens and passwords
  libsqlite3-dev # the store: knowledge base and fleet data (SQLite, WAL)
  libyajl-dev    # streaming JSON reader for the bulk feeds (NVD, tracker JSON, KEV)
  libyaml-dev    # YAML feeds (PYSEC OSV, Alpine secdb) and configuration policies
  libpcre2-dev   # policy regexes (PCRE2; Wazuh OS_Regex is translated to it)
  zlib1g-dev     # gzip feeds (EPSS .csv.gz) and, later, agent report bodies
  libcurl4-openssl-dev # `vigil feeds sync` downloads (OpenSSL flavour; see c-style-and-deps B.4)
  libmicrohttpd-dev # vigild's HTTP server (epoll thread pool)
  libzip-dev     # `vigil feeds sync`: OSV publishes each ecosystem as one all.zip
)
check_pkgs=(
  clang-format   # `lint` test: CI enforces .clang-format (clang-format 14 on Debian 12)
  dpkg           # reference for the dpkg comparator agreement test (always on Debian)
  libcmocka-dev  # unit-test framework
  openssl        # seeded random source for the dpkg agreement test (shuf --random-source)
  python3-jsonschema # validates inventory documents against docs/schemas in the tests
  db5.3-util     # db5.3_load: the Berkeley DB rpm database fixture of the rpm tests
  rpm            # builds the rpm database fixtures of the rpm collector tests
  curl           # the vigild integration tests talk HTTP with it
  sqlite3        # integration tests read the store directly to check what was stored
  iproute2       # ss: the restart test waits for a report vigild has read and not answered
)
bench_pkgs=(
  curl               # bench/fleet_api.sh probes each API endpoint's status before timing it
  lynis              # bench/config_lynis.sh: the peer the configuration assessment is timed against
  python3            # bench/fleet_api.sh reads ingest_load's JSON result line
  python3-yaml       # bench/config_lynis.py finds the Vigil check paired with each Lynis test
  sqlite3            # bench/fleet_api.sh counts devices and findings in the bench store
  wrk                # bench/fleet_api.sh: HTTP latency of vigild's /api (p50/p99)
)
run_pkgs=(
  curl               # `make run` waits for vigild and shows the API with it
  python3            # `make run` prints the machines the API returns
)
fuzz_pkgs=(
  clang              # libFuzzer needs clang
  libclang-rt-14-dev # libFuzzer, ASan and UBSan runtimes for clang 14
  python3-yaml       # scripts/fuzz.sh reads the Wazuh SCA policies' rules as seeds
)

groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(check)

want=()
for g in "${groups[@]}"; do
  case "$g" in
    build) want+=("${build_pkgs[@]}") ;;
    check) want+=("${build_pkgs[@]}" "${check_pkgs[@]}") ;;
    fuzz)  want+=("${build_pkgs[@]}" "${fuzz_pkgs[@]}") ;;
    bench) want+=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
    run)   want+=("${build_pkgs[@]}" "${run_pkgs[@]}") ;;
    all)   want+=("${build_pkgs[@]}" "${check_pkgs[@]}" "${fuzz_pkgs[@]}" "${bench_pkgs[@]}" "${run_pkgs[@]}") ;;
    *) echo "deps.sh: unknown group '$g' (build, check, fuzz, bench, run, all)" >&2; exit 2 ;;
  esac
done

# Which of them are not installed?  One dpkg-query for the whole list.
missing=()
status=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${want[@]}" 2>/dev/null || true)
for p in $(printf '%s\n' "${want[@]}" | sort -u); do
  grep -qE "^$p ii" <<<"$status" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps.sh: installing from Debian: ${missing[*]}"
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "deps.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    as_root=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
