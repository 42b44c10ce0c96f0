#!/usr/bin/env bash
# The README's C snippet, compiled against an installed prefix as C99 and as C++ with every
# warning an error, so the example users copy cannot rot. Usage: check-readme-c.sh PREFIX
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:?usage: check-readme-c.sh PREFIX}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
awk '/^```c$/ {on=1; next} /^```$/ {on=0} on' README.md > "$dir/snippet.c"
[ -s "$dir/snippet.c" ] || { echo "no C snippet in README.md" >&2; exit 1; }
# The version macros come with the header, and agree with the library at run time.
cat >> "$dir/snippet.c" <<'C'
#include <string.h>
int main(int argc, char **argv) {
  if (strcmp(pd_version(), PD_VERSION_STRING) != 0) return 2;
  return argc > 1 ? page_oncall(argv[1]) : 0;
}
C
flags=(-Wall -Wextra -Werror -pedantic -I"$prefix/include" -L"$prefix/lib" -Wl,-rpath,"$prefix/lib")
cc -std=c99 "${flags[@]}" "$dir/snippet.c" -lpagerduty -o "$dir/c99"
c++ -x c++ -std=c++17 "${flags[@]}" "$dir/snippet.c" -lpagerduty -o "$dir/cxx"
"$dir/c99" && "$dir/cxx"
echo "README C snippet: compiles as C99 and C++ (-Wall -Wextra -Werror -pedantic), version macros match pd_version()"
