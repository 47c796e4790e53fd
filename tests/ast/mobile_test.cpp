// Objective-C and Dart: hand-computed metrics per construct, naming, the source masks (each with
// a snippet the pinned grammar cannot read without it), and header language detection.
#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <string>

#include <tree_sitter/api.h>

#include "cache.hpp"
#include "languages.hpp"
#include "mask.hpp"
#include "obscore/ast/ast.hpp"

using obscore::ast::analyze_source;
using obscore::ast::FileMetrics;
using obscore::ast::FunctionMetrics;
using obscore::ast::Language;

namespace {

struct Case {
  const char* label;
  Language lang;
  const char* source;
  const char* function;  // qualified name
  int cyclomatic;
  int cognitive;
  int max_nesting;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.label; }

const FunctionMetrics* find(const FileMetrics& m, const std::string& name) {
  for (const auto& f : m.functions) {
    if (f.qualified_name == name) return &f;
  }
  return nullptr;
}

class MobileMetrics : public ::testing::TestWithParam<Case> {};

TEST_P(MobileMetrics, MatchesHandComputedValues) {
  const Case& c = GetParam();
  auto m = analyze_source(c.source, c.lang);
  EXPECT_EQ(m.parse_errors, 0) << c.label;
  const FunctionMetrics* f = find(m, c.function);
  ASSERT_NE(f, nullptr) << c.label << ": no function " << c.function;
  EXPECT_EQ(f->cyclomatic, c.cyclomatic) << c.label;
  EXPECT_EQ(f->cognitive, c.cognitive) << c.label;
  EXPECT_EQ(f->max_nesting, c.max_nesting) << c.label;
}

// Cyclomatic: lizard's Objective-C reader (if, for, while, case, catch, ?, &&, ||; `do ... while`
// counts through its while). Cognitive: the white paper.
const Case kObjC[] = {
    {"objc if else if else", Language::kObjC,
     "@implementation A\n- (int)f:(int)a {\n  if (a > 0) { return 1; } else if (a < 0) { return -1; } "
     "else { return 0; }\n}\n@end\n",
     "-[A f:]", 3, 3, 1},
    {"objc for in and while with and", Language::kObjC,
     "@implementation A\n- (void)g:(NSArray *)xs {\n  for (id x in xs) { while (x && y) { } }\n}\n@end\n",
     "-[A g:]", 4, 4, 2},
    {"objc try catch finally", Language::kObjC,
     "@implementation A\n- (void)h {\n  @try { [self run]; } @catch (NSException *e) { if (e) { } } "
     "@catch (id e) { } @finally { }\n}\n@end\n",
     "-[A h]", 4, 4, 2},
    {"objc class method switch", Language::kObjC,
     "@implementation A\n+ (int)k:(int)x {\n  switch (x) { case 1: return 1; case 2: return 2; default: "
     "return 0; }\n}\n@end\n",
     "+[A k:]", 3, 1, 1},
    {"objc anonymous block counts for the method", Language::kObjC,
     "@implementation A\n- (void)b {\n  dispatch_async(q, ^{ if (x) { } });\n}\n@end\n", "-[A b]", 2, 2,
     1},
    {"objc C function with ternary", Language::kObjC,
     "static int helper(int x) { return x > 1 ? x : 0; }\n", "helper", 2, 1, 0},
    {"objc GNU elvis counts like a ternary", Language::kObjC,
     "int f(int a, int b) { return a ?: b; }\n", "f", 2, 1, 0},
    {"objc category method", Language::kObjC,
     "@implementation A (Extra)\n- (void)m {\n  if (a || b) { }\n}\n@end\n", "-[A(Extra) m]", 3, 2, 1},
    {"objc do while and synchronized", Language::kObjC,
     "@implementation A\n- (void)d {\n  @synchronized (self) { do { x--; } while (x > 0); }\n}\n@end\n",
     "-[A d]", 2, 1, 1},
};

// Dart has no lizard reader: the C-family rules plus `??` (+1, as lizard counts Kotlin's `?:`);
// `on T` handlers are catches; each non-default case or switch expression arm counts.
const Case kDart[] = {
    {"dart if else if else and ??", Language::kDart,
     "int top(int? a, int b) {\n  if (a != null && b < 1) {\n    return a ?? b;\n  } else if (b < 0) {\n"
     "    return 1;\n  } else {\n    return 2;\n  }\n}\n",
     "top", 5, 4, 1},
    {"dart getter with ??", Language::kDart, "class C {\n  int? _c;\n  int get count => _c ?? 0;\n}\n",
     "C.count.get", 2, 0, 0},
    {"dart setter", Language::kDart,
     "class C {\n  int _c = 0;\n  set count(int v) {\n    if (v > 0) _c = v;\n  }\n}\n", "C.count.set", 2,
     1, 1},
    {"dart named constructor with a body", Language::kDart,
     "class C {\n  C.named(int x) : super() {\n    if (x > 0) {}\n  }\n}\n", "C.C.named", 2, 1, 1},
    {"dart factory constructor", Language::kDart,
     "class C {\n  C();\n  factory C.make(int x) => x > 0 ? C() : C();\n}\n", "C.C.make", 2, 1, 0},
    {"dart try on catch", Language::kDart,
     "void f() {\n  try {\n    g();\n  } on FormatException catch (e) {\n    if (e.offset != null) {}\n"
     "  } on StateError {\n  } catch (e) {\n  } finally {\n  }\n}\n",
     "f", 5, 5, 2},
    {"dart switch statement", Language::kDart,
     "int f(int x) {\n  switch (x) {\n    case 1:\n      return 1;\n    case 2:\n    case 3:\n      return 2;\n"
     "    default:\n      return 0;\n  }\n}\n",
     "f", 4, 1, 1},
    {"dart switch expression with patterns", Language::kDart,
     "String f(Object o) => switch (o) {\n  int i when i > 0 => 'pos',\n  String s => s,\n  _ => 'other',\n};\n",
     "f", 3, 1, 1},
    {"dart closure counts for the function", Language::kDart,
     "void f(List<int> xs) {\n  xs.forEach((x) {\n    if (x > 0 && x < 9) print(x);\n  });\n}\n", "f", 3, 3,
     1},
    {"dart collection for and if", Language::kDart,
     "List<int> f(List<int> xs) => [for (final x in xs) if (x > 0) x];\n", "f", 3, 3, 2},
    {"dart null-aware access and cascade add nothing", Language::kDart,
     "void f(A? a) {\n  a?.b();\n  a?..c()..d();\n}\n", "f", 1, 0, 0},
    {"dart labelled break", Language::kDart,
     "void f() {\n  outer:\n  for (;;) {\n    for (;;) {\n      break outer;\n    }\n  }\n}\n", "f", 3, 4, 2},
    {"dart boolean sequences", Language::kDart, "bool f(bool a, bool b, bool c) => a && b || c;\n", "f",
     3, 2, 0},
    {"dart ?? breaks no boolean sequence", Language::kDart,
     "bool f(bool a, bool? b, bool c) => a && (b ?? c);\n", "f", 3, 1, 0},
    {"dart while do and ternary", Language::kDart,
     "int f(int x) {\n  while (x > 0) {\n    x--;\n  }\n  do {\n    x++;\n  } while (x < 3);\n"
     "  return x > 1 ? 1 : 0;\n}\n",
     "f", 4, 3, 1},
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.label;
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// Whether the pinned grammar alone (no mask) finds a syntax error in `src`.
bool raw_parse_has_error(const std::string& src, Language lang) {
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, obscore::ast::spec_for(lang).ts);
  TSTree* tree = ts_parser_parse_string(parser, nullptr, src.data(), static_cast<uint32_t>(src.size()));
  bool error = ts_node_has_error(ts_tree_root_node(tree));
  ts_tree_delete(tree);
  ts_parser_delete(parser);
  return error;
}

bool has_mask(const FileMetrics& m, const std::string& fragment) {
  for (const auto& a : m.assumptions) {
    if (a.kind == "mask" && a.detail.find(fragment) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(ObjC, MobileMetrics, ::testing::ValuesIn(kObjC), case_name);
INSTANTIATE_TEST_SUITE_P(Dart, MobileMetrics, ::testing::ValuesIn(kDart), case_name);

TEST(ObjC, MethodNamesKindsParamsAndLines) {
  const char* src =
      "#import <Foundation/Foundation.h>\n"
      "@interface Foo : NSObject\n"
      "- (void)bar:(int)a with:(NSString *)b;\n"
      "@end\n"
      "@implementation Foo\n"
      "- (void)bar:(int)a with:(NSString *)b {\n"
      "  void (^done)(BOOL) = ^(BOOL ok) { if (ok) { } };\n"
      "}\n"
      "+ (instancetype)shared {\n"
      "  return nil;\n"
      "}\n"
      "- (void)pair:(int)a :(int)b { }\n"
      "static int helper(void) { return 0; }\n"
      "@end\n";
  auto m = analyze_source(src, Language::kObjC);
  EXPECT_EQ(m.parse_errors, 0);
  ASSERT_EQ(m.functions.size(), 5u);
  EXPECT_EQ(m.functions[0].name, "bar:with:");
  EXPECT_EQ(m.functions[0].qualified_name, "-[Foo bar:with:]");
  EXPECT_EQ(m.functions[0].kind, "method");
  EXPECT_EQ(m.functions[0].params, 2);
  EXPECT_EQ(m.functions[0].start_line, 6);
  EXPECT_EQ(m.functions[0].end_line, 8);
  EXPECT_EQ(m.functions[0].cyclomatic, 1);  // the bound block is its own row
  EXPECT_EQ(m.functions[1].qualified_name, "-[Foo bar:with:].done");
  EXPECT_EQ(m.functions[1].kind, "closure");
  EXPECT_EQ(m.functions[1].cyclomatic, 2);
  EXPECT_EQ(m.functions[2].qualified_name, "+[Foo shared]");
  EXPECT_EQ(m.functions[2].params, 0);
  EXPECT_EQ(m.functions[3].qualified_name, "-[Foo pair::]");  // an unlabelled selector part
  EXPECT_EQ(m.functions[3].params, 2);
  // A C function keeps its plain name, even written inside @implementation.
  EXPECT_EQ(m.functions[4].qualified_name, "helper");
  EXPECT_EQ(m.functions[4].kind, "function");
  EXPECT_EQ(m.functions[4].params, 0);
}

// Each mask: the grammar alone fails on the snippet; with the mask it parses, and the mask is
// reported.
TEST(ObjCMasks, EnumMacroBecomesAnEnum) {
  std::string src = "typedef NS_ENUM(NSInteger, Mode) {\n  ModeA = -1,\n  ModeB,\n};\nvoid f(void) { if (x) {} }\n";
  EXPECT_TRUE(raw_parse_has_error(src, Language::kObjC));
  auto m = analyze_source(src, Language::kObjC);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_TRUE(has_mask(m, "NS_ENUM(type, name) read as an enum"));
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].start_line, 5);
  std::string masked;
  std::vector<FileMetrics::Assumption> applied;
  ASSERT_TRUE(obscore::ast::mask_objc("typedef NS_OPTIONS(NSUInteger, O) {", masked, applied));
  EXPECT_EQ(masked, "        enum                   O  {");  // same length, offsets kept
}

TEST(ObjCMasks, LoneMacroLinesAreBlanked) {
  std::string src =
      "NS_ASSUME_NONNULL_BEGIN\nNS_SWIFT_UI_ACTOR\n@interface A : NSObject\n@end\nNS_ASSUME_NONNULL_END\n"
      "@implementation A\n- (void)f { if (x) { } }\n@end\n";
  EXPECT_TRUE(raw_parse_has_error(src, Language::kObjC));
  auto m = analyze_source(src, Language::kObjC);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_TRUE(has_mask(m, "NS_ASSUME_NONNULL_BEGIN"));
  EXPECT_TRUE(has_mask(m, "NS_SWIFT_UI_ACTOR"));
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].cyclomatic, 2);
  // An upper-case identifier continuing an expression on the next line is not a lone macro.
  std::string expr = "int f(void) {\n  return 1 +\n    MAX_VALUE;\n}\n";
  auto e = analyze_source(expr, Language::kObjC);
  EXPECT_TRUE(e.assumptions.empty());
}

