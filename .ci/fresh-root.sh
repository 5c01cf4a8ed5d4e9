#!/usr/bin/env bash
# ./check --fresh: proves the README's claim that a bare Debian 12 needs only
# the two commands, and that the tree builds and passes with another compiler
# and Boost. Each root is a new minimal Debian 12 (debootstrap --variant=minbase
# bookworm, from the mirror this machine's apt sources name) with the commit
# under test cloned into it, and its commands run there as root through chroot
# with a clean environment. Nothing from outside the root is used: no
# compiler, library or file of the host's. The roots:
#   readme  ./demo, then ./check: the README's two commands in the order a
#           teacher runs them, with g++ 12 and Boost 1.74 (./check installs
#           what only the tests need on top of what ./demo installed); then
#           ./demo --all and bench --quick
#   boost181  ./check --cmake-only with clang++-16 and Boost 1.81 (b2 is
#           checked in the readme root): Debian's libboost1.81 packages
#           conflict with 1.74's, so they need a root of their own
#
# The base root is cached as a tarball in /var/cache/cv-lessons between runs.
# Where a fresh root cannot be made (not root, no debootstrap, no mirror), it
# says so in one line and skips, rather than fail for a reason outside the
# project.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly cache=/var/cache/cv-lessons
readonly base=$cache/bookworm-minbase.tar.gz
commit=$(git rev-parse HEAD)
readonly commit

skip() {
  echo "fresh: SKIPPED, $*"
  exit 0
}

# The first Debian mirror in the machine's apt sources, one-line or deb822.
mirror_from_apt_sources() {
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  local file
  for file in "${files[@]}"; do
    [[ -r $file ]] || continue
    sed -n -e 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([a-z]\+:\/\/[^[:space:]]*debian\/\?\)[[:space:]].*/\2/p' \
      -e 's/^URIs:[[:space:]]*\([a-z]\+:\/\/[^[:space:]]*debian\/\?\)[[:space:]]*$/\1/p' "$file"
  done | grep -v -e security -e debug | head -n 1
}

((EUID == 0)) || skip "a fresh root needs root (chroot, mount)"
if ! command -v debootstrap >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null 2>&1 ||
    skip "debootstrap is not installed and apt-get could not install it"
fi
mirror=$(mirror_from_apt_sources) || true
[[ -n $mirror ]] || skip "no Debian mirror found in /etc/apt/sources.list*"

mkdir -p "$cache"
timings=()
# Seconds since $1, as "N s".
since() { echo "$((SECONDS - $1)) s"; }

if [[ -f $base ]]; then
  timings+=("debootstrap: cached ($base)")
else
  start=$SECONDS
  staging=$(mktemp -d /var/tmp/cv-lessons-base.XXXXXX)
  if ! debootstrap --variant=minbase bookworm "$staging" "$mirror" >"$cache/debootstrap.log" 2>&1; then
    rm -rf "$staging"
    tail -n 5 "$cache/debootstrap.log"
    skip "debootstrap could not build a root from $mirror (log: $cache/debootstrap.log)"
  fi
  tar -C "$staging" -czf "$base.partial" . && mv "$base.partial" "$base"
  rm -rf "$staging"
  timings+=("debootstrap: $(since "$start")")
fi

