#!/usr/bin/env bash
# Adding a lesson is one file: in a scratch copy of the tree, this adds two
# lesson files and nothing else, writes their golden files with the one
# command that writes them, builds, and runs the tests that cover every
# lesson. The new lessons are copies of real ones under new names:
#   13_scratch_conditions  lesson 06's code: correct, with 06's plain twin
#   14_scratch_deadlock    lesson 04's code: a deadlock, with 04's bug script
# (Names no longer than the longest today, so that the scoreboard's column of
# names keeps its width and the old rows stay byte for byte.)
# It then checks that each new lesson is built, runs as ./demo --all runs it,
# is explored, has its row on the scoreboard, is measured by bench beside its
# twin (bench_test), and that the golden command changed nothing but what the
# new lessons add.
#   new_lesson_test.sh SOURCE_DIR CXX_COMPILER COMMON_LIBRARY BUILT_OBJECTS
# COMMON_LIBRARY is the harness the calling build made from the same common/:
# the scratch tree links it rather than build common/ again. BUILT_OBJECTS
# lists the object files of the calling build's programs (lessons, tools,
# tests), whose sources the scratch tree has unchanged: it links them and
# compiles only samples/, where the new lessons are.
# Its CTest label is new_lesson; it takes about two minutes.
set -euo pipefail
source_dir=$1
compiler=$2
common_library=$3
built_objects=$4
[[ -f $common_library ]] || { echo "new_lesson_test: no harness library at '$common_library'" >&2; exit 2; }
[[ -f $built_objects ]] || { echo "new_lesson_test: no list of built objects at '$built_objects'" >&2; exit 2; }
scratch=$(mktemp -d "${TMPDIR:-/tmp}/cv-lessons-new-lesson.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
fail() {
  echo "new_lesson_test: $*" >&2
  exit 1
}

# The tree as it is, without build folders or git's.
tar -C "$source_dir" --exclude='./build*' --exclude=./.b2 --exclude=./.git -cf - . |
  tar -C "$scratch" -xf -
cd "$scratch"
sed -e 's/"06_two_conditions"/"13_scratch_conditions"/' -e 's/^\/\/ Lesson 06:/\/\/ Lesson 13:/' \
  samples/06_two_conditions.cpp >samples/13_scratch_conditions.cpp
sed -e 's/"04_notify_one_deadlock"/"14_scratch_deadlock"/' -e 's/^\/\/ Lesson 04:/\/\/ Lesson 14:/' \
  samples/04_notify_one_deadlock.cpp >samples/14_scratch_deadlock.cpp
grep -q '"13_scratch_conditions"' samples/13_scratch_conditions.cpp || fail "no lesson 13 written"
grep -q '"14_scratch_deadlock"' samples/14_scratch_deadlock.cpp || fail "no lesson 14 written"
cp -r test/golden golden.before

all_lesson_tests=(registry_test lessons_test schedule_test trace_test explore_test bench_test)
targets=(compare scoreboard explore bench "${all_lesson_tests[@]}")
command -v valgrind >/dev/null && targets+=(valgrind_test)
for lesson_file in samples/[0-9][0-9]_*.cpp; do
  targets+=("$(basename "$lesson_file" .cpp)")
done
cmake -S . -B build -DCMAKE_CXX_COMPILER="$compiler" -DCV_LESSONS_COMMON_LIBRARY="$common_library" \
  -DCV_LESSONS_BUILT_OBJECTS="$built_objects" >/dev/null
# The compiler's notes go to a log, shown when the build fails.
cmake --build build -j 2 --target "${targets[@]}" >build.log 2>&1 ||
  { tail -n 40 build.log; fail "the scratch tree did not build"; }
[[ -x build/bin/13_scratch_conditions && -x build/bin/14_scratch_deadlock ]] ||
  fail "the new lessons were not built"

# The one command that writes the golden files (test/trace_test.cpp says it).
CV_LESSONS_UPDATE_GOLDEN=1 ctest --test-dir build -R '^trace_test$' >/dev/null || true
changed=$(diff -r golden.before test/golden || true)
echo "the golden command changed:"
echo "$changed"
# Only lines and files that name a new lesson: nothing an old lesson printed moved.
grep -E '^[<>] ' <<<"$changed" | grep -v -E '^> .*1[34]_scratch' &&
  fail "the golden command changed what an old lesson printed"
grep -q '^> .*13_scratch_conditions' <<<"$changed" || fail "no scoreboard row for lesson 13"
[[ -s test/golden/14_scratch_deadlock.bug1.text ]] || fail "no golden trace for lesson 14's bug script"

# explore_test's cases labelled fixed_lessons check named lessons or the
# capacity sweep, not every lesson: the tree's own build runs them.
BOOST_TEST_RUN_FILTERS='!@fixed_lessons' \
  ctest --test-dir build --output-on-failure -j 2 -R "^($(IFS='|'; echo "${all_lesson_tests[*]}"))\$"

build/bin/scoreboard --time-scale 0.1 >scoreboard.txt || fail "the scoreboard failed: $(cat scoreboard.txt)"
# Each new lesson and what explore must say of it: it holds, or it shows its bug.
declare -A explored_says=([13_scratch_conditions]="no schedule explored breaks 13_scratch_conditions"
  [14_scratch_deadlock]="as the lesson teaches")
for lesson in 13_scratch_conditions 14_scratch_deadlock; do
  # As ./demo --all runs every build/bin/[0-9][0-9]_* : it must end as a lesson ends.
  status=0
  "build/bin/$lesson" --time-scale 0.1 >/dev/null || status=$?
  ((status == 0 || status == 1 || status == 3)) || fail "$lesson ended with exit code $status"
  grep -q "$lesson" scoreboard.txt || fail "$lesson is not on the scoreboard"
  build/bin/explore "$lesson" >explored.txt 2>&1 || true
  grep -q "${explored_says[$lesson]}" explored.txt || fail "explore of $lesson said: $(cat explored.txt)"
done
if command -v valgrind >/dev/null; then
  # The helgrind and DRD test asks the registry for the correct lessons: it
  # finds the new one, and helgrind finds no race in it.
  build/test/valgrind_test --color_output=no --run_test=helgrind/13_scratch_conditions -- "$(command -v valgrind)" \
    test/valgrind.supp build/bin || fail "helgrind on lesson 13 failed"
fi
echo "new_lesson_test: two lesson files added, and nothing else edited, pass the all-lesson tests"