TEST(ObjCMasks, TrailingAnnotationMacrosAreBlanked) {
  std::string src =
      "typedef NSString * Key NS_STRING_ENUM;\n"
      "@interface A : NSObject\n"
      "- (void)old API_DEPRECATED_WITH_REPLACEMENT(\"fresh\", ios(8.0, 13.0));\n"
      "@property (nonatomic) int x MY_ANNOTATION(1);\n"
      "@end\n";
  EXPECT_TRUE(raw_parse_has_error(src, Language::kObjC));
  auto m = analyze_source(src, Language::kObjC);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_TRUE(has_mask(m, "NS_STRING_ENUM"));
  EXPECT_TRUE(has_mask(m, "API_DEPRECATED_WITH_REPLACEMENT"));
  // A typedef whose own name is upper case is not an annotation.
  auto t = analyze_source("typedef unsigned int MY_TYPE;\n", Language::kObjC);
  EXPECT_TRUE(t.assumptions.empty());
  EXPECT_EQ(t.parse_errors, 0);
}

TEST(ObjCMasks, IfdefInsideAContainerReadsAsIf) {
  std::string src =
      "@interface A : NSObject\n#ifdef TARGET_MAC\n@property (nonatomic) NSImage *image;\n#endif\n@end\n"
      "@implementation A\n#ifndef LEGACY\n- (void)f { if (x) { } }\n#endif\n@end\n";
  EXPECT_TRUE(raw_parse_has_error(src, Language::kObjC));
  auto m = analyze_source(src, Language::kObjC);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_TRUE(has_mask(m, "#ifdef inside an Objective-C container"));
  EXPECT_TRUE(has_mask(m, "#ifndef inside an Objective-C container"));
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].qualified_name, "-[A f]");
}

