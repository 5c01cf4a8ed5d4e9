// Text set into the markup the suite writes: the SVG timeline and the HTML page.
#pragma once

#include <string>

namespace lesson {

// `text` with &, <, > and " as entities, safe inside an element or a
// double-quoted attribute.
std::string escaped_for_markup(const std::string& text);

}  // namespace lesson
