// Scalar resolution: YAML 1.2 core schema and 1.1 rules, explicit tags, and numbers as
// canonical JSON text (see scalar.hpp).
#include "scalar.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <nlohmann/json.hpp>

namespace obscore::config::detail {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_of(std::string_view s, std::string_view chars) {
  return !s.empty() && s.find_first_not_of(chars) == std::string_view::npos;
}

std::string strip_underscores(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '_') out += c;
  }
  return out;
}

int digit_value(char c) {
  if (is_digit(c)) return c - '0';
  return (c | 0x20) - 'a' + 10;
}

// Digits in `base` -> decimal digits, exactly, however long (schoolbook base 1e9 limbs).
std::string to_decimal(std::string_view digits, int base) {
  std::vector<std::uint32_t> limbs;  // little-endian, base 1e9
  for (char c : digits) {
    auto carry = static_cast<std::uint64_t>(digit_value(c));
    for (auto& limb : limbs) {
      std::uint64_t v = static_cast<std::uint64_t>(limb) * static_cast<unsigned>(base) + carry;
      limb = static_cast<std::uint32_t>(v % 1'000'000'000u);
      carry = v / 1'000'000'000u;
    }
    while (carry != 0) {
      limbs.push_back(static_cast<std::uint32_t>(carry % 1'000'000'000u));
      carry /= 1'000'000'000u;
    }
  }
  if (limbs.empty()) return "0";
  std::string out = std::to_string(limbs.back());
  for (std::size_t i = limbs.size() - 1; i-- > 0;) {
    std::string part = std::to_string(limbs[i]);
    out.append(9 - part.size(), '0');
    out += part;
  }
  return out;
}

// An integer from sign + digits (no underscores) in `base`: canonical decimal text; exact when it
// fits neither int64 nor uint64.
Scalar make_int(bool negative, std::string_view digits, int base) {
  Scalar r;
  r.kind = ScalarKind::kInt;
  std::string decimal;
  if (base == 10) {
    std::size_t first = digits.find_first_not_of('0');
    decimal = first == std::string_view::npos ? "0" : std::string(digits.substr(first));
  } else {
    decimal = to_decimal(digits, base);
  }
  if (decimal == "0") negative = false;
  r.number = negative ? "-" + decimal : decimal;
  // int64 range: up to 9223372036854775807 (or ...808 negative); uint64 up to 18446744073709551615.
  auto beyond = [&](std::string_view limit) {
    return decimal.size() > limit.size() || (decimal.size() == limit.size() && decimal > limit);
  };
  r.exact = negative ? beyond("9223372036854775808") : beyond("18446744073709551615");
  return r;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? (underscores already removed). Returns a
// canonical JSON number: through double when at most 15 significant digits (exactly
// representable as shortest round trip), else normalised decimal text.
std::optional<Scalar> make_float(std::string_view s) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  std::size_t int_begin = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  std::string_view int_part = s.substr(int_begin, i - int_begin);
  std::string_view frac_part;
  bool dot = false;
  if (i < s.size() && s[i] == '.') {
    dot = true;
    std::size_t f = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    frac_part = s.substr(f, i - f);
  }
  if (int_part.empty() && frac_part.empty()) return std::nullopt;
  std::string_view exp_part;
  bool has_exp = false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    has_exp = true;
    std::size_t e = ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t d = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == d) return std::nullopt;
    exp_part = s.substr(e, i - e);
  }
  if (i != s.size() || (!dot && !has_exp)) return std::nullopt;

  // Significant digits and the decimal exponent's rough size decide the route.
  std::string all = std::string(int_part) + std::string(frac_part);
  std::size_t lead = all.find_first_not_of('0');
  std::size_t significant = 0;
  if (lead != std::string::npos) {
    std::size_t last = all.find_last_not_of('0');
    significant = last - lead + 1;
  }
  long exponent = 0;
  if (has_exp) {
    std::string_view e = exp_part;
    bool eneg = !e.empty() && e[0] == '-';
    if (!e.empty() && (e[0] == '-' || e[0] == '+')) e.remove_prefix(1);
    if (e.size() > 6) {
      exponent = eneg ? -1'000'000 : 1'000'000;
    } else {
      exponent = std::strtol(std::string(e).c_str(), nullptr, 10) * (eneg ? -1 : 1);
    }
  }
  long magnitude = lead == std::string::npos ? 0 : static_cast<long>(int_part.size()) - static_cast<long>(lead) + exponent;
  Scalar r;
  r.kind = ScalarKind::kFloat;
  if (significant <= 15 && magnitude > -290 && magnitude < 300) {
    std::string text;
    text.reserve(s.size() + 2);
    text += int_part.empty() ? "0" : std::string(int_part);
    text += '.';
    text += frac_part.empty() ? "0" : std::string(frac_part);
    if (has_exp) {
      text += 'e';
      text += exp_part;
    }
    double v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    if (negative) v = -v;
    append_double(r.number, v);
    return r;
  }
  if (lead == std::string::npos) {  // zero with a huge exponent
    r.number = negative ? "-0.0" : "0.0";
    return r;
  }
  // Exact: [-]digits[.digits][e[-]exp], leading zeros of the integer part dropped.
  std::size_t int_lead = int_part.find_first_not_of('0');
  std::string text = negative ? "-" : "";
  text += int_lead == std::string_view::npos ? "0" : std::string(int_part.substr(int_lead));
  text += '.';
  text += frac_part.empty() ? "0" : std::string(frac_part);
  if (has_exp) {
    text += 'e';
    text += exp_part[0] == '+' ? exp_part.substr(1) : exp_part;
  }
  r.number = std::move(text);
  r.exact = true;
  return r;
}

std::optional<Scalar> special_float(std::string_view s) {
  std::string_view body = s;
  bool negative = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  Scalar r;
  r.kind = ScalarKind::kSpecialFloat;
  if (body == ".inf" || body == ".Inf" || body == ".INF") {
    r.number = negative ? "-.inf" : ".inf";
    return r;
  }
  if (s == ".nan" || s == ".NaN" || s == ".NAN") {
    r.number = ".nan";
    return r;
  }
  return std::nullopt;
}

Scalar string_scalar() { return Scalar{}; }

Scalar resolve_12(std::string_view s) {
  switch (s.empty() ? '\0' : s[0]) {
    case '\0':
    case '~':
      if (s.size() <= 1) return {ScalarKind::kNull, {}, false};
      return string_scalar();
    case 'n':
    case 'N':
      if (s == "null" || s == "Null" || s == "NULL") return {ScalarKind::kNull, {}, false};
      return string_scalar();
    case 't':
    case 'T':
      if (s == "true" || s == "True" || s == "TRUE") return {ScalarKind::kTrue, {}, false};
      return string_scalar();
    case 'f':
    case 'F':
      if (s == "false" || s == "False" || s == "FALSE") return {ScalarKind::kFalse, {}, false};
      return string_scalar();
    default: break;
  }
  char c = s[0];
  if (!(is_digit(c) || c == '-' || c == '+' || c == '.')) return string_scalar();
  if (s.size() > 2 && s[0] == '0' && s[1] == 'o' && all_of(s.substr(2), "01234567")) {
    return make_int(false, s.substr(2), 8);
  }
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x' && all_of(s.substr(2), "0123456789abcdefABCDEF")) {
    return make_int(false, s.substr(2), 16);
  }
  std::string_view digits = (c == '-' || c == '+') ? s.substr(1) : s;
  if (all_of(digits, "0123456789")) return make_int(c == '-', digits, 10);
  if (auto v = special_float(s)) return *v;
  if (auto v = make_float(s)) return *v;
  return string_scalar();
}

