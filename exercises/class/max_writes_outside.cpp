// Hostile: before it does its work, it tries to change the machine: write a
// file in /etc, delete the suite's own headers, and leave a file in every
// folder it can see mounted. The sandbox must stop each attempt.
#include <filesystem>
#include <fstream>
#include <string>

#include "lesson.hpp"
#include "lessons.hpp"

namespace {

void try_to_change_the_machine() {
  std::error_code ignored;
  std::ofstream("/etc/cv-lessons-hostile") << "written by a submission\n";
  std::ifstream mounts("/proc/self/mounts");
  for (std::string device, folder, rest;
       mounts >> device >> folder && std::getline(mounts, rest);) {
    std::ofstream(folder + "/cv-lessons-hostile") << "written by a submission\n";
    if (folder.ends_with("/common")) {
      std::filesystem::remove(folder + "/lesson.hpp", ignored);
    }
  }
}

struct steps {
  struct fields {
    lesson::condition not_full{"not_full"};
    lesson::condition not_empty{"not_empty"};
  };

  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    try_to_change_the_machine();
    while (s.items.full()) {
      s.not_full.wait(lock);
    }
    s.items.put();
    s.not_empty.notify_one();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      s.not_empty.wait(lock);
    }
    s.items.take();
    s.not_full.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "max_writes_outside",
    .defaults = lesson::scenarios::one_slot(),
}));