TEST(ObjCMasks, ExternCGuardLinesAreBlanked) {
  std::string src =
      "#ifdef __cplusplus\nextern \"C\" {\n#endif\nvoid f(void);\nint g(int x) { return x ? 1 : 2; }\n"
      "#ifdef __cplusplus\n}\n#endif\n";
  EXPECT_TRUE(raw_parse_has_error(src, Language::kObjC));
  auto m = analyze_source(src, Language::kObjC);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_TRUE(has_mask(m, "C++ guard line"));
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].cyclomatic, 2);
}

TEST(ObjCMasks, MacrosInCommentsAndStringsAreLeftAlone) {
  std::string src = "/*\nNS_ASSUME_NONNULL_BEGIN\n*/\nvoid f(void) { log(\"typedef NS_ENUM(int, X) {\"); }\n";
  auto m = analyze_source(src, Language::kObjC);
  EXPECT_TRUE(m.assumptions.empty());
  EXPECT_EQ(m.parse_errors, 0);
}

TEST(Dart, NamesKindsParamsAndLines) {
  const char* src =
      "class Counter {\n"
      "  Counter(this.n);\n"
      "  int n;\n"
      "  @override\n"
      "  String toString() {\n"
      "    return '$n';\n"
      "  }\n"
      "  int get twice => n * 2;\n"
      "  void add(int a, [int b = 0, int c = 1]) { final f = (int x) => x; }\n"
      "  void named({required int a, int? b}) {}\n"
      "  bool operator ==(Object other) => other is Counter;\n"
      "}\n"
      "extension Shout on String {\n"
      "  String shout() => toUpperCase();\n"
      "}\n"
      "void main() {\n"
      "  int local(int y) => y;\n"
      "}\n";
  auto m = analyze_source(src, Language::kDart);
  EXPECT_EQ(m.parse_errors, 0);
  ASSERT_EQ(m.functions.size(), 9u);
  EXPECT_EQ(m.functions[0].qualified_name, "Counter.toString");
  EXPECT_EQ(m.functions[0].kind, "method");
  EXPECT_EQ(m.functions[0].start_line, 5);  // the signature; the annotation line is excluded
  EXPECT_EQ(m.functions[0].end_line, 7);
  EXPECT_EQ(m.functions[1].qualified_name, "Counter.twice.get");
  EXPECT_EQ(m.functions[1].name, "twice");
  EXPECT_EQ(m.functions[1].kind, "getter");
  EXPECT_EQ(m.functions[2].qualified_name, "Counter.add");
  EXPECT_EQ(m.functions[2].params, 3);
  EXPECT_EQ(m.functions[3].qualified_name, "Counter.add.f");  // a closure bound to a name
  EXPECT_EQ(m.functions[3].kind, "closure");
  EXPECT_EQ(m.functions[4].qualified_name, "Counter.named");
  EXPECT_EQ(m.functions[4].params, 2);
  EXPECT_EQ(m.functions[5].qualified_name, "Counter.operator ==");
  EXPECT_EQ(m.functions[6].qualified_name, "Shout.shout");
  EXPECT_EQ(m.functions[7].qualified_name, "main");
  EXPECT_EQ(m.functions[7].kind, "function");
  EXPECT_EQ(m.functions[8].qualified_name, "main.local");
  EXPECT_EQ(m.functions[8].kind, "closure");
}