Scalar resolve_11(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return {ScalarKind::kNull, {}, false};
  if (is_yaml11_boolean(s) || s == "true" || s == "True" || s == "TRUE" || s == "false" ||
      s == "False" || s == "FALSE") {
    static constexpr std::string_view kTrue[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
    bool t = std::find(std::begin(kTrue), std::end(kTrue), s) != std::end(kTrue);
    return {t ? ScalarKind::kTrue : ScalarKind::kFalse, {}, false};
  }
  char c = s[0];
  if (!(is_digit(c) || c == '-' || c == '+' || c == '.')) return string_scalar();
  bool negative = c == '-';
  std::string_view body = (c == '-' || c == '+') ? s.substr(1) : s;
  if (body.starts_with("0b") && all_of(body.substr(2), "01_")) {
    std::string d = strip_underscores(body.substr(2));
    if (!d.empty()) return make_int(negative, d, 2);
  }
  if (body.starts_with("0x") && all_of(body.substr(2), "0123456789abcdefABCDEF_")) {
    std::string d = strip_underscores(body.substr(2));
    if (!d.empty()) return make_int(negative, d, 16);
  }
  if (body.size() > 1 && body[0] == '0' && all_of(body.substr(1), "01234567_")) {
    std::string d = strip_underscores(body.substr(1));
    if (!d.empty()) return make_int(negative, d, 8);
  }
  if (is_digit(body.empty() ? 'x' : body[0]) && all_of(body, "0123456789_")) {
    return make_int(negative, strip_underscores(body), 10);
  }
  if (is_sexagesimal(s)) {
    // Base 60: integer parts, the last may carry a fraction.
    double value = 0;
    std::int64_t ivalue = 0;
    bool fractional = false, overflow = false;
    std::size_t start = 0;
    while (true) {
      std::size_t colon = body.find(':', start);
      std::string part = strip_underscores(body.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
      if (colon == std::string_view::npos && part.find('.') != std::string::npos) {
        fractional = true;
        value = value * 60 + std::strtod(part.c_str(), nullptr);
      } else {
        long long p = std::strtoll(part.c_str(), nullptr, 10);
        value = value * 60 + static_cast<double>(p);
        overflow |= __builtin_mul_overflow(ivalue, 60, &ivalue) || __builtin_add_overflow(ivalue, p, &ivalue);
      }
      if (colon == std::string_view::npos) break;
      start = colon + 1;
    }
    Scalar r;
    if (fractional || overflow) {
      r.kind = ScalarKind::kFloat;
      append_double(r.number, negative ? -value : value);
    } else {
      r.kind = ScalarKind::kInt;
      r.number = std::to_string(negative ? -ivalue : ivalue);
    }
    return r;
  }
  if (auto v = special_float(s)) return *v;
  if (s.find('_') != std::string_view::npos) {
    if (auto v = make_float(strip_underscores(s))) return *v;
  } else if (auto v = make_float(s)) {
    return *v;
  }
  return string_scalar();
}

bool contains_ci(std::string_view s, std::string_view what) {
  auto it = std::search(s.begin(), s.end(), what.begin(), what.end(),
                        [](char a, char b) { return (a | 0x20) == (b | 0x20); });
  return it != s.end();
}

}  // namespace

void append_double(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[64];
  char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

bool is_yaml11_boolean(std::string_view s) {
  static constexpr std::string_view kWords[] = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
                                                "on", "On", "ON", "off", "Off", "OFF"};
  return std::find(std::begin(kWords), std::end(kWords), s) != std::end(kWords);
}

bool is_octal_ambiguous(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return s.size() > 1 && s[0] == '0' && all_of(s.substr(1), "0123456789_") &&
         s.find_first_not_of("0_") != std::string_view::npos;
}

bool is_sexagesimal(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty() || s[0] < '1' || s[0] > '9' || s.find(':') == std::string_view::npos) return false;
  // [1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?
  std::size_t colon = s.find(':');
  if (!all_of(s.substr(0, colon), "0123456789_")) return false;
  std::string_view rest = s.substr(colon);
  while (!rest.empty() && rest[0] == ':') {
    rest.remove_prefix(1);
    std::size_t n = 0;
    while (n < rest.size() && n < 2 && is_digit(rest[n])) ++n;
    if (n == 0 || (n == 2 && rest[0] > '5')) return false;
    rest.remove_prefix(n);
  }
  if (rest.empty()) return true;
  return rest[0] == '.' && (rest.size() == 1 || all_of(rest.substr(1), "0123456789_"));
}

