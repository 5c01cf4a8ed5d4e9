// The documentation's commands, run: what the README, CHANGELOG.md and every page
// of docs/ tell a reader to type must run, and what they say it prints must be
// what they print.
//
// Two kinds of command are checked:
// - transcripts, fenced as ```console: each `$ command` is run, and the lines
//   under it are an excerpt of its output (stdout and stderr together, as a
//   terminal shows them). Consecutive excerpt lines must be consecutive
//   output lines; a line that is only `...` stands for lines left out, and
//   `...` inside a line for any text (a count that varies from run to run).
//   The command must end with exit code 0, or with the one its `# exit N`
//   comment names (`# exit 0 or 1` for a run whose verdict varies); a shell
//   ignores the comment when the reader pastes it. A command that cannot run
//   here (it installs packages, or takes many minutes) says so with a
//   `# skip: why` comment: it is counted as skipped, not run. A `$ ` line in
//   a fenced block that is not ```console is an error: every command shown
//   is run or marked.
// - links: every [text](target) of a page must reach a file or folder in the
//   repository, and a #fragment a heading of the page it names.
// - the commands an exercise names in its text (a code span that starts with
//   lesson, or with a tool of the suite, `valgrind` or `diff` and its
//   arguments; a tool's bare name is prose): each must run and end as a
//   lesson ends (0, 1 or 3), never with bad usage (2), a stuck script (4) or
//   a crash. Build commands (`cmake ...`) are left to the build.
//
// Usage: docs_test -- REPOSITORY PROGRAM... (every lesson and tool; the test
// lays them out as build/bin/ in a folder of its own, beside links to the
// repository's samples/ and exercises/, and runs each command there).
#define BOOST_TEST_MODULE docs_test
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct arguments {
  fs::path repository;
  std::vector<fs::path> programs;
};

arguments given() {
  const auto& master = boost::unit_test::framework::master_test_suite();
  arguments a;
  if (master.argc > 1) {
    a.repository = master.argv[1];
  }
  for (int i = 2; i < master.argc; ++i) {
    a.programs.emplace_back(master.argv[i]);
  }
  return a;
}

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) {
    return "";
  }
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

// Where a documented command came from, for the failure's message.
struct place {
  std::string file;
  std::size_t line = 0;
};

std::ostream& operator<<(std::ostream& out, const place& p) {
  return out << p.file << ":" << p.line;
}

struct transcript {
  place where;
  std::string command;
  std::vector<int> exit_codes{0};
  std::vector<std::string> excerpt;
  std::string skip;  // why it is not run, when it is marked `# skip: why`
};

// "command   # exit 3" -> the command and 3; "command   # skip: why" -> why.
void split_exit_comment(transcript& t) {
  static const std::regex exit_comment(R"(^(.*?)\s+#\s*exit\s+([0-9]+)(\s+or\s+([0-9]+))?\s*$)");
  static const std::regex skip_comment(R"(^(.*?)\s+#\s*skip:\s*(.+?)\s*$)");
  std::smatch m;
  if (std::regex_match(t.command, m, skip_comment)) {
    t.command = m[1];
    t.skip = m[2];
  } else if (std::regex_match(t.command, m, exit_comment)) {
    t.command = m[1];
    t.exit_codes = {std::stoi(m[2])};
    if (m[4].matched) {
      t.exit_codes.push_back(std::stoi(m[4]));
    }
  }
}

// A page's name as the failures give it: docs/x.md, README.md.
std::string page_name(const fs::path& file) {
  const std::string parent = file.parent_path().filename().string();
  return parent == "docs" ? "docs/" + file.filename().string() : file.filename().string();
}

