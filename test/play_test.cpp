// --play as a student plays it: keys through a pipe (one a line), and on a
// terminal (tmux, 80x24), where a key press decides without Enter. The
// executables of lessons 02, 09 and 12 and the samples folder (for their
// code) are given after `--`.
//
// The terminal cases are handshakes: each key is sent once the screen shows
// what the key before it did, and each wait is bounded (10 s).
#define BOOST_TEST_MODULE play
#include <sys/wait.h>
#include <unistd.h>

#include <boost/algorithm/string/split.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

// The text of a lesson's file, from the samples folder given after `--`.
std::string lesson_source(const std::string& name) {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  for (int i = 1; i < suite.argc; ++i) {
    if (fs::is_directory(suite.argv[i])) {
      std::stringstream text;
      text << std::ifstream(fs::path(suite.argv[i]) / (name + ".cpp")).rdbuf();
      return text.str();
    }
  }
  BOOST_TEST_REQUIRE(false, "pass the samples folder after --");
  return "";
}

// The executable of the lesson whose name starts with `number`, "02".
std::string lesson(const std::string& number) {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  for (int i = 1; i < suite.argc; ++i) {
    if (fs::path(suite.argv[i]).filename().string().starts_with(number + "_")) {
      return fs::absolute(suite.argv[i]).string();
    }
  }
  BOOST_TEST_REQUIRE(false, "pass the path of lesson " + number + "'s executable after --");
  return "";
}

// Appended, not concatenated: g++ 12 at -O3 warns -Wrestrict (wrongly) on
// "'" + a string returned by value.
std::string play_command(const std::string& number, const std::string& options = "") {
  std::string command = "'";
  command += lesson(number);
  command += "' --play";
  command += options;
  return command;
}

const std::string two_consumers = " --producers 1 --consumers 2 --capacity 1 --items 2";

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

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  boost::split(lines, text, [](char c) { return c == '\n'; });
  return lines;
}

// The first line of `text` that contains `part`, "" for none.
std::string line_with(const std::string& text, const std::string& part) {
  for (const std::string& line : lines_of(text)) {
    if (line.find(part) != std::string::npos) {
      return line;
    }
  }
  return "";
}

// A tmux session of 80x24 running `command`, which stays to be read after
// the command ends, and is killed at the end of the case. Each on a tmux
// server of its own (-L): a server whose last session was just killed exits
// a moment later, and a session started on it then fails.
class terminal {
 public:
  explicit terminal(const std::string& command)
      : session_("cv_lessons_play_test_" + std::to_string(::getpid()) + "_" +
                 std::to_string(++made)) {
    std::string start = "new-session -d -s " + session_ + " -x 80 -y 24 \"";
    start += command;
    start += "; sleep 60\"";
    BOOST_TEST_REQUIRE(tmux(start) == 0);
  }
  ~terminal() { tmux("kill-server"); }
  terminal(const terminal&) = delete;
  terminal& operator=(const terminal&) = delete;

  // Presses `key`, a tmux key name: "2", "Escape", "Up".
  void press(const std::string& key) { tmux("send-keys -t " + session_ + " " + key); }
  // Sends one byte, as hex digits: "00", "ff".
  void send_byte(const std::string& hex) { tmux("send-keys -t " + session_ + " -H " + hex); }

  std::string pane() const {
    const std::string file = (fs::temp_directory_path() / (session_ + ".pane")).string();
    std::system(
        ("tmux -L " + session_ + " capture-pane -p -t " + session_ + " >'" + file + "'").c_str());
    std::stringstream shown;
    shown << std::ifstream(file).rdbuf();
    fs::remove(file);
    return shown.str();
  }
  // Waits up to 10 s for the pane to show `text`.
  bool shows(const std::string& text) const {
    for (int tries = 0; tries < 100; ++tries) {
      if (pane().find(text) != std::string::npos) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  // Presses each key of `keys` once the screen asks for the decision it takes.
  void decide(const std::string& keys) {
    for (const char key : keys) {
      BOOST_TEST_REQUIRE(shows("decision " + std::to_string(++decisions_)), pane());
      press(std::string(1, key));
    }
    BOOST_TEST_REQUIRE(shows("decision " + std::to_string(decisions_ + 1)), pane());
  }

 private:
  int tmux(const std::string& args) const {
    return std::system(("tmux -L " + session_ + " " + args + " >/dev/null 2>&1").c_str());
  }

  static inline int made = 0;  // terminals so far, for the names

  std::string session_;
  int decisions_ = 0;
};

}  // namespace

BOOST_AUTO_TEST_CASE(keys_from_a_pipe_make_the_stolen_wakeup_and_its_replay_line_replays_it,
                     *boost::unit_test::timeout(60)) {
  // C1 takes the lock and waits, P1 puts and notifies, C2 takes first, C1 takes from nothing.
  const finished_run played = run(play_command("02", two_consumers), "2\n1\n3\n2\n");
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
    const std::vector<std::string> lines = lines_of(screen);
    BOOST_TEST(lines.size() <= 24u, screen);
    for (const std::string& line : lines) {
      BOOST_TEST(line.size() <= 80u, line);
    }
  }
  BOOST_TEST(line_with(screens[2], "C1 >").find("s.condition.wait(lock);") != std::string::npos,
             screens[2]);

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
  const finished_run played = run(play_command("02", two_consumers), "2\n1\n1\nu\nx\n3\n2\n");
  BOOST_TEST(played.status == 1, played.out);
  BOOST_TEST(played.out.find("undone: the run again without your last decision") !=
             std::string::npos);
  BOOST_TEST(played.out.find("x: not a choice here; keys: 1 2 3 u q") != std::string::npos,
             played.out);
  BOOST_TEST(played.out.find("after 4 decisions of yours") != std::string::npos, played.out);
}

