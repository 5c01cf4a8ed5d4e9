// A class's grades as a teacher reads them: a table that fits the terminal
// with a summary line, a csv of stable columns, and a page to sort and click
// through to each failure's step-through page.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "grade/grading.hpp"

namespace lessons {

// The table: a row a submission, columns student, verdict, where, schedule
// and seconds, fitted to `width` (a long schedule is cut with "..."); then
// the summary line.
void print_table(const std::vector<graded>& rows, std::size_t width, std::ostream& out);
// "30 submissions: 6 correct, 9 violation, 8 deadlock, 2 does not compile, ..."
std::string summary_line(const std::vector<graded>& rows);
// student,verdict,kind,configuration,schedule,seconds,detail,replay,page
void write_csv(const std::vector<graded>& rows, std::ostream& out);
// The class page, index.html of --html DIR: counts per verdict, and the
// table, sortable by any column, linking each failure's page.
void write_class_page(const std::vector<graded>& rows, const std::string& title, std::ostream& out);

}  // namespace lessons