TEST(DartMasks, UnnamedLibraryDirective) {
  std::string src = "library;\n\nint f(int x) => x > 0 ? 1 : 0;\n";
  EXPECT_TRUE(raw_parse_has_error(src, Language::kDart));
  auto m = analyze_source(src, Language::kDart);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_TRUE(has_mask(m, "library;"));
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].start_line, 3);
}

TEST(DartMasks, EmptyObjectPatterns) {
  std::string src =
      "String f(Object o) {\n"
      "  switch (o) {\n"
      "    case Loading():\n"
      "      return 'l';\n"
      "    case Data<int>() when o.ok:\n"
      "      return 'd';\n"
      "  }\n"
      "  return switch (o) {\n"
      "    _$Error() => 'e',\n"
      "    Done() || Idle() => 'x',\n"
      "    _ => '?',\n"
      "  };\n"
      "}\n"
      "Widget build() => Container();\n";
  EXPECT_TRUE(raw_parse_has_error(src, Language::kDart));
  auto m = analyze_source(src, Language::kDart);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_TRUE(has_mask(m, "empty object pattern Loading()"));
  EXPECT_TRUE(has_mask(m, "empty object pattern Data()"));
  EXPECT_TRUE(has_mask(m, "empty object pattern _$Error()"));
  EXPECT_FALSE(has_mask(m, "Container"));  // a call in an arrow body is not a pattern
  const FunctionMetrics* f = find(m, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->cyclomatic, 5);  // two cases, two non-default arms
  EXPECT_EQ(f->cognitive, 2);   // two switches
}

