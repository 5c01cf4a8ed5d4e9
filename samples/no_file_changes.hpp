// A check that grade runs changes no file. A buffer has no reason to: one that
// tries is reported, not just stopped by the sandbox's read-only folders. From
// forbid_file_changes() on, a call of this process or of a thread it starts
// that would change a file (open for writing, create, delete, rename, make or
// remove a folder, link, change permissions or owners, truncate) does not
// happen: the process prints which call and which path, as
//   yours: P1's step tried to change files (openat /etc/passwd)
// and ends with exit code 2. So does a replacement of the handler that says it.
// Linux on x86-64, through a seccomp filter.
#pragma once

namespace lessons {

// Installs the filter. False where it cannot be (another architecture, a
// kernel without seccomp): then nothing is installed.
bool forbid_file_changes();

}  // namespace lessons