// Every `$ command` of every ```console block in a markdown file. A `$ `
// line in any other fenced block is returned too, marked by `shown_only`,
// so that the test can refuse it.
std::vector<transcript> transcripts_in(const fs::path& file,
                                       std::vector<place>* shown_only = nullptr) {
  std::vector<transcript> found;
  const std::vector<std::string> lines = lines_of(read(file));
  bool inside = false;
  bool other_fence = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string line = trimmed(lines[i]);
    if (!inside && !other_fence) {
      inside = line == "```console";
      other_fence = !inside && line.rfind("```", 0) == 0;
    } else if (line.rfind("```", 0) == 0) {
      inside = false;
      other_fence = false;
    } else if (other_fence) {
      if (line.rfind("$ ", 0) == 0 && shown_only != nullptr) {
        shown_only->push_back({page_name(file), i + 1});
      }
    } else if (line.rfind("$ ", 0) == 0) {
      found.push_back({{page_name(file), i + 1}, line.substr(2), {0}, {}, {}});
      split_exit_comment(found.back());
    } else if (!found.empty()) {
      found.back().excerpt.push_back(line);
    }
  }
  return found;
}

// Does one output line match one excerpt line, whose `...` stand for any text?
bool line_matches(const std::string& output, const std::string& expected) {
  std::size_t at = 0;
  std::size_t from = 0;
  bool anchored = true;
  while (true) {
    const std::size_t dots = expected.find("...", from);
    const std::string piece = expected.substr(from, dots - from);
    const std::size_t hit =
        anchored ? (output.compare(at, piece.size(), piece) == 0 ? at : std::string::npos)
                 : output.find(piece, at);
    if (hit == std::string::npos) {
      return false;
    }
    at = hit + piece.size();
    if (dots == std::string::npos) {
      // A line that ends in `...` may end in anything.
      return !anchored && piece.empty() ? true : trimmed(output.substr(at)).empty();
    }
    from = dots + 3;
    anchored = false;
  }
}

// Does the excerpt appear in the output: runs of lines consecutive, runs
// separated by a `...` line in order with anything between? Returns the
// first line of the first run not found (which may be a blank line), or
// nothing.
std::optional<std::string> missing_from(const std::vector<std::string>& output,
                                        const std::vector<std::string>& excerpt) {
  std::size_t at = 0;
  std::size_t e = 0;
  while (e < excerpt.size()) {
    if (excerpt[e] == "...") {
      ++e;
      continue;
    }
    std::size_t run = e;
    while (run < excerpt.size() && excerpt[run] != "...") {
      ++run;
    }
    bool found = false;
    for (std::size_t start = at; !found && start + (run - e) <= output.size(); ++start) {
      found = std::equal(
          excerpt.begin() + static_cast<long>(e), excerpt.begin() + static_cast<long>(run),
          output.begin() + static_cast<long>(start),
          [](const auto& want, const auto& got) { return line_matches(trimmed(got), want); });
      if (found) {
        at = start + (run - e);
      }
    }
    if (!found) {
      return excerpt[e];
    }
    e = run;
  }
  return std::nullopt;
}

// A folder laid out as the README assumes a reader's checkout is: build/bin/
// with every program, samples/ and exercises/.
class workspace {
 public:
  explicit workspace(const arguments& a)
      : root_(fs::temp_directory_path() / ("cv_lessons_docs_test." + std::to_string(::getpid()))) {
    fs::remove_all(root_);
    fs::create_directories(root_ / "build" / "bin");
    for (const fs::path& program : a.programs) {
      fs::create_symlink(fs::absolute(program), root_ / "build" / "bin" / program.filename());
    }
    fs::create_directory_symlink(fs::absolute(a.repository / "samples"), root_ / "samples");
    fs::create_directory_symlink(fs::absolute(a.repository / "exercises"), root_ / "exercises");
  }
  workspace(const workspace&) = delete;
  workspace& operator=(const workspace&) = delete;
  ~workspace() { fs::remove_all(root_); }

  struct finished {
    int status;
    std::string output;
  };

  // Runs a command as a reader would, the suite's programs on the PATH; one
  // that would hang ends at the timeout (exit 124) and fails its check.
  finished run(const std::string& command) const {
    const fs::path out = root_ / "output.txt";
    const std::string script = "cd '" + root_.string() + "' && PATH='" +
                               (root_ / "build" / "bin").string() +
                               "':\"$PATH\" timeout 300 bash -c '" + escaped(command) + "' >'" +
                               out.string() + "' 2>&1 </dev/null";
    const int status = std::system(script.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read(out)};
  }