TEST(Headers, LanguageFromContent) {
  using obscore::ast::header_language;
  using obscore::ast::language_for_path;
  EXPECT_EQ(language_for_path("a.h", "#import <Foundation/Foundation.h>\n@interface A : NSObject\n@end\n"),
            Language::kObjC);
  EXPECT_EQ(header_language("@protocol P <NSObject>\n- (void)f;\n@end\n"), Language::kObjC);
  EXPECT_EQ(header_language("#import \"A.h\"\nextern NSString *const K;\n"), Language::kObjC);
  // MSVC's #import of a type library in C++ code.
  EXPECT_EQ(header_language("#import \"lib.tlb\"\nnamespace n { class C; }\n"), Language::kCpp);
  // Doxygen's @class / @interface in a comment and markers in strings do not count.
  EXPECT_EQ(header_language("/**\n @class Foo\n @interface Bar\n */\nint f(void);\n"), Language::kC);
  EXPECT_EQ(header_language("#define S \"@interface namespace \"\nint f(void);\n"), Language::kC);
  EXPECT_EQ(header_language("void RegisterPlugins(flutter::PluginRegistry* r);\n"), Language::kCpp);
  EXPECT_EQ(header_language("[[gnu::unused]] static int x;\n"), Language::kC);
  EXPECT_EQ(header_language("// the class of errors\nint f(void);\n"), Language::kC);
  EXPECT_EQ(header_language(""), Language::kC);
  // A C++ standard header (no `.h`), a const member function, a C++ cast.
  EXPECT_EQ(header_language("#include <stdint.h>\n#include <vector>\nint f(void);\n"), Language::kCpp);
  EXPECT_EQ(header_language("#include <sys/types.h>\n#include <stdio.h>\nint f(void);\n"), Language::kC);
  EXPECT_EQ(header_language("struct S {\n  int size() const { return n; }\n  int n;\n};\n"), Language::kCpp);
  EXPECT_EQ(header_language("#define P(x) static_cast<int>(x)\n"), Language::kCpp);
  // What a C header offers C++ callers under `#ifdef __cplusplus` is no evidence.
  EXPECT_EQ(header_language("#ifdef __cplusplus\nextern \"C++\" {\ninline int g(int m) { return f(static_cast<e>(m)); }\n}\n"
                            "#endif\nint f(int);\n"),
            Language::kC);
  // The evidence past a long documentation comment (more than the first 8 KiB) is read.
  std::string doc = "/*\n" + std::string(12000, 'x') + "\n*/\nnamespace n {\nint f();\n}\n";
  EXPECT_EQ(header_language(doc), Language::kCpp);
  EXPECT_EQ(header_language("/*\n" + std::string(12000, 'x') + "\n*/\nint f(void);\n"), Language::kC);
  EXPECT_EQ(language_for_path("a.m"), Language::kObjC);
  EXPECT_EQ(language_for_path("a.mm"), Language::kObjC);
  EXPECT_EQ(language_for_path("lib/main.dart"), Language::kDart);
  EXPECT_EQ(obscore::ast::parse_language("objective-c"), Language::kObjC);
  EXPECT_EQ(obscore::ast::parse_language("dart"), Language::kDart);
}

