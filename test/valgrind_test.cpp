// helgrind and DRD on every correct lesson, short runs: no race may be
// reported. (They cannot see the bugs of 02 and 04: those are logic errors,
// not races.) Which lessons are correct is asked of the registry, where each
// lesson's definition says it (its worst_case), so a new correct lesson is
// checked with no edit here. A test case a lesson, in a suite a tool:
//   valgrind_test --run_test=helgrind -- VALGRIND SUPPRESSIONS BIN_FOLDER
// runs helgrind on build/bin/NAME for each correct lesson NAME, and a failure
// names the lesson.
#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>

#include "lessons.hpp"
#include "program_runs.hpp"

namespace {

namespace utf = boost::unit_test;

// The command-line arguments after `--`: valgrind, its suppressions, and the
// folder of the lesson executables.
struct arguments {
  std::string valgrind;
  std::string suppressions;
  std::string bin;
};

arguments given() {
  const utf::master_test_suite_t& suite = utf::framework::master_test_suite();
  if (suite.argc != 4) {
    throw std::invalid_argument("pass: -- valgrind suppressions-file bin-folder");
  }
  return {suite.argv[1], suite.argv[2], suite.argv[3]};
}

// A lesson's short run under `tool` says nothing and exits 0.
void silent_under(const std::string& tool, const std::string& lesson) {
  const arguments with = given();
  const lesson_test::finished_run ran = lesson_test::run_command(
      "'" + with.valgrind + "' --tool=" + tool + " --error-exitcode=1 --quiet --suppressions='" +
      with.suppressions + "' '" + with.bin + "/" + lesson +
      "' --producers 2 --consumers 2 --capacity 2 --items 200 --trace none");
  BOOST_TEST_INFO(tool << " on " << lesson << " said:\n" << ran.err);
  BOOST_TEST(ran.status == 0);
}

// A suite a tool, a case a correct lesson, each named after it.
bool register_a_case_a_correct_lesson() {
  for (const std::string tool : {"helgrind", "drd"}) {
    utf::test_suite* suite = BOOST_TEST_SUITE(tool);
    for (const lesson::definition* lesson : lessons::all()) {
      if (lesson->correct()) {
        const std::string name = lesson->name;
        suite->add(utf::make_test_case([tool, name] { silent_under(tool, name); }, name, __FILE__,
                                       __LINE__),
                   0, 600);
      }
    }
    utf::framework::master_test_suite().add(suite);
  }
  utf::framework::master_test_suite().p_name.value = "valgrind";
  return true;
}

}  // namespace

int main(int argc, char* argv[]) {
  return utf::unit_test_main(&register_a_case_a_correct_lesson, argc, argv);
}