BOOST_AUTO_TEST_CASE(the_end_of_the_keys_quits_and_a_closed_stdin_is_refused,
                     *boost::unit_test::timeout(60)) {
  const finished_run ended = run(play_command("02", two_consumers), "2\n");
  BOOST_TEST(ended.status == 0, ended.out);
  BOOST_TEST(ended.out.find("quit after 1 decisions") != std::string::npos, ended.out);

  const finished_run closed = run(play_command("02", two_consumers), "", true);
  BOOST_TEST(closed.status == 2, closed.out);
  BOOST_TEST(closed.out ==
             "02_if_wait_bug: --play: standard input is closed; keys are read from it (see "
             "--help)\n");
}

BOOST_AUTO_TEST_CASE(on_a_terminal_a_key_press_decides_without_enter,
                     *boost::unit_test::timeout(60)) {
  terminal screen(play_command("02", two_consumers));
  screen.decide("21");
  const std::string pane = screen.pane();
  BOOST_TEST(line_with(pane, "C1 >").find("s.condition.wait(lock);") != std::string::npos, pane);
  BOOST_TEST(pane.find("waiting on condition: C1") == std::string::npos, pane);  // woken
  screen.press("q");
  BOOST_TEST(screen.shows("quit after 2 decisions"), screen.pane());
}

// Issue 24, point 10: the screen shows where each thread is now and what the
// last decision did.
BOOST_AUTO_TEST_CASE(after_s_the_screen_shows_the_waiter_woken, *boost::unit_test::timeout(60)) {
  terminal screen(play_command("02", two_consumers));
  screen.decide("2s");  // C1 takes the lock and waits; then it wakes with no notify
  const std::string pane = screen.pane();
  BOOST_TEST(pane.find("decision 2: you woke C1 with no notify (spurious)") != std::string::npos,
             pane);
  BOOST_TEST(pane.find("waiting on condition: C1") == std::string::npos, pane);
  BOOST_TEST(pane.find("C1 woken with no notify") != std::string::npos, pane);
  BOOST_TEST(line_with(pane, "C1 >").find("s.condition.wait(lock);") != std::string::npos, pane);
}

BOOST_AUTO_TEST_CASE(a_waiter_the_student_chose_is_not_labelled_default,
                     *boost::unit_test::timeout(60)) {
  terminal screen(play_command("02", two_consumers));
  // C1 and C2 wait; P1 (the only one left to take the lock) puts, and its
  // notify_one wakes the waiter the student picks: C2.
  screen.decide("222");
  const std::string pane = screen.pane();
  BOOST_TEST(pane.find("notify_one(condition) wakes C2") != std::string::npos, pane);
  BOOST_TEST(pane.find("(default)") == std::string::npos, pane);
  BOOST_TEST(pane.find("decision 3: P1's notify_one woke C2, as you chose") != std::string::npos,
             pane);
  BOOST_TEST(pane.find("C2 woken, wants the lock") != std::string::npos, pane);
}

BOOST_AUTO_TEST_CASE(in_09_the_marker_is_where_each_thread_is_and_the_checks_show,
                     *boost::unit_test::timeout(60)) {
  terminal screen(play_command("09"));
  screen.decide("1");  // P1 puts and comes to its close, which takes no lock
  std::string pane = screen.pane();
  BOOST_TEST(line_with(pane, "P1 >").find("s.done.store(true);") != std::string::npos, pane);
  BOOST_TEST(line_with(pane, "C1 >").find("boost::unique_lock lock(s.mutex);") != std::string::npos,
             pane);
  BOOST_TEST(pane.find("P1 without the lock") != std::string::npos, pane);
  screen.decide("2");  // C1 takes the lock, finds the item, takes it, comes to its notify
  pane = screen.pane();
  BOOST_TEST(line_with(pane, "C1 >").find("s.not_full.notify_one();") != std::string::npos, pane);
  BOOST_TEST(pane.find("C1  empty? no") != std::string::npos, pane);
  BOOST_TEST(pane.find("decision 2: C1 took the lock: empty? no") != std::string::npos, pane);
}