TEST(Mobile, EmptyGarbageAndNonUtf8Input) {
  for (Language lang : {Language::kObjC, Language::kDart}) {
    auto empty = analyze_source("", lang);
    EXPECT_TRUE(empty.functions.empty());
    std::string garbage;
    for (int i = 0; i < 5000; ++i) garbage += static_cast<char>((i * 7919) % 251 + 1);
    auto g = analyze_source(garbage, lang);
    EXPECT_GE(g.lines, 1);
    // Masks on truncated input: a macro call cut off, an unterminated comment or string.
    for (const char* cut : {"typedef NS_ENUM(NSInteger", "NS_ASSUME_NONNULL_BEGIN(", "/* @interface",
                            "\"@end", "case Foo(", "library", "- (void)f API_X(", "#ifdef __cplusplus\n"}) {
      auto t = analyze_source(cut, lang);
      EXPECT_GE(t.lines, 1);
    }
  }
}

TEST(Mobile, AssumptionsSurviveTheCache) {
  auto m = analyze_source("NS_ASSUME_NONNULL_BEGIN\nvoid f(void) {}\n", Language::kObjC);
  ASSERT_EQ(m.assumptions.size(), 1u);
  std::string text = obscore::ast::encode_metrics("k", m);
  auto back = obscore::ast::decode_metrics("k", text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->language, Language::kObjC);
  ASSERT_EQ(back->assumptions.size(), 1u);
  EXPECT_EQ(back->assumptions[0].line, 1);
  EXPECT_EQ(back->assumptions[0].detail, m.assumptions[0].detail);
}