root=""
mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -l "${mounted[i]}" 2>/dev/null || true
  done
  mounted=()
  [[ -n $root ]] && rm -rf --one-file-system "$root"
  root=""
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# Runs the commands one after another in a new root named `name`; prints
# each one's time, the first's as installs, build and runs.
run_in_fresh_root() {
  local name=$1 log start line
  shift
  # (set -e does not reach into a function called with ||: each step says so.)
  root=$(mktemp -d /var/tmp/cv-lessons-fresh.XXXXXX) || return 1
  tar -C "$root" -xzf "$base" || return 1
  git clone -q --no-hardlinks . "$root/root/cv-lessons" || return 1
  git -C "$root/root/cv-lessons" checkout -q "$commit" || return 1
  cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  # debootstrap leaves out /etc/hosts, which every installed Debian has; without
  # it `localhost` does not resolve (Selenium reaches chromedriver through it).
  [[ -e $root/etc/hosts ]] || printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' >"$root/etc/hosts"
  mkdir -p "$root/proc" "$root/dev/pts" "$root/dev/shm" || return 1
  # The root is a mount of its own, as a machine's / is: bubblewrap (grade's
  # sandbox) cannot make a chroot's / private otherwise.
  mount --bind "$root" "$root" && mounted+=("$root") || return 1
  mount -t proc proc "$root/proc" && mounted+=("$root/proc") || return 1
  mount --bind /dev/pts "$root/dev/pts" && mounted+=("$root/dev/pts") || return 1
  mount -t tmpfs shm "$root/dev/shm" && mounted+=("$root/dev/shm") || return 1

  # One shell runs them all, a marker line after each that ends well.
  local script="cd /root/cv-lessons" command index=0
  for command in "$@"; do
    index=$((index + 1))
    script+=" && $command && echo '== fresh: done: $index'"
  done
  log=$cache/fresh-$name.log
  start=$SECONDS
  local status
  # Each line stamped with the seconds since the start, to time the phases.
  set +e
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb \
    bash -c "$script" 2>&1 |
    while IFS= read -r line; do printf '%d %s\n' "$((SECONDS - start))" "$line"; done >"$log"
  status=${PIPESTATUS[0]}
  set -e
  cleanup

  # The first command's phases: installs until the packages are ready, the
  # build until the first run; then each command's end.
  local built ran previous=0 ended label times=()
  built=$(grep -m1 -E '^[0-9]+ packages: ready' "$log" | cut -d' ' -f1 || true)
  ran=$(grep -m1 -E '^[0-9]+ == (CTest|02 beside 03)' "$log" | cut -d' ' -f1 || true)
  index=0
  for command in "$@"; do
    index=$((index + 1))
    ended=$(grep -m1 -E "^[0-9]+ == fresh: done: $index\$" "$log" | cut -d' ' -f1 || true)
    [[ -n $ended ]] || break
    label=${command#(}
    times+=("${label%% [<>]*} $((ended - previous)) s;")
    previous=$ended
  done
  local total=$((SECONDS - start))
  echo "fresh: $name root: ${times[*]:-none ended;} $1's installs ${built:-?} s," \
    "build $((${ran:-0} - ${built:-0})) s; in all $total s (exit $status; log: $log)"
  # What a command said for the summary, then the tests' count, for ./check's own.
  grep -E '^[0-9]+ == fresh: say: ' "$log" | sed "s/^[0-9]* == fresh: say: /fresh: $name root: /" || true
  # The tests' count, for ./check's own.
  grep -E '^[0-9]+ check: ' "$log" | tail -n 1 | sed "s/^[0-9]* check: /fresh: $name root check: /"
  if ((status != 0)); then
    # The failing checks' own words first (Boost.Test's "error: in", b2's
    # captured output), since the end of the log is often a later stage's.
    echo "fresh: the $name root FAILED; its errors:"
    grep -E 'error: in |error: |\*\*\* [0-9]+ failure|Test +#.*\*\*\*Failed|^[0-9]+ check: ' "$log" |
      head -n 30 | cut -d' ' -f2- || true
    echo "fresh: the end of its log:"
    tail -n 25 "$log" | cut -d' ' -f2-
    return 1
  fi
}

# Arguments name the roots to make (readme, boost181); none: both.
for name in "$@"; do
  [[ $name == readme || $name == boost181 ]] || { echo "fresh-root: no root '$name'; use readme or boost181" >&2; exit 2; }
done
wanted=" ${*:-readme boost181} "
failed=0
if [[ $wanted == *" readme "* ]]; then
  # After the two commands, the rest of what CI runs: every lesson's own
  # run (./demo --all, each must end as a lesson ends) and the benchmark's
  # quick run as a smoke test (it runs and every item arrives; its timings
  # are reported, never asserted).
  run_in_fresh_root readme ./demo ./check \
    "(./demo --all </dev/null >demo-all.log 2>&1 || { tail -n 30 demo-all.log; exit 1; }
      echo \"== fresh: say: ./demo --all ran \$(grep -c 'as it runs by default' demo-all.log) lessons\")" \
    "build/bin/bench --quick" || failed=1
fi
if [[ $wanted == *" boost181 "* ]]; then
  # Warnings are errors there as in CI: what Boost 1.81 deprecates must show.
  run_in_fresh_root boost181 "CI=true CV_CXX=clang++-16 CV_BOOST=1.81 ./check --cmake-only" || failed=1
fi
printf 'fresh: %s\n' "${timings[@]}"
exit "$failed"