Scalar resolve_plain(std::string_view s, bool yaml_1_1) {
  return yaml_1_1 ? resolve_11(s) : resolve_12(s);
}

std::optional<Scalar> resolve(std::string_view text, bool plain, std::string_view tag, bool yaml_1_1,
                              std::string& error) {
  if (tag.empty() || tag == "!") {
    if (!plain || !tag.empty()) return string_scalar();
    return resolve_plain(text, yaml_1_1);
  }
  constexpr std::string_view kCore = "tag:yaml.org,2002:";
  if (!tag.starts_with(kCore)) return string_scalar();  // application tags: the text
  std::string_view kind = tag.substr(kCore.size());
  if (kind == "str" || kind == "binary" || kind == "timestamp") return string_scalar();
  Scalar v = resolve_plain(text, yaml_1_1);
  auto bad = [&](const char* what) -> std::optional<Scalar> {
    error = "!!" + std::string(kind) + " value '" + std::string(text.substr(0, 80)) + "' is not " + what;
    return std::nullopt;
  };
  if (kind == "null") {
    if (v.kind != ScalarKind::kNull) return bad("null");
    return v;
  }
  if (kind == "bool") {
    if (v.kind != ScalarKind::kTrue && v.kind != ScalarKind::kFalse) return bad("a boolean");
    return v;
  }
  if (kind == "int") {
    if (v.kind != ScalarKind::kInt) return bad("an integer");
    return v;
  }
  if (kind == "float") {
    if (v.kind == ScalarKind::kFloat || v.kind == ScalarKind::kSpecialFloat) return v;
    if (v.kind == ScalarKind::kInt) {
      // An integer written where a float is asked for: the same digits as a float.
      if (v.exact) {
        v.kind = ScalarKind::kFloat;
        v.number += ".0";
        return v;
      }
      Scalar f;
      f.kind = ScalarKind::kFloat;
      append_double(f.number, std::strtod(v.number.c_str(), nullptr));
      return f;
    }
    if (contains_ci(text, "inf") || contains_ci(text, "nan")) {
      if (auto sp = special_float(text)) return *sp;
    }
    return bad("a number");
  }
  return string_scalar();
}

