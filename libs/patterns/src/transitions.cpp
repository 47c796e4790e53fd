// Transitions of the state machines `patterns` finds, read from where state is written.
//
// A write is a state value put into state: assigned (`_state.value = LoginState.Loading`,
// `state = .loaded(profile)`, `this.mode = Mode.PLAYING`), passed to a setter or an emitter
// (`emit(Screen.Done)`, `setValue(...)`, `send(...)`, `_state.update { LoginState.Idle }`), or a
// state holder's initial value (`MutableStateFlow(LoginState.Idle)`, `var state: S = .idle`).
//
// A transition A -> B is claimed only where the code says so:
//  - in sequence: B is written after A in the same block or in a block nested in A's (so a write
//    inside `try` and one inside its `catch` both follow the write before the `try`, but not each
//    other, and a write after an early `return` branch does not follow the branch's write);
//  - under a guard: B is written in a branch that tested the state for A (`case .a:`, `is A ->`,
//    `case A:`, `if (state is A)`, `if case .a = state`, `if state == .a`);
//  - initial: [*] -> A for a declaration's initial value.
// Writes with neither (the first write of a function, not under a guard) give no transition:
// their source state is not in the code. All of it works on masked source (comments and string
// contents blank), so text never produces a write.
#include "transitions.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <re2/re2.h>

#include "matches.hpp"