TEST(DartMasks, LoopLabels) {
  std::string src = "void f() {\n  outer:\n  for (;;) {\n    inner: while (true) {\n      break outer;\n    }\n  }\n}\n";
  EXPECT_TRUE(raw_parse_has_error(src, Language::kDart));
  auto m = analyze_source(src, Language::kDart);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_TRUE(has_mask(m, "statement label outer:"));
  EXPECT_TRUE(has_mask(m, "statement label inner:"));
  // Named arguments at a line start are not labels.
  auto call = analyze_source("Widget b() => Box(\n  child: Text('a'),\n  size: 2,\n);\n", Language::kDart);
  EXPECT_TRUE(call.assumptions.empty());
}

// lizard's C-family rule for Objective-C: each #if/#ifdef/#elif inside a function is +1 (both
// branches are read), the operators of its condition are not; cognitive ignores it.
TEST(ObjC, PreprocessorConditionalsInsideMethods) {
  const char* src =
      "@implementation A\n"
      "- (void)a {\n#if (X && Y) || Z\n  x = 1;\n#elif W\n  x = 2;\n#else\n  x = 3;\n#endif\n}\n"
      "- (void)b {\n#ifdef X\n  if (a) {}\n#else\n  if (b) {}\n#endif\n}\n"
      "@end\n"
      "#if X && Y\nint top;\n#endif\n";
  auto m = analyze_source(src, Language::kObjC);
  EXPECT_EQ(m.parse_errors, 0);
  ASSERT_EQ(m.functions.size(), 2u);
  EXPECT_EQ(m.functions[0].cyclomatic, 3);  // #if, #elif
  EXPECT_EQ(m.functions[0].cognitive, 0);
  EXPECT_EQ(m.functions[1].cyclomatic, 4);  // #ifdef, both ifs
  EXPECT_EQ(m.functions[1].cognitive, 2);
}

TEST(ObjCMasks, EnumeratorAvailabilityMacros) {
  std::string src =
      "typedef NS_OPTIONS(NSUInteger, Opt) {\n  OptA = 1 << 0,\n"
      "  OptOld API_DEPRECATED(\"use OptA\", ios(8.0, 13.0)) = 1 << 1,\n  OptB = 1 << 2\n};\n"
      "void f(void) { if (x) {} }\n";
  EXPECT_TRUE(raw_parse_has_error(src, Language::kObjC));
  auto m = analyze_source(src, Language::kObjC);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_TRUE(has_mask(m, "annotation macro API_DEPRECATED after an enumerator"));
  ASSERT_EQ(m.functions.size(), 1u);
  // Outside an NS_ENUM body nothing of the kind is touched.
  auto plain = analyze_source("enum E { A, B };\nint g(int MAX_X) { return MAX_X; }\n", Language::kObjC);
  EXPECT_TRUE(plain.assumptions.empty());
}

// A preprocessor branch that splits an `if` from its body breaks the class_implementation node;
// the methods after it still carry their class, taken from the `@implementation` line.
TEST(ObjC, MethodsKeepTheirClassAfterASyntaxError) {
  const char* src =
      "@implementation Loader (Net)\n"
      "- (void)a {\n#if NEW_API\n  if (x)\n#else\n  if (y)\n#endif\n  {\n    void (^done)(void) = ^{ z(); };\n  }\n}\n"
      "- (void)b { }\n"
      "@end\n";
  auto m = analyze_source(src, Language::kObjC);
  ASSERT_FALSE(m.functions.empty());
  for (const auto& f : m.functions) {
    EXPECT_EQ(f.qualified_name.rfind("-[Loader(Net) ", 0), 0u) << f.qualified_name;  // blocks too
  }
}
