#!/usr/bin/env bash
# lint.sh - mechanical checks that CI enforces (run by ctest as the "lint" test).
#
#   1. clang-format: every C source is formatted by the checked-in .clang-format.
#   2. banned functions: no call to the libc functions docs/STYLE.md bans
#      (git's banned.h list); each has a bounded or reentrant replacement.
#
# Usage: scripts/lint.sh [--fix]
set -euo pipefail
cd "$(dirname "$0")/.."

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h' | sort)
else
  mapfile -t files < <(find src tests fuzz bench -name '*.[ch]' | sort)
fi
[ "${#files[@]}" -gt 0 ] || { echo "lint: no C sources found"; exit 1; }

status=0
fmt=clang-format
command -v clang-format-14 >/dev/null && fmt=clang-format-14

if [ "${1:-}" = "--fix" ]; then
  "$fmt" -i "${files[@]}"
  echo "lint: formatted ${#files[@]} files"
  exit 0
fi

if ! "$fmt" --dry-run -Werror "${files[@]}" 2>/tmp/vigil-lint.$$; then
  sed -n '1,40p' /tmp/vigil-lint.$$
  echo "lint: clang-format differences (run 'scripts/lint.sh --fix')"
  status=1
fi
rm -f /tmp/vigil-lint.$$

banned='\b(strcpy|strcat|strncpy|strncat|sprintf|vsprintf|strtok|gmtime|localtime|atoi|atol|gets)[[:space:]]*\('
if grep -nE "$banned" "${files[@]}" | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(\*|/\*)'; then
  echo "lint: banned libc functions used (see docs/STYLE.md)"
  status=1
fi

[ "$status" -eq 0 ] && echo "lint: ${#files[@]} files clean"
exit "$status"