namespace obscore::patterns {

namespace {

struct Label {
  std::size_t block;   // the `{` whose body the label belongs to
  std::size_t offset;  // where the label is
  std::string type;
  std::vector<std::string> values;  // empty: `default:` / `else ->`, a branch that tests no state
};

std::size_t line_of(const std::vector<std::size_t>& line_starts, std::size_t offset) {
  return static_cast<std::size_t>(std::upper_bound(line_starts.begin(), line_starts.end(), offset) - line_starts.begin());
}

// The offset of the `{` that opens right after `from` (spaces only between), or npos.
std::size_t brace_after(std::string_view bare, std::size_t from) {
  while (from < bare.size() && (bare[from] == ' ' || bare[from] == '\t' || bare[from] == '\n' || bare[from] == '\r')) ++from;
  return from < bare.size() && bare[from] == '{' ? from : std::string_view::npos;
}

// True when the text of the line before `offset` declares the value written there.
bool declares(std::string_view bare, std::size_t offset) {
  std::size_t start = bare.rfind('\n', offset == 0 ? 0 : offset - 1);
  start = start == std::string_view::npos ? 0 : start + 1;
  std::string_view before = bare.substr(start, offset > start ? offset - start : 0);
  static const re2::RE2 kEyword(
      R"(^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:private|public|internal|protected|fileprivate|open|static|final|lateinit|override|weak|lazy)(?:\(set\))?\s+)*(?:val|var|let|const)\b)");
  static const re2::RE2 kJava(R"(^\s*(?:(?:private|public|protected|static|final|volatile|transient)\s+)*[A-Z][\w.]*(?:<[^=;]*>)?\s+\w+\s*$)");
  re2::StringPiece in(before.data(), before.size());
  return re2::RE2::PartialMatch(in, kEyword) || re2::RE2::PartialMatch(in, kJava);
}

}  // namespace

void collect_state_writes(const MaskedSource& src, Lang lang, FileFacts& facts) {
  if (lang == Lang::kOther) return;
  std::string_view bare = src.bare;
  std::vector<std::size_t> line_starts{0};
  for (std::size_t i = 0; i < bare.size(); ++i) {
    if (bare[i] == '\n') line_starts.push_back(i + 1);
  }

  // Variables that hold state, by declared type: `var state: LoadState`, `val _state =
  // MutableStateFlow<LoginState>(...)`, `private final MutableLiveData<Screen> screen`.
  static const re2::RE2 kTypedVar(R"(\b(?:var|val|let)\s+(\w+)\s*:\s*(?:[\w.]*<\s*)?(?:[\w]+\.)*([A-Z]\w*))");
  static const re2::RE2 kHolderVar(
      R"(\b(?:var|val|let)\s+(\w+)\s*(?::[^=\n]*)?=\s*(?:MutableStateFlow|MutableLiveData|mutableStateOf|MutableSharedFlow|BehaviorSubject\.createDefault|BehaviorRelay\.createDefault|CurrentValueSubject|ObservableField)\s*<\s*(?:[\w]+\.)*([A-Z]\w*))");
  static const re2::RE2 kJavaField(R"(\b(?:[A-Z]\w*\s*<\s*)?(?:[\w]+\.)*([A-Z]\w*)\s*>?\s+(\w+)\s*[;=])");
  for (const re2::RE2* re : {&kTypedVar, &kHolderVar}) {
    for (Matches<3> m(*re, bare); m.next();) {
      facts.var_types.emplace_back(std::string(m[1].data(), m[1].size()), std::string(m[2].data(), m[2].size()));
    }
  }
  if (lang == Lang::kJava) {
    for (Matches<3> m(kJavaField, bare); m.next();) {
      facts.var_types.emplace_back(std::string(m[2].data(), m[2].size()), std::string(m[1].data(), m[1].size()));
    }
  }

  // Writes. Group 1: the variable (when the write names one); 2: the type; 3: the value.
  struct Found {
    std::size_t offset;
    std::string var, type, value;
    bool initial;
  };
  std::vector<Found> found;
  static const re2::RE2 kQualified(
      R"((?:\b(\w+)(?:\.value)?\s*=\s*|\b(?:emit|tryEmit|setValue|postValue|send|trySend|onNext|accept|setState|transitionTo|moveTo|MutableStateFlow|MutableLiveData|mutableStateOf|MutableSharedFlow|BehaviorSubject\.createDefault|BehaviorRelay\.createDefault|CurrentValueSubject|ObservableField)\s*(?:<[^>\n]*>)?\s*\(\s*|\b(?:update|setState|reduce)\s*\{\s*|\breturn\s+)(?:\w+\.)*?([A-Z]\w*)\.([A-Za-z_]\w*)\b)");
  static const re2::RE2 kShorthand(R"((?:\b(\w+)\s*=\s*|\b(?:send|emit)\s*\(\s*)\.([a-z_]\w*)\b)");
  static const re2::RE2 kBareName(R"(\b(\w+)(?:\.value)?\s*=\s*([A-Z]\w*)\b)");
  auto scan = [&](const re2::RE2& re, int var_group, int type_group, int value_group) {
    for (Matches<4> m(re, bare); m.next();) {
      std::size_t b = m.begin();
      const auto& v = m[value_group];
      auto at = static_cast<std::size_t>(v.data() - bare.data());
      std::size_t after = at + v.size();
      // `X.Y ==`, `X.Y.z`, `X.Y::class`: a comparison or a member of a state, not a write.
      std::size_t next = after;
      while (next < bare.size() && bare[next] == ' ') ++next;
      if (next + 1 < bare.size() && ((bare[next] == '=' && bare[next + 1] == '=') || bare[next] == '.')) continue;
      std::size_t eq = bare.rfind('=', at);
      bool initial = eq != std::string_view::npos && eq >= b && declares(bare, eq);
      if (!initial && bare.substr(b, m[0].size()).find_first_of('(') != std::string_view::npos) {
        // holder constructors are initial values
        std::string_view head = bare.substr(b, m[0].size());
        initial = head.find("Mutable") != std::string_view::npos || head.find("mutableStateOf") != std::string_view::npos ||
                  head.find("createDefault") != std::string_view::npos || head.find("CurrentValueSubject") != std::string_view::npos ||
                  head.find("ObservableField") != std::string_view::npos;
      }
      Found f;
      f.offset = at;
      f.var = var_group > 0 && m[var_group].data() != nullptr ? std::string(m[var_group].data(), m[var_group].size()) : "";
      f.type = type_group > 0 && m[type_group].data() != nullptr ? std::string(m[type_group].data(), m[type_group].size()) : "";
      f.value = std::string(v.data(), v.size());
      f.initial = initial;
      found.push_back(std::move(f));
    }
  };
  static const re2::RE2 kSwiftDecl(R"(\b(?:var|let)\s+(\w+)\s*:\s*(?:\w+\.)*([A-Z]\w*)\??\s*=\s*\.([a-z_]\w*)\b)");
  if (lang == Lang::kSwift) scan(kSwiftDecl, 1, 2, 3);  // first: it names the type
  scan(kQualified, 1, 2, 3);
  if (lang == Lang::kSwift) scan(kShorthand, 1, 0, 2);
  if (lang == Lang::kKotlin || lang == Lang::kJava) scan(kBareName, 1, 0, 2);
  std::stable_sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.offset < b.offset; });
  found.erase(std::unique(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.offset == b.offset; }),
              found.end());
  if (found.empty()) return;

  // Branch labels that test a state.
  std::vector<std::pair<std::size_t, Label>> pending;  // {offset, label}; block resolved in the sweep (npos: enclosing)
  // A label's states: the captured one, then any more in its comma list (`case .a, .b:`,
  // `is A, is B ->`, `case A, B ->`) up to the end of the label.
  static const re2::RE2 kMoreValues(R"(,\s*(?:is\s+)?(?:\w+\.)*\.?(\w+))");
  auto labels = [&](const re2::RE2& re, int type_group, int value_group, bool opens_block) {
    for (Matches<3> m(re, bare); m.next();) {
      std::size_t b = m.begin();
      Label l;
      l.offset = b;
      l.type = type_group > 0 && m[type_group].data() != nullptr ? std::string(m[type_group].data(), m[type_group].size()) : "";
      if (value_group > 0 && m[value_group].data() != nullptr) l.values.emplace_back(m[value_group].data(), m[value_group].size());
      if (!opens_block && !l.values.empty()) {
        std::size_t end = static_cast<std::size_t>(m[value_group].data() - bare.data()) + m[value_group].size();
        std::size_t stop = bare.find_first_of(":\n{", end);
        std::size_t arrow = bare.find("->", end);
        stop = std::min(stop == std::string_view::npos ? bare.size() : stop, arrow == std::string_view::npos ? bare.size() : arrow);
        re2::StringPiece rest(bare.data() + end, stop - end), mv[2];
        std::size_t p = 0;
        while (p < rest.size() && kMoreValues.Match(rest, p, rest.size(), re2::RE2::UNANCHORED, mv, 2)) {
          p = static_cast<std::size_t>(mv[0].data() - rest.data()) + std::max<std::size_t>(mv[0].size(), 1);
          l.values.emplace_back(mv[1].data(), mv[1].size());
        }
      }
      l.block = opens_block ? brace_after(bare, b + m[0].size()) : std::string_view::npos;
      if (opens_block && l.block == std::string_view::npos) continue;
      pending.emplace_back(b, std::move(l));
    }
  };
  static const re2::RE2 kSwiftCase(R"(\bcase\s+(?:let\s+|var\s+)?(?:(?:\w+\.)*([A-Z]\w*))?\.(\w+))");
  static const re2::RE2 kJavaCase(R"(\bcase\s+(?:(?:\w+\.)*([A-Z]\w*)\.)?([A-Z][A-Za-z0-9_]*)\s*(?::|->|,))");
  static const re2::RE2 kOtlinBranch(R"((?m)^[ \t]*(?:is\s+)?(?:(?:\w+\.)*([A-Z]\w*)\.)?([A-Z]\w*)(?:\s*\([^)\n]*\))?\s*(?:,[^\n]*?)?->)");
  static const re2::RE2 kIfIs(R"(\bif\s*\(\s*[\w.]+\s+is\s+(?:(?:\w+\.)*([A-Z]\w*)\.)?([A-Z]\w*)\s*\))");
  static const re2::RE2 kIfEquals(R"(\bif\s*\(?\s*[\w.]+\s*===?\s*(?:(?:\w+\.)*([A-Z]\w*))?\.(\w+)\s*\)?)");
  static const re2::RE2 kIfCase(R"(\b(?:if|guard)\s+case\s+(?:let\s+|var\s+)?(?:(?:\w+\.)*([A-Z]\w*))?\.(\w+))");
  if (lang == Lang::kSwift) {
    labels(kSwiftCase, 1, 2, false);
    labels(kIfCase, 1, 2, true);
  }
  if (lang == Lang::kJava || lang == Lang::kScript) labels(kJavaCase, 1, 2, false);
  if (lang == Lang::kKotlin) {
    labels(kOtlinBranch, 1, 2, false);
    labels(kIfIs, 1, 2, true);
  }
  labels(kIfEquals, 1, 2, true);
  static const re2::RE2 kDefaultLabel(R"((?m)(?:\bdefault\s*(?::|->)|^[ \t]*else\s*->))");
  labels(kDefaultLabel, 0, 0, false);
  std::sort(pending.begin(), pending.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

  // One sweep over the braces: each write gets its enclosing blocks; each label its block.
  std::vector<std::size_t> stack;
  std::map<std::size_t, std::vector<Label>> block_labels;  // block -> labels in order
  std::size_t w = 0, l = 0;
  auto settle = [&](std::size_t upto) {
    for (; l < pending.size() && pending[l].first < upto; ++l) {
      Label lab = pending[l].second;
      if (lab.block == std::string_view::npos) lab.block = stack.empty() ? std::string_view::npos : stack.back();
      block_labels[lab.block].push_back(std::move(lab));
    }
    for (; w < found.size() && found[w].offset < upto; ++w) {
      const Found& f = found[w];
      StateWrite s;
      s.type = f.type;
      s.var = f.var;
      s.value = f.value;
      s.offset = f.offset;
      s.line = static_cast<int>(line_of(line_starts, f.offset));
      s.initial = f.initial;
      s.blocks = stack;
      // The nearest label before the write in its innermost labelled block.
      for (auto it = stack.rbegin(); it != stack.rend() && s.guard_offset == 0; ++it) {
        auto bl = block_labels.find(*it);
        if (bl == block_labels.end()) continue;
        for (auto lab = bl->second.rbegin(); lab != bl->second.rend(); ++lab) {
          if (lab->offset < f.offset) {
            s.guard_type = lab->type;
            s.guard_values = lab->values;
            s.guard_offset = lab->offset + 1;  // 0 is "no label"
            break;
          }
        }
      }
      facts.state_writes.push_back(std::move(s));
    }
  };
  for (std::size_t i = 0; i < bare.size(); ++i) {
    char c = bare[i];
    if (c != '{' && c != '}') continue;
    settle(i);
    if (c == '{') {
      stack.push_back(i);
    } else if (!stack.empty()) {
      stack.pop_back();
    }
  }
  settle(bare.size() + 1);
}

