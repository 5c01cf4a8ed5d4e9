// --play as a student plays it: keys through a pipe (one a line), and once on
// a terminal (tmux, 80x24), where a key press decides without Enter. Lesson
// 02's executable is given after `--`.
#define BOOST_TEST_MODULE play
#include <sys/wait.h>
#include <unistd.h>

#include <boost/algorithm/string/split.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string lesson_02() {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  BOOST_TEST_REQUIRE(suite.argc > 1, "pass the path of 02_if_wait_bug after --");
  return fs::absolute(suite.argv[suite.argc - 1]).string();
}

// Appended, not concatenated: g++ 12 at -O3 warns -Wrestrict (wrongly) on
// "'" + a string returned by value.
std::string play_command() {
  std::string command = "'";
  command += lesson_02();
  command += "' --play --producers 1 --consumers 2 --capacity 1 --items 2";
  return command;
}

struct finished_run {
  int status;
  std::string out;
};

// Runs `command` through the shell under a timeout, `keys` on its standard input.
finished_run run(const std::string& command, const std::string& keys, bool closed = false) {
  const std::string stem =
      (fs::temp_directory_path() / ("cv_lessons_play_test." + std::to_string(::getpid()))).string();
  std::ofstream(stem + ".in") << keys;
  const int status =
      std::system(("timeout 20 " + command + (closed ? " <&-" : " <'" + stem + ".in'") + " >'" +
                   stem + ".out' 2>&1")
                      .c_str());
  std::stringstream out;
  out << std::ifstream(stem + ".out").rdbuf();
  fs::remove(stem + ".in");
  fs::remove(stem + ".out");
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out.str()};
}

std::string line_starting(const std::string& text, const std::string& start) {
  const std::size_t at = text.find("\n" + start);
  return at == std::string::npos ? "" : text.substr(at + 1, text.find('\n', at + 1) - at - 1);
}

}  // namespace

BOOST_AUTO_TEST_CASE(keys_from_a_pipe_make_the_stolen_wakeup_and_its_replay_line_replays_it,
                     *boost::unit_test::timeout(60)) {
  // C1 takes the lock and waits, P1 puts and notifies, C2 takes first, C1 takes from nothing.
  const finished_run played = run(play_command(), "2\n1\n3\n2\n");
  BOOST_TEST(played.status == 1, played.out);
  BOOST_TEST(played.out.find("VIOLATION at step") != std::string::npos, played.out);
  BOOST_TEST(played.out.find("The take: 02_if_wait_bug.cpp:") != std::string::npos);
  BOOST_TEST(played.out.find("after 4 decisions of yours: as few as explore's best, 4") !=
                 std::string::npos,
             played.out);
  // Each screen fits 80x24, and shows the lesson's code with a marker on C1's wait.
  std::vector<std::string> screens;
  const std::string marker = "\n== play ";
  for (std::size_t at = played.out.find(marker); at != std::string::npos;) {
    const std::size_t next = played.out.find(marker, at + 1);
    screens.push_back(played.out.substr(at + 1, next == std::string::npos ? next : next - at - 1));
    at = next;
  }
  BOOST_TEST_REQUIRE(screens.size() == 4u);
  for (std::string screen : screens) {
    screen = screen.substr(0, screen.find("\n> ") + 3);
    std::vector<std::string> lines;
    boost::split(lines, screen, [](char c) { return c == '\n'; });
    BOOST_TEST(lines.size() <= 24u, screen);
    for (const std::string& line : lines) {
      BOOST_TEST(line.size() <= 80u, line);
    }
  }
  BOOST_TEST(screens[2].find("C1 >") != std::string::npos, screens[2]);
  BOOST_TEST(screens[2].find("s.condition.wait(lock);") != std::string::npos, screens[2]);

  const std::string replay = line_starting(played.out, "replay: ");
  BOOST_TEST_REQUIRE(!replay.empty());
  const finished_run replayed = run(replay.substr(std::string("replay: ").size()), "");
  BOOST_TEST(replayed.status == 1, replayed.out);
  BOOST_TEST(replayed.out.find(": C1 took from an empty buffer (underflow)") != std::string::npos,
             replayed.out);
}

BOOST_AUTO_TEST_CASE(undo_runs_again_without_the_last_decision_and_a_bad_key_asks_again,
                     *boost::unit_test::timeout(60)) {
  // C1, P1, then P1 instead of C2: undone, then C2 and C1 as above.
  const finished_run played = run(play_command(), "2\n1\n1\nu\nx\n3\n2\n");
  BOOST_TEST(played.status == 1, played.out);
  BOOST_TEST(played.out.find("undone: the run again without your last decision") !=
             std::string::npos);
  BOOST_TEST(played.out.find("no choice has the key 'x'") != std::string::npos);
  BOOST_TEST(played.out.find("after 4 decisions of yours") != std::string::npos, played.out);
}

BOOST_AUTO_TEST_CASE(the_end_of_the_keys_quits_and_a_closed_stdin_is_refused,
                     *boost::unit_test::timeout(60)) {
  const finished_run ended = run(play_command(), "2\n");
  BOOST_TEST(ended.status == 0, ended.out);
  BOOST_TEST(ended.out.find("quit after 1 decisions") != std::string::npos, ended.out);

  const finished_run closed = run(play_command(), "", true);
  BOOST_TEST(closed.status == 2, closed.out);
  BOOST_TEST(closed.out ==
             "02_if_wait_bug: --play: standard input is closed; keys are read from it (see "
             "--help)\n");
}

BOOST_AUTO_TEST_CASE(on_a_terminal_a_key_press_decides_without_enter,
                     *boost::unit_test::timeout(60)) {
  const std::string session = "cv_lessons_play_test_" + std::to_string(::getpid());
  const auto tmux = [&](const std::string& args) {
    return std::system(("tmux " + args + " >/dev/null 2>&1").c_str());
  };
  const auto pane = [&] {
    const std::string file = (fs::temp_directory_path() / (session + ".pane")).string();
    std::system(("tmux capture-pane -p -t " + session + " >'" + file + "'").c_str());
    std::stringstream shown;
    shown << std::ifstream(file).rdbuf();
    fs::remove(file);
    return shown.str();
  };
  // Waits up to 10 s for the pane to show `text`.
  const auto shows = [&](const std::string& text) {
    for (int tries = 0; tries < 100; ++tries) {
      if (pane().find(text) != std::string::npos) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  };
  std::string start = "new-session -d -s " + session + " -x 80 -y 24 \"";
  start += play_command();
  start += "; sleep 20\"";
  BOOST_TEST_REQUIRE(tmux(start) == 0);
  BOOST_TEST(shows("decision 1"), pane());
  tmux("send-keys -t " + session + " 2");  // no Enter
  BOOST_TEST(shows("decision 2"), pane());
  tmux("send-keys -t " + session + " 1");
  BOOST_TEST(shows("decision 3"), pane());
  const std::string screen = pane();
  BOOST_TEST(screen.find("C1 >") != std::string::npos, screen);
  BOOST_TEST(screen.find("waiting on condition: C1") == std::string::npos, screen);  // woken
  tmux("send-keys -t " + session + " q");
  BOOST_TEST(shows("quit after 2 decisions"), pane());
  tmux("kill-session -t " + session);
}
