// A student's own lesson file, anywhere (docs/students.md): one .cpp with the
// shape of a lesson, compiled by the suite's compiler into a shared object,
// checked, and loaded into the running program, where it is a lesson like
// the others. explore, compare and yours take such a file wherever they take
// a lesson's name.
//
// The build is cached by the file's content, the compiler's command and the
// program that loads it: a second check of the same file compiles nothing.
#pragma once

#include <string>
#include <string_view>

#include "model/definition.hpp"

namespace lessons {

// Whether `argument` names a student's file rather than a lesson: it ends in .cpp.
bool names_a_file(std::string_view argument);

// The lesson in the student's file `path`, compiled (or taken from the cache),
// checked and loaded; its name is the file's stem. The compiler's messages go
// to stderr as it prints them. Throws lesson::usage_error (exit code 2) with
// one line when the file cannot be read, does not compile, keeps shared state
// outside its `fields` (which explore could not see), or registers no lesson.
const lesson::definition& load_student_file(const std::string& path);

// Compiles the file (or finds it in the cache) and checks it as
// load_student_file does, but loads nothing: none of its code runs. grade
// compiles a submission so before it runs it with the cache read only.
void compile_student_file(const std::string& path);

// A lesson by its name or number, or the student's file an argument ending
// in .cpp names; null when no lesson has that name.
const lesson::definition* find_or_load(std::string_view argument);

// The SHA-1 of `content`, in hexadecimal: what the cache names a build by.
std::string content_digest(const std::string& content);

// The folder of the harness's headers precompiled for students' files (made
// in the cache's prelude/ folder the first time, about 10 s; GCC only), or
// $CV_LESSONS_PRELUDE when that is set (grade's sandboxes read one made
// before); empty when there is none. Each compile includes it first.
std::string student_prelude();

// Where compiled files are kept: $CV_LESSONS_CACHE, else
// $XDG_CACHE_HOME/cv-lessons, else ~/.cache/cv-lessons.
std::string cache_folder();

}  // namespace lessons