std::optional<std::string> collection_tag_error(bool is_map, std::string_view tag) {
  constexpr std::string_view kCore = "tag:yaml.org,2002:";
  if (!tag.starts_with(kCore)) return std::nullopt;
  std::string_view kind = tag.substr(kCore.size());
  bool ok = is_map ? (kind == "map" || kind == "set" || kind == "omap")
                   : (kind == "seq" || kind == "omap" || kind == "pairs");
  if (ok) return std::nullopt;
  return "tag !!" + std::string(kind) + " cannot be applied to a " + (is_map ? "mapping" : "sequence");
}

std::string key_string(const Scalar& s, std::string_view text) {
  switch (s.kind) {
    case ScalarKind::kString: return std::string(text);
    case ScalarKind::kNull: return "null";
    case ScalarKind::kTrue: return "true";
    case ScalarKind::kFalse: return "false";
    default: return s.number;
  }
}

core::Json to_json_value(const Scalar& s, std::string_view text) {
  switch (s.kind) {
    case ScalarKind::kNull: return core::Json(nullptr);
    case ScalarKind::kTrue: return core::Json(true);
    case ScalarKind::kFalse: return core::Json(false);
    case ScalarKind::kString: return core::Json(std::string(text));
    case ScalarKind::kSpecialFloat: return core::Json(s.number);
    case ScalarKind::kInt:
      if (!s.exact) {
        if (s.number[0] == '-') return core::Json(std::strtoll(s.number.c_str(), nullptr, 10));
        std::uint64_t u = std::strtoull(s.number.c_str(), nullptr, 10);
        if (u <= static_cast<std::uint64_t>(INT64_MAX)) return core::Json(static_cast<std::int64_t>(u));
        return core::Json(u);
      }
      return core::Json(std::strtod(s.number.c_str(), nullptr));
    case ScalarKind::kFloat: return core::Json(std::strtod(s.number.c_str(), nullptr));
  }
  return core::Json(nullptr);
}

}  // namespace obscore::config::detail
