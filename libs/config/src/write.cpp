// Writers from the tree: compact JSON (dump()'s format, with exact numbers), block YAML, and
// the streaming pretty-printer for compact JSON text.
#include <fmt/format.h>

#include "obscore/config/document.hpp"
#include "obscore/core/output.hpp"
#include "scalar.hpp"

namespace obscore::config {

namespace {

void write_number(const Json& v, std::string& out, const RawLookup& raw, const std::string& pointer) {
  if (v.is_number_integer() && !v.is_number_unsigned()) {
    out += std::to_string(v.get<std::int64_t>());
  } else if (v.is_number_unsigned()) {
    out += std::to_string(v.get<std::uint64_t>());
  } else {
    if (raw) {
      if (const std::string* text = raw(pointer)) {
        out += *text;
        return;
      }
    }
    detail::append_double(out, v.get<double>());
  }
}

void json_value(const Json& v, std::string& out, const RawLookup& raw, std::string& pointer) {
  switch (v.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, child] : v.items()) {
        if (!first) out += ',';
        first = false;
        core::append_json_string(out, k);
        out += ':';
        std::size_t len = pointer.size();
        if (raw) pointer = pointer_append(pointer, k);
        json_value(child, out, raw, pointer);
        pointer.resize(len);
      }
      out += '}';
      break;
    }
    case Json::value_t::array: {
      out += '[';
      std::size_t i = 0;
      for (const auto& child : v) {
        if (i > 0) out += ',';
        std::size_t len = pointer.size();
        if (raw) pointer = pointer_append(pointer, i);
        json_value(child, out, raw, pointer);
        pointer.resize(len);
        ++i;
      }
      out += ']';
      break;
    }
    case Json::value_t::string: core::append_json_string(out, v.get_ref<const std::string&>()); break;
    case Json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: write_number(v, out, raw, pointer); break;
    default: out += "null"; break;
  }
}

// ---- YAML ---------------------------------------------------------------------------------

bool is_printable_ascii_line(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  return true;
}

// Code points that YAML 1.1 treats as line breaks or that readers strip (NEL, LS, PS, BOM),
// and the C1 controls: written as escapes.
bool has_special_unicode(std::string_view s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    auto a = static_cast<unsigned char>(s[i]);
    auto b = static_cast<unsigned char>(s[i + 1]);
    if (a == 0xC2 && b >= 0x80 && b <= 0x9F) return true;
    if (a == 0xE2 && b == 0x80 && i + 2 < s.size() &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      return true;
    }
    if (a == 0xEF && b == 0xBB && i + 2 < s.size() && static_cast<unsigned char>(s[i + 2]) == 0xBF) return true;
  }
  return false;
}

