#!/usr/bin/env bash
# How long grade takes for a class of 30: exercises/class's 13 files under 30
# names (each graded as a student's own), with exercises/assignment.conf and
# --jobs 2, from an empty cache (cold) and then again (warm), PASSES times
# (2 by default). Prints each run's seconds and summary line. A measurement
# for docs/grading.md, not a test: run it on an idle machine after a build.
#   test/time_a_class.sh [PASSES]
set -euo pipefail
cd "$(dirname "$0")/.."
passes=${1:-2}
class=$(mktemp -d "${TMPDIR:-/tmp}/class30.XXXXXX")
trap 'rm -rf "$class"' EXIT
files=(exercises/class/*.cpp)
for i in $(seq 1 30); do
  file=${files[$(((i - 1) % ${#files[@]}))]}
  cp "$file" "$class/student$(printf %02d "$i")_$(basename "$file")"
done
for pass in $(seq 1 "$passes"); do
  cache=$(mktemp -d "${TMPDIR:-/tmp}/class30cache.XXXXXX")
  for kind in cold warm; do
    start=$(date +%s.%N)
    CV_LESSONS_CACHE=$cache build/bin/grade "$class" --assignment exercises/assignment.conf \
      --jobs 2 >"$class.out"
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    echo "pass $pass, $kind: $seconds s; $(tail -n 1 "$class.out")"
  done
  rm -rf "$cache" "$class.out"
done