 private:
  static std::string escaped(const std::string& command) {
    std::string s;
    for (const char c : command) {
      s += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return s;
  }
  fs::path root_;
};

std::vector<fs::path> documents(const fs::path& repository) {
  std::vector<fs::path> files{repository / "README.md"};
  if (fs::exists(repository / "CHANGELOG.md")) {
    files.push_back(repository / "CHANGELOG.md");
  }
  const auto pages = static_cast<long>(files.size());
  if (fs::is_directory(repository / "docs")) {
    for (const auto& entry : fs::directory_iterator(repository / "docs")) {
      if (entry.path().extension() == ".md") {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin() + pages, files.end());
  return files;
}

// The code spans of an "Exercises" section that are commands to run.
std::vector<transcript> exercise_commands(const fs::path& file) {
  static const std::regex command(
      R"(^(build/bin/)?([0-9][0-9]_[a-z_]+( .*)?|(compare|explore|scoreboard|valgrind|diff) .+))");
  std::vector<transcript> found;
  const std::vector<std::string> lines = lines_of(read(file));
  bool inside = false;
  std::string paragraph;
  std::size_t paragraph_line = 0;
  for (std::size_t i = 0; i <= lines.size(); ++i) {
    const std::string line = i < lines.size() ? trimmed(lines[i]) : "";
    if (line.rfind("#", 0) == 0) {
      inside = line.find("Exercises") != std::string::npos;
    }
    const bool ends = line.empty() || std::isdigit(static_cast<unsigned char>(line.front())) ||
                      line.rfind("#", 0) == 0;
    if (ends && !paragraph.empty()) {
      for (std::size_t open = paragraph.find('`'); open != std::string::npos;) {
        const std::size_t close = paragraph.find('`', open + 1);
        const std::string span = paragraph.substr(open + 1, close - open - 1);
        if (std::regex_match(span, command)) {
          found.push_back({{page_name(file), paragraph_line}, span, {0}, {}, {}});
        }
        open = close == std::string::npos ? close : paragraph.find('`', close + 1);
      }
      paragraph.clear();
    }
    if (inside && !line.empty() && line.rfind("#", 0) != 0) {
      paragraph_line = paragraph.empty() ? i + 1 : paragraph_line;
      paragraph += (paragraph.empty() ? "" : " ") + line;
    }
  }
  return found;
}

}  // namespace

namespace {

// What checking one transcript found: empty when it exited as documented and
// printed its excerpt, else why not.
std::string mismatch(const workspace& here, const transcript& t) {
  const workspace::finished run = here.run(t.command);
  std::ostringstream why;
  if (std::count(t.exit_codes.begin(), t.exit_codes.end(), run.status) != 1) {
    why << "exit " << run.status << "\n";
  }
  const std::optional<std::string> missing = missing_from(lines_of(run.output), t.excerpt);
  if (missing) {
    why << "not printed: " << (missing->empty() ? "(a blank line)" : *missing) << "\n";
  }
  if (!why.str().empty()) {
    why << "--- it printed:\n" << run.output;
  }
  return why.str();
}

// A heading's fragment as GitHub makes it: lower case, spaces to hyphens,
// punctuation but hyphens and underscores dropped.
std::string fragment_of(const std::string& heading) {
  std::string f;
  for (const char c : heading) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_') {
      f += static_cast<char>(std::tolower(u));
    } else if (c == ' ') {
      f += '-';
    }
  }
  return f;
}

std::vector<std::string> fragments_of(const fs::path& page) {
  std::vector<std::string> fragments;
  bool fenced = false;
  for (const std::string& line : lines_of(read(page))) {
    if (line.rfind("```", 0) == 0) {
      fenced = !fenced;
    } else if (!fenced && line.rfind("#", 0) == 0) {
      const std::size_t text = line.find_first_not_of('#');
      fragments.push_back(fragment_of(trimmed(line.substr(text))));
    }
  }
  return fragments;
}

struct page_link {
  place where;
  std::string target;
};

// Every [text](target) and ![alt](target) of a page, outside fenced blocks and
// code spans.
std::vector<page_link> links_in(const fs::path& file) {
  static const std::regex markdown_link(R"(\]\(([^()\s]+)\))");
  std::vector<page_link> found;
  const std::vector<std::string> lines = lines_of(read(file));
  bool fenced = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (trimmed(lines[i]).rfind("```", 0) == 0) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      continue;
    }
    std::string prose;  // the line without its code spans
    bool span = false;
    for (const char c : lines[i]) {
      span = c == '`' ? !span : span;
      prose += span || c == '`' ? ' ' : c;
    }
    for (std::sregex_iterator m(prose.begin(), prose.end(), markdown_link), end; m != end; ++m) {
      found.push_back({{page_name(file), i + 1}, (*m)[1]});
    }
  }
  return found;
}