bool plain_ok(std::string_view s) {
  if (s.empty() || s.size() > 1000) return false;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@` \t").find(s[0]) != std::string_view::npos) return false;
  if (s.back() == ' ' || s.back() == ':' || s.starts_with("...") || s == "<<") return false;
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos) return false;
  if (!is_printable_ascii_line(s) || has_special_unicode(s)) return false;
  // Anything that would read back as another type (in 1.2 or 1.1) keeps its quotes.
  if (detail::resolve_plain(s, false).kind != detail::ScalarKind::kString) return false;
  if (detail::resolve_plain(s, true).kind != detail::ScalarKind::kString) return false;
  return true;
}

void double_quoted(std::string_view raw, std::string& out) {
  std::string s = core::sanitize_utf8(raw);
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto u = static_cast<unsigned char>(s[i]);
    switch (s[i]) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\t': out += "\\t"; continue;
      case '\r': out += "\\r"; continue;
      default: break;
    }
    if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else if (u == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F &&
               static_cast<unsigned char>(s[i + 1]) >= 0x80) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(s[i + 1]) - 0x80 + 0x80);
      ++i;
    } else if ((u == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9))) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else if (u == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBB &&
               static_cast<unsigned char>(s[i + 2]) == 0xBF) {
      out += "\\ufeff";
      i += 2;
    } else {
      out += s[i];
    }
  }
  out += '"';
}

// A literal block keeps multi-line text readable; only where it reads back exactly.
bool literal_ok(std::string_view s) {
  if (s.find('\n') == std::string_view::npos || s.size() > (64u << 20)) return false;
  bool any_content = false;
  std::size_t start = 0;
  bool first_content = true;
  while (start < s.size()) {
    std::size_t nl = s.find('\n', start);
    std::string_view line = s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    for (char c : line) {
      auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
    }
    if (!line.empty()) {
      if (line.find_first_not_of(' ') == std::string_view::npos) return false;  // blank but not empty
      if (first_content && (line[0] == ' ' || line[0] == '\t')) return false;   // would need an indicator
      first_content = false;
      any_content = true;
    } else if (first_content) {
      return false;  // leading empty lines
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return any_content && !has_special_unicode(s);
}

void literal_block(std::string_view s, int indent, std::string& out) {
  std::size_t trailing = 0;
  while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
  out += trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+";
  out += '\n';
  std::string body(core::sanitize_utf8(s.substr(0, s.size() - (trailing > 0 ? 1 : 0))));
  std::size_t start = 0;
  while (true) {
    std::size_t nl = body.find('\n', start);
    std::string_view line = std::string_view(body).substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (!line.empty()) out.append(static_cast<std::size_t>(indent), ' ');
    out += line;
    out += '\n';
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
}

void yaml_string(std::string_view s, std::string& out) {
  if (plain_ok(s)) {
    out += s;
  } else {
    double_quoted(s, out);
  }
}

void yaml_scalar(const Json& v, std::string& out, const RawLookup& raw, const std::string& pointer) {
  switch (v.type()) {
    case Json::value_t::string: yaml_string(v.get_ref<const std::string&>(), out); break;
    case Json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
    case Json::value_t::number_float: {
      std::string text;
      write_number(v, text, raw, pointer);
      // "1e+100" is a float in 1.2 only; "1.0e+100" in both.
      std::size_t e = text.find_first_of("eE");
      if (e != std::string::npos && text.find('.') == std::string::npos) text.insert(e, ".0");
      out += text;
      break;
    }
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: write_number(v, out, raw, pointer); break;
    case Json::value_t::object: out += "{}"; break;
    case Json::value_t::array: out += "[]"; break;
    default: out += "null"; break;
  }
}

bool is_block(const Json& v) { return (v.is_object() || v.is_array()) && !v.empty(); }

void yaml_block(const Json& v, int indent, bool inline_first, std::string& out, const RawLookup& raw,
                std::string& pointer);

// A value after "key:" or "-": a nested block on the next lines, or a scalar on this one.
void yaml_child(const Json& v, int indent, bool after_dash, std::string& out, const RawLookup& raw,
                std::string& pointer) {
  if (is_block(v)) {
    if (after_dash) {
      out += ' ';
      yaml_block(v, indent + 2, true, out, raw, pointer);
    } else {
      out += '\n';
      yaml_block(v, indent + 2, false, out, raw, pointer);
    }
    return;
  }
  out += ' ';
  if (v.is_string() && literal_ok(v.get_ref<const std::string&>())) {
    literal_block(v.get_ref<const std::string&>(), indent + 2, out);
    return;
  }
  yaml_scalar(v, out, raw, pointer);
  out += '\n';
}

void yaml_block(const Json& v, int indent, bool inline_first, std::string& out, const RawLookup& raw,
                std::string& pointer) {
  bool first = true;
  auto pad = [&] {
    if (!(first && inline_first)) out.append(static_cast<std::size_t>(indent), ' ');
    first = false;
  };
  if (v.is_object()) {
    for (const auto& [k, child] : v.items()) {
      pad();
      std::size_t len = pointer.size();
      if (raw) pointer = pointer_append(pointer, k);
      std::string key;
      yaml_string(k, key);
      if (key.size() > 1000) {  // implicit keys are limited to 1024 characters
        out += "? " + key + "\n";
        out.append(static_cast<std::size_t>(indent), ' ');
      } else {
        out += key;
      }
      out += ':';
      yaml_child(child, indent, false, out, raw, pointer);
      pointer.resize(len);
    }
  } else {
    std::size_t i = 0;
    for (const auto& child : v) {
      pad();
      std::size_t len = pointer.size();
      if (raw) pointer = pointer_append(pointer, i);
      out += '-';
      yaml_child(child, indent, true, out, raw, pointer);
      pointer.resize(len);
      ++i;
    }
  }
}

}  // namespace

void write_json(const Json& value, std::string& out, const RawLookup& raw, std::string_view pointer) {
  std::string p(raw ? pointer : std::string_view());
  json_value(value, out, raw, p);
}

void write_yaml(const Json& value, std::string& out, const RawLookup& raw, std::string_view pointer) {
  std::string p(raw ? pointer : std::string_view());
  if (is_block(value)) {
    yaml_block(value, 0, false, out, raw, p);
  } else if (value.is_string() && literal_ok(value.get_ref<const std::string&>())) {
    literal_block(value.get_ref<const std::string&>(), 2, out);
  } else {
    yaml_scalar(value, out, raw, p);
    out += '\n';
  }
}

void JsonIndenter::feed(std::string_view in, std::string& out) {
  auto newline = [&](int depth) {
    out += '\n';
    out.append(static_cast<std::size_t>(depth) * static_cast<std::size_t>(indent_), ' ');
  };
  for (char c : in) {
    if (in_string_) {
      out += c;
      if (escape_) {
        escape_ = false;
      } else if (c == '\\') {
        escape_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      continue;
    }
    if (just_opened_) {
      just_opened_ = false;
      if (c == '}' || c == ']') {
        --depth_;
        out += c;
        continue;
      }
      newline(depth_);
    }
    switch (c) {
      case '{':
      case '[':
        out += c;
        ++depth_;
        just_opened_ = true;
        break;
      case '}':
      case ']':
        --depth_;
        newline(depth_);
        out += c;
        break;
      case ',':
        out += ',';
        newline(depth_);
        break;
      case ':': out += ": "; break;
      case '"':
        in_string_ = true;
        out += c;
        break;
      default: out += c; break;
    }
  }
}

}  // namespace obscore::config
