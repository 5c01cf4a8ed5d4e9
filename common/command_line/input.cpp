#include "command_line/input.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/format.hpp>
#include <cerrno>
#include <cstring>

namespace lesson {

namespace {

// In UTF-8 every byte but a continuation byte (10xxxxxx) starts a character.
bool starts_a_character(char byte) {
  return (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
}

std::size_t characters_in(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), starts_a_character));
}

// Control characters as \xNN, so that a message stays one line.
std::string escaped(const std::string& text) {
  std::string result;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      result += (boost::format("\\x%02X") % static_cast<unsigned>(byte)).str();
    } else {
      result += c;
    }
  }
  return result;
}

}  // namespace

// `text` escaped, and cut to quoted_chars_at_most characters, the last three
// "...", when longer; never inside a character.
std::string shortened(const std::string& text) {
  if (characters_in(text) <= quoted_chars_at_most) {
    return escaped(text);
  }
  const std::size_t kept = quoted_chars_at_most - 3;
  std::size_t characters = 0;
  std::size_t end = 0;
  for (; end < text.size(); ++end) {
    if (starts_a_character(text[end]) && characters++ == kept) {
      break;
    }
  }
  return escaped(text.substr(0, end)) + "...";
}

// What a path names that is not a regular file, for a message.
std::string not_a_regular_file(std::filesystem::file_type type) {
  using std::filesystem::file_type;
  switch (type) {
    case file_type::directory:
      return "a directory, not a regular file";
    case file_type::fifo:
      return "a FIFO, not a regular file";
    case file_type::character:
      return "a character device, not a regular file";
    case file_type::block:
      return "a block device, not a regular file";
    case file_type::socket:
      return "a socket, not a regular file";
    default:
      return "not a regular file";
  }
}

std::string quote(const std::string& input) {
  const std::size_t characters = characters_in(input);
  // Appended piece by piece: `"'" + ...` draws g++ 12's false -Wrestrict at -O3.
  std::string text = "'";
  text += shortened(input);
  text += '\'';
  if (characters > quoted_chars_at_most) {
    text += " (";
    text += std::to_string(characters);
    text += " characters)";
  }
  return text;
}

std::string why_not_writable(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path file(path);
  if (!file.has_filename()) {
    return std::strerror(EISDIR);
  }
  std::error_code error;
  const fs::file_type type = fs::status(file, error).type();
  if (type != fs::file_type::not_found) {
    if (error) {
      return error.message();
    }
    if (type != fs::file_type::regular) {
      return not_a_regular_file(type);
    }
    if (::access(path.c_str(), W_OK) != 0) {
      return std::strerror(errno);
    }
  }
  const fs::path folder = file.has_parent_path() ? file.parent_path() : fs::path(".");
  const fs::file_type folder_type = fs::status(folder, error).type();
  if (error) {
    return error.message();
  }
  if (folder_type != fs::file_type::directory) {
    return std::strerror(ENOTDIR);
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    return std::strerror(errno);
  }
  return "";
}

}  // namespace lesson
