# Sourced by ./demo and ./check: install what the build needs, then build
# incrementally with CMake. Works as root on a fresh Debian 12.

readonly CV_PACKAGES=(g++ make cmake libboost-thread-dev libboost-chrono-dev
  libboost-test-dev libboost-program-options-dev libboost-tools-dev valgrind librsvg2-bin)
# What only the tests need, which ./check installs and ./demo does not: a
# terminal for --play (tmux), a browser for --html (headless Chromium through
# Selenium, with a font to draw the page).
readonly CV_TEST_PACKAGES=(tmux chromium chromium-driver python3-selenium fonts-dejavu-core)
readonly CV_BUILD=build

# A stage's title. With CV_TIMED set (./check sets it), also the seconds
# since the script began, so that a slow stage shows in the log before it
# outgrows CI's limit; the demo leaves them out.
cv_say() {
  local when=""
  [[ -n ${CV_TIMED:-} ]] && when="  ($SECONDS s)"
  if [[ -t 1 ]]; then
    printf '\n\033[1m== %s\033[0m%s\n' "$*" "$when"
  else
    printf '\n== %s%s\n' "$*" "$when"
  fi
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
cv_build() {
  local werror=OFF
  [[ ${CI:-} == true ]] && werror=ON
  cmake -S . -B "$CV_BUILD" -DCV_LESSONS_WERROR="$werror" >/dev/null
  cmake --build "$CV_BUILD" -j "$(nproc)" "$@"
}