// Empty when the link reaches a file or folder of the repository (and its
// fragment a heading there), else why not.
std::string broken(const fs::path& repository, const fs::path& page, const std::string& target) {
  if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) {
    return "";  // the web is not checked: the test runs offline
  }
  const std::size_t hash = target.find('#');
  const std::string path = target.substr(0, hash);
  const fs::path reached = fs::weakly_canonical(path.empty() ? page : page.parent_path() / path);
  const fs::path inside = fs::relative(reached, fs::canonical(repository));
  if (inside.empty() || *inside.begin() == "..") {
    return "outside the repository";
  }
  if (!fs::exists(reached)) {
    return "no such file";
  }
  if (hash != std::string::npos) {
    const std::vector<std::string> headings = fragments_of(reached);
    if (std::find(headings.begin(), headings.end(), target.substr(hash + 1)) == headings.end()) {
      return "no heading #" + target.substr(hash + 1);
    }
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_transcript_prints_what_the_documentation_says,
                     *boost::unit_test::timeout(1800)) {
  const arguments a = given();
  BOOST_TEST_REQUIRE(fs::exists(a.repository / "README.md"));
  const workspace here(a);
  std::size_t run = 0;
  std::size_t matched = 0;
  std::size_t skipped = 0;
  for (const fs::path& file : documents(a.repository)) {
    std::vector<place> shown_only;
    for (const transcript& t : transcripts_in(file, &shown_only)) {
      BOOST_TEST_CONTEXT(t.where << ": $ " << t.command) {
        if (!t.skip.empty()) {
          ++skipped;
          continue;
        }
        ++run;
        const std::string why = mismatch(here, t);
        BOOST_TEST(why.empty(), why);
        matched += why.empty() ? 1 : 0;
      }
    }
    for (const place& p : shown_only) {
      BOOST_ERROR(p << ": a command shown outside a ```console block, neither run nor marked "
                       "`# skip: why`");
    }
  }
  std::cout << "docs_test: " << run << " documented commands run, " << matched << " matched, "
            << skipped << " skipped (marked `# skip: why`)" << std::endl;
  BOOST_TEST(run > 0U);
  BOOST_TEST(skipped < run);
}

BOOST_AUTO_TEST_CASE(every_link_reaches_a_file_of_the_tree) {
  const arguments a = given();
  std::size_t checked = 0;
  for (const fs::path& file : documents(a.repository)) {
    for (const page_link& l : links_in(file)) {
      const std::string why = broken(a.repository, file, l.target);
      BOOST_TEST(why.empty(), l.where << ": (" << l.target << "): " << why);
      ++checked;
    }
  }
  std::cout << "docs_test: " << checked << " links checked" << std::endl;
  BOOST_TEST(checked > 0U);
}

// The link check itself, on links whose answer is known.
BOOST_AUTO_TEST_CASE(a_broken_link_is_found) {
  const arguments a = given();
  const fs::path readme = a.repository / "README.md";
  BOOST_TEST(broken(a.repository, readme, "docs/teachers.md").empty());
  BOOST_TEST(broken(a.repository, readme, "docs/teachers.md#a-50-minute-class-plan").empty());
  BOOST_TEST(broken(a.repository, readme, "samples/").empty());
  BOOST_TEST(broken(a.repository, readme, "docs/no_such_page.md") == "no such file");
  BOOST_TEST(broken(a.repository, readme, "docs/teachers.md#no-such-heading") ==
             "no heading #no-such-heading");
  BOOST_TEST(broken(a.repository, readme, "../outside.md") == "outside the repository");
  BOOST_TEST(fragment_of("`--play`: a student is the scheduler") ==
             "--play-a-student-is-the-scheduler");
}

