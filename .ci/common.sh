# shellcheck shell=bash
# Sourced by ./demo and ./check: install what the build needs, then build
# incrementally with CMake. Works as root on a fresh Debian 12.
#
# The toolchain is Debian 12's default (g++ 12, Boost 1.74) unless two
# variables name another, as the Boost 1.81 fresh root does:
#   CV_CXX=clang++-16   the C++ compiler (g++, clang++ or clang++-N)
#   CV_BOOST=1.81       Debian's versioned Boost packages instead of the default
# Only a compiler that was named goes to CMake: an existing build directory
# keeps the one it was configured with.
cv_compiler_option=()
[[ -n ${CV_CXX:-} ]] && cv_compiler_option=(-DCMAKE_CXX_COMPILER="$CV_CXX")
readonly CV_CXX=${CV_CXX:-g++}
readonly CV_BOOST=${CV_BOOST:-}
case "$CV_CXX" in
  g++) cv_compiler_package=g++ ;;
  clang++) cv_compiler_package=clang ;;
  clang++-[0-9]*) cv_compiler_package=clang-${CV_CXX#clang++-} ;;
  *)
    echo "CV_CXX: '$CV_CXX' is not g++, clang++ or clang++-N" >&2
    exit 2
    ;;
esac
if [[ -n $CV_BOOST && ! $CV_BOOST =~ ^1\.[0-9]+$ ]]; then
  echo "CV_BOOST: '$CV_BOOST' is not a Boost version such as 1.81" >&2
  exit 2
fi
readonly CV_PACKAGES=("$cv_compiler_package" make cmake
  "libboost-thread$CV_BOOST-dev" "libboost-chrono$CV_BOOST-dev" "libboost-test$CV_BOOST-dev"
  "libboost-program-options$CV_BOOST-dev" "libboost$CV_BOOST-tools-dev"
  valgrind librsvg2-bin bubblewrap)
# What only the tests need, which ./check installs and ./demo does not: a
# terminal for --play (tmux), a browser for --html (headless Chromium through
# Selenium, with a font to draw the page).
readonly CV_TEST_PACKAGES=(tmux chromium chromium-driver python3-selenium fonts-dejavu-core)
readonly CV_BUILD=build

# A stage's title. With CV_TIMED set (./check sets it), also the seconds
# since the script began, so that a slow stage shows in the log before it
# outgrows CI's limit; the demo leaves them out.
# A title longer than 80 columns is folded between words, its later lines
# indented under the first, so that a projected terminal never breaks a word.
cv_say() {
  local when="" title
  [[ -n ${CV_TIMED:-} ]] && when="  ($SECONDS s)"
  title=$(printf '== %s%s\n' "$*" "$when" | fold -s -w 77 | sed -e '2,$s/^/   /' -e 's/ *$//')
  if [[ -t 1 ]]; then
    printf '\n\033[1m%s\033[0m\n' "$title"
  else
    printf '\n%s\n' "$title"
  fi
}

# At a terminal, waits for Enter before the next part of a demo, so that a
# teacher can talk over what is on the screen; q and Enter ends the demo.
# Elsewhere (a pipe, CI) it goes straight on.
cv_pause() {
  local answer
  [[ -t 0 && -t 1 ]] || return 0
  read -r -p "Enter: $*; q and Enter: stop " answer
  [[ $answer != q ]] || exit 0
}

# apt-get install whatever of CV_PACKAGES is missing.
# The build's packages and any given as arguments.
cv_install_packages() {
  local missing=() package
  for package in "${CV_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$package")
  done
  if ((${#missing[@]} == 0)); then
    echo "packages: ready"
    return 0
  fi
  if ((EUID != 0)); then
    echo "missing packages: ${missing[*]}; run as root, or: sudo apt-get install ${missing[*]}" >&2
    return 1
  fi
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "packages: ready"
}

# Configure once, then build what changed. Under CI, warnings are errors.
# A unity build (common/'s files joined eight to a unit; the lessons never):
# the whole tree in about 300 s instead of 435 s here, which a teacher's first
# ./demo waits for. b2 still compiles every file on its own.
cv_build() {
  local werror=OFF
  [[ ${CI:-} == true ]] && werror=ON
  cmake -S . -B "$CV_BUILD" -DCV_LESSONS_WERROR="$werror" -DCMAKE_UNITY_BUILD=ON \
    "${cv_compiler_option[@]}" >/dev/null
  cmake --build "$CV_BUILD" -j "$(nproc)" "$@"
}