core::Json machine_transitions(const std::string& machine, const std::vector<std::string>& states,
                               const std::vector<WriteIn>& writes,
                               const std::vector<std::pair<std::pair<std::string, std::string>, std::string>>& var_types,
                               const std::vector<std::string>& other_machine_states) {
  std::set<std::string> own(states.begin(), states.end());
  std::set<std::string> others(other_machine_states.begin(), other_machine_states.end());
  std::map<std::pair<std::string, std::string>, std::string> types(var_types.begin(), var_types.end());
  auto belongs = [&](const std::string& file, const std::string& type, const std::string& var, const std::string& value) {
    if (!own.contains(value)) return false;
    if (!type.empty()) return type == machine;
    if (!var.empty()) {
      auto it = types.find({file, var});
      if (it != types.end()) return it->second == machine;
    }
    return !others.contains(value);  // a bare state name that only this machine has
  };
  core::Json out = core::Json::array();
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](const std::string& from, const std::string& to, const std::string& file, int line) {
    if (!seen.emplace(from, to).second) return;
    out.push_back({{"from", from.empty() ? core::Json(nullptr) : core::Json(from)}, {"to", to}, {"file", file}, {"line", line}});
  };
  std::vector<const WriteIn*> mine;
  for (const auto& w : writes) {
    if (belongs(*w.file, w.write->type, w.write->var, w.write->value)) mine.push_back(&w);
  }
  for (std::size_t i = 0; i < mine.size(); ++i) {
    const StateWrite& c = *mine[i]->write;
    const std::string& file = *mine[i]->file;
    if (c.initial) {
      add("", c.value, file, c.line);
      continue;
    }
    // Under a branch label the source is what the label tested (nothing for `default`), unless
    // the branch wrote the state before.
    std::vector<std::string> from;
    if (c.guard_type.empty() || c.guard_type == machine) {
      for (const auto& g : c.guard_values) {
        if (own.contains(g)) from.push_back(g);
      }
    }
    for (std::size_t j = i; j-- > 0;) {
      const StateWrite& p = *mine[j]->write;
      if (*mine[j]->file != file) break;
      if (p.initial || p.offset < c.guard_offset) continue;
      if (p.blocks.size() > c.blocks.size() || !std::equal(p.blocks.begin(), p.blocks.end(), c.blocks.begin())) continue;
      if (p.blocks.empty()) continue;  // top level: not inside a function
      from = {p.value};
      break;
    }
    for (const auto& f : from) add(f, c.value, file, c.line);
  }
  return out;
}

}  // namespace obscore::patterns
