// The main function of every lesson executable. The build names the lesson:
// LESSON is the definition's name in samples/lessons.hpp, e.g. if_wait_bug.
#include "lessons.hpp"
#include "options.hpp"

int main(int argc, char* argv[]) {
  return lesson::main(argc, argv, lessons::LESSON);
}