// The test catches a documented output changed by hand: the first scripted
// run (quick, and the same on every run) of each of three pages, with the
// last line it shows changed, must fail, where as written it passes (the
// test above); so must each with another exit code than it documents.
BOOST_AUTO_TEST_CASE(a_documented_output_changed_by_hand_fails, *boost::unit_test::timeout(600)) {
  const arguments a = given();
  const workspace here(a);
  std::size_t tried = 0;
  for (const fs::path& file : documents(a.repository)) {
    for (const transcript& t : transcripts_in(file)) {
      const auto shown = std::find_if(t.excerpt.rbegin(), t.excerpt.rend(),
                                      [](const std::string& l) { return l != "..."; });
      if (!t.skip.empty() || shown == t.excerpt.rend() ||
          t.command.find("--script") == std::string::npos ||
          t.command.find("valgrind") != std::string::npos) {
        continue;
      }
      BOOST_TEST_CONTEXT(t.where << ": $ " << t.command) {
        transcript changed = t;
        changed
            .excerpt[t.excerpt.size() - 1 - static_cast<std::size_t>(shown - t.excerpt.rbegin())] +=
            " (changed by hand)";
        BOOST_TEST(!mismatch(here, changed).empty());
        transcript wrong_exit = t;
        wrong_exit.exit_codes = {t.exit_codes.front() == 0 ? 7 : 0};
        wrong_exit.excerpt.clear();
        BOOST_TEST(!mismatch(here, wrong_exit).empty());
      }
      ++tried;
      break;
    }
    if (tried == 3) {
      break;
    }
  }
  std::cout << "docs_test: " << tried << " documented outputs changed by hand, to see them fail"
            << std::endl;
  BOOST_TEST(tried == 3U);
}

BOOST_AUTO_TEST_CASE(every_command_an_exercise_names_runs, *boost::unit_test::timeout(1800)) {
  const arguments a = given();
  const workspace here(a);
  std::size_t checked = 0;
  for (const fs::path& file : documents(a.repository)) {
    for (const transcript& t : exercise_commands(file)) {
      BOOST_TEST_CONTEXT(t.where << ": " << t.command) {
        const workspace::finished run = here.run(t.command);
        BOOST_TEST((run.status == 0 || run.status == 1 || run.status == 3), "exit " << run.status
                                                                                    << ":\n"
                                                                                    << run.output);
        ++checked;
      }
    }
  }
  std::cout << "docs_test: " << checked << " commands of exercises run" << std::endl;
  BOOST_TEST(checked > 0U);
}

// The matcher itself, on lines whose answer is known.
BOOST_AUTO_TEST_CASE(an_excerpt_matches_only_what_it_shows) {
  BOOST_TEST(line_matches("50 runs: 49 ok, 1 violation", "50 runs: ... ok, ... violation"));
  BOOST_TEST(!line_matches("50 runs: 49 ok, 1 violation", "50 runs: ... ok, 0 violation"));
  BOOST_TEST(!line_matches("x result: ok", "result: ok"));
  BOOST_TEST(!line_matches("result: ok extra", "result: ok"));
  BOOST_TEST(line_matches("==12== Possible data race during read",
                          "==...== Possible data race during ..."));
  const std::vector<std::string> output{"a", "b", "c", "d"};
  BOOST_TEST(!missing_from(output, {"b", "c"}));
  BOOST_TEST((missing_from(output, {"a", "c"}) == std::optional<std::string>("a")));
  BOOST_TEST(!missing_from(output, {"a", "...", "c"}));
  BOOST_TEST((missing_from(output, {"c", "...", "a"}) == std::optional<std::string>("a")));
  // A run that starts with a blank line and is not printed is missing too.
  BOOST_TEST(
      (missing_from({"a", "", "b"}, {"a", "...", "", "c"}) == std::optional<std::string>("")));
  BOOST_TEST(!missing_from({"a", "", "b"}, {"a", "...", "", "b"}));
}

