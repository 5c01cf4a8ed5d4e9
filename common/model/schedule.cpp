#include "model/schedule.hpp"

namespace lesson {

namespace {

constexpr const char* wake_prefix = "wake=";
constexpr const char* spurious_prefix = "spurious=";

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// The thread's name the token gives, without wake= or spurious=.
std::string name_in(const std::string& token) {
  for (const std::string prefix : {wake_prefix, spurious_prefix}) {
    if (starts_with(token, prefix)) {
      return token.substr(prefix.size());
    }
  }
  return token;
}

// One side's threads: "P1", "P1, P2", "P1 to P4".
std::string side_text(char side, unsigned count) {
  const std::string first = side + std::string("1");
  if (count == 1) {
    return first;
  }
  return first + (count == 2 ? ", " : " to ") + side + std::to_string(count);
}

// P or C and a short number: a thread's name, whether or not the run has it.
bool looks_like_a_thread(const std::string& name) {
  return name.size() >= 2 && name.size() <= 8 && (name[0] == 'P' || name[0] == 'C') &&
         name.find_first_not_of("0123456789", 1) == std::string::npos;
}

}  // namespace

std::optional<unsigned> worker_named(const std::string& name, unsigned producers,
                                     unsigned consumers) {
  if (name.size() < 2 || name.size() > 4 || (name[0] != 'P' && name[0] != 'C') || name[1] == '0' ||
      name.find_first_not_of("0123456789", 1) != std::string::npos) {
    return std::nullopt;
  }
  const unsigned number = static_cast<unsigned>(std::stoul(name.substr(1)));
  const bool producer = name[0] == 'P';
  if (number > (producer ? producers : consumers)) {
    return std::nullopt;
  }
  return producer ? number - 1 : producers + number - 1;
}

std::string name_of_worker(unsigned id, unsigned producers) {
  // Appended rather than `"P" + std::to_string(...)`, which g++ 12 at -O3
  // warns about wrongly (-Wrestrict).
  std::string name(1, id < producers ? 'P' : 'C');
  name += std::to_string(id < producers ? id + 1 : id - producers + 1);
  return name;
}

std::vector<std::string> split_schedule(const std::string& text) {
  std::vector<std::string> tokens;
  std::size_t from = 0;
  for (std::size_t comma = text.find(','); comma != std::string::npos;
       comma = text.find(',', from)) {
    tokens.push_back(text.substr(from, comma - from));
    from = comma + 1;
  }
  tokens.push_back(text.substr(from));
  return tokens;
}

std::optional<decision> parse_decision(const std::string& token, unsigned producers,
                                       unsigned consumers) {
  decision d;
  d.scripted = true;
  std::string name = token;
  if (starts_with(token, wake_prefix)) {
    d.what = decision::kind::wake;
    name = token.substr(std::string(wake_prefix).size());
  } else if (starts_with(token, spurious_prefix)) {
    d.what = decision::kind::spurious;
    name = token.substr(std::string(spurious_prefix).size());
  }
  const std::optional<unsigned> id = worker_named(name, producers, consumers);
  if (!id) {
    return std::nullopt;
  }
  d.worker = *id;
  return d;
}

std::string decision_problem(const std::string& token, unsigned producers, unsigned consumers) {
  const std::string threads = side_text('P', producers) + ", " + side_text('C', consumers);
  const std::string name = name_in(token);
  if (looks_like_a_thread(name)) {
    return "there is no " + name + " in this run (threads: " + threads + ")";
  }
  return "not a decision: write T, wake=T or spurious=T, T one of this run's threads (" + threads +
         "), separated by commas";
}

std::string to_string(const decision& d, unsigned producers) {
  // Appended: g++ 12 at -O3 warns wrongly (-Wrestrict) about "..." + std::string.
  std::string text;
  if (d.what == decision::kind::wake) {
    text = wake_prefix;
  } else if (d.what == decision::kind::spurious) {
    text = spurious_prefix;
  }
  return text.append(name_of_worker(d.worker, producers));
}

std::string schedule_text(const std::vector<decision>& decisions, unsigned producers) {
  std::string text;
  for (const decision& d : decisions) {
    if (!text.empty()) {
      text += ',';
    }
    text += to_string(d, producers);
  }
  return text;
}

}  // namespace lesson