BOOST_AUTO_TEST_CASE(in_12_the_marker_is_where_each_thread_is_and_the_checks_show,
                     *boost::unit_test::timeout(60)) {
  terminal screen(play_command("12"));
  // P1 takes the lock, lets it go, puts; then C1 takes the lock, sees the
  // item and lets the lock go before its take.
  screen.decide("1112");
  const std::string pane = screen.pane();
  BOOST_TEST(line_with(pane, "P1 >").find("lock.lock();") != std::string::npos, pane);
  BOOST_TEST(line_with(pane, "C1 >").find("s.items.take();") != std::string::npos, pane);
  BOOST_TEST(pane.find("C1  empty? no") != std::string::npos, pane);
  BOOST_TEST(pane.find("decision 4: C1 took the lock: empty? no") != std::string::npos, pane);
}

// Point 11, --play's part: a line too long for 80 columns is cut after a
// whole word, with "...": each row of code is its line of the lesson, or the
// start of it up to a space.
BOOST_AUTO_TEST_CASE(a_long_comment_is_cut_after_a_word, *boost::unit_test::timeout(60)) {
  terminal screen(play_command("09"));
  screen.decide("1");
  const std::string pane = screen.pane();
  const std::vector<std::string> source = lines_of(lesson_source("09_unguarded_close"));
  const std::regex code_row("^ *(?:(?:[PC][0-9]+ )+> )? *([0-9]+)  (.*)$");
  int cut = 0;
  for (const std::string& row : lines_of(pane)) {
    std::smatch parts;
    if (!std::regex_match(row, parts, code_row)) {
      continue;
    }
    BOOST_TEST(row.size() <= 80u, row);
    const std::string& line = source.at(std::stoul(parts[1]) - 1);
    std::string shown = parts[2];
    if (shown == line) {
      continue;
    }
    ++cut;
    BOOST_TEST_REQUIRE(shown.ends_with("..."), row);
    shown.resize(shown.size() - 3);
    BOOST_TEST(line.starts_with(shown), row);
    BOOST_TEST((line.size() > shown.size() && line[shown.size()] == ' '), row + " | " + line);
  }
  BOOST_TEST(cut > 0, pane);  // 09's close has a long comment
}

// Point 12: a wrong key is named back, escaped; the end screen keeps its
// headline in 24 rows; the events show steps, not the student's thinking.
BOOST_AUTO_TEST_CASE(a_wrong_key_is_named_back_and_control_bytes_are_escaped,
                     *boost::unit_test::timeout(60)) {
  terminal screen(play_command("02", two_consumers));
  BOOST_TEST_REQUIRE(screen.shows("decision 1"), screen.pane());
  screen.press("x");
  BOOST_TEST(screen.shows("x: not a choice here; keys: 1 2 3 q"), screen.pane());
  screen.send_byte("00");
  BOOST_TEST(screen.shows("\\0: not a choice here"), screen.pane());
  screen.send_byte("ff");
  BOOST_TEST(screen.shows("\\xff: not a choice here"), screen.pane());
  screen.press("Up");  // ESC [ A
  BOOST_TEST(screen.shows("\\e[A: not a choice here"), screen.pane());
  screen.press("Escape");
  BOOST_TEST(screen.shows("\\e: not a choice here"), screen.pane());
  const std::string pane = screen.pane();
  BOOST_TEST(pane.starts_with("== play 02_if_wait_bug"), pane);  // nothing moved the cursor
  BOOST_TEST(pane.find("^[") == std::string::npos, pane);        // nor was echoed
  BOOST_TEST(pane.find("^@") == std::string::npos, pane);
  screen.press("2");  // the game goes on
  BOOST_TEST(screen.shows("decision 2"), screen.pane());
}

BOOST_AUTO_TEST_CASE(the_end_screen_keeps_its_headline_and_shows_no_thinking_time,
                     *boost::unit_test::timeout(90)) {
  terminal screen(play_command("09"));
  // The lost wakeup: C1 reads done (false), then the close falls before its wait.
  screen.decide("122221");
  screen.press("1");
  BOOST_TEST_REQUIRE(screen.shows("r shows the whole report"), screen.pane());
  std::string pane = screen.pane();
  BOOST_TEST(pane.starts_with("result: deadlock after 7 decisions of yours"), pane);
  BOOST_TEST(pane.find("\nDEADLOCK: ") != std::string::npos, pane);
  BOOST_TEST(pane.find("replay: ") != std::string::npos, pane);
  screen.press("r");
  BOOST_TEST_REQUIRE(screen.shows("[   21]  C1  waits on not_empty"), screen.pane());
  pane = screen.pane();
  BOOST_TEST(pane.find("result: deadlock after 7 decisions of yours") != std::string::npos, pane);
  // Steps, and no time: the run waited for the student's keys.
  BOOST_TEST(!std::regex_search(pane, std::regex("\\] +[0-9]+\\.[0-9]+ ms")), pane);
  screen.press("q");
}