namespace {

// What a bash script prints, run in the repository with .ci/common.sh sourced.
std::string bash_output(const fs::path& repository, const std::string& script) {
  const fs::path stem =
      fs::temp_directory_path() / ("cv_lessons_docs_test.bash." + std::to_string(::getpid()));
  std::ofstream(stem.string() + ".sh") << "source .ci/common.sh\n" << script << "\n";
  const std::string command = "cd '" + repository.string() + "' && timeout 20 bash '" +
                              stem.string() + ".sh' >'" + stem.string() + ".out' 2>&1 </dev/null";
  BOOST_TEST_REQUIRE(std::system(command.c_str()) == 0);
  const std::string text = read(stem.string() + ".out");
  fs::remove(stem.string() + ".sh");
  fs::remove(stem.string() + ".out");
  return text;
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) {
    words.push_back(word);
  }
  return words;
}

}  // namespace

// ./demo's titles at 80 columns: folded between words, never inside one.
BOOST_AUTO_TEST_CASE(the_demos_titles_fit_80_columns_between_words,
                     *boost::unit_test::timeout(60)) {
  const arguments a = given();
  static const std::regex title(R"(cv_say "([^"$]*)\")");
  const std::string demo = read(a.repository / "demo");
  std::size_t checked = 0;
  for (std::sregex_iterator m(demo.begin(), demo.end(), title), end; m != end; ++m) {
    const std::string said = (*m)[1];
    const std::string shown = bash_output(a.repository, "cv_say \"" + said + "\"");
    BOOST_TEST_CONTEXT(said) {
      for (const std::string& line : lines_of(shown)) {
        BOOST_TEST(line.size() <= 80U, line);
      }
      std::vector<std::string> expected = words_of(said);
      expected.insert(expected.begin(), "==");
      BOOST_TEST(words_of(shown) == expected, boost::test_tools::per_element());
    }
    ++checked;
  }
  BOOST_TEST(checked >= 3U);
}

// At a terminal, ./demo waits for Enter between its parts (cv_pause); the
// test is the teacher, in tmux at 80x24, and waits for each screen it expects.
BOOST_AUTO_TEST_CASE(the_demo_waits_for_enter_at_a_terminal, *boost::unit_test::timeout(60)) {
  const arguments a = given();
  const std::string session = "cv_lessons_docs_test_" + std::to_string(::getpid());
  const std::string tmux = "tmux -L " + session + " ";
  const fs::path script = fs::temp_directory_path() / (session + ".sh");
  std::ofstream(script) << "cd '" << a.repository.string() << "' && source .ci/common.sh && "
                        << "cv_say first && cv_pause 'the second part' && "
                        << "echo SECOND-PART-RAN && sleep 30\n";
  BOOST_TEST_REQUIRE(
      std::system(
          (tmux + "new-session -d -x 80 -y 24 -s demo 'bash " + script.string() + "'").c_str()) ==
      0);
  // The screen, once it shows `wanted` (up to 10 s), or what it showed last.
  const auto screen_with = [&](const std::string& wanted) {
    std::string shown;
    for (int tries = 0; tries < 100 && shown.find(wanted) == std::string::npos; ++tries) {
      if (tries > 0) {
        std::system("sleep 0.1");
      }
      const fs::path out = fs::temp_directory_path() / (session + ".screen");
      std::system((tmux + "capture-pane -p -t demo >'" + out.string() + "' 2>/dev/null").c_str());
      shown = read(out);
      fs::remove(out);
    }
    return shown;
  };
  const std::string waiting = screen_with("Enter: the second part; q and Enter: stop");
  BOOST_TEST(waiting.find("Enter: the second part; q and Enter: stop") != std::string::npos,
             waiting);
  BOOST_TEST(waiting.find("SECOND-PART-RAN") == std::string::npos, waiting);
  std::system((tmux + "send-keys -t demo Enter").c_str());
  const std::string after = screen_with("SECOND-PART-RAN");
  BOOST_TEST(after.find("SECOND-PART-RAN") != std::string::npos, after);
  std::system((tmux + "kill-server >/dev/null 2>&1").c_str());
  fs::remove(script);
}
