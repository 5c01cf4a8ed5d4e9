// The main function of every lesson executable. The build names the lesson:
// LESSON_NAME is its file's stem, e.g. "02_if_wait_bug", under which the
// lesson registered its definition (samples/lessons.hpp).
#include <iostream>

#include "drive/driver.hpp"
#include "lessons.hpp"

int main(int argc, char* argv[]) {
  const lesson::definition* const found = lessons::find(LESSON_NAME);
  if (found == nullptr) {
    std::cerr << LESSON_NAME << ": no lesson of that name is linked into this program\n";
    return 2;
  }
  return lesson::main(argc, argv, *found);
}
