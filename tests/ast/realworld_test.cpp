// Real-code robustness (issue 21): grammar fixes, masks, local syntax errors, accessor rows.
// Every snippet is written here and reproduces a construct that broke the parse or lost rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "obscore/ast/ast.hpp"

using obscore::ast::analyze_source;
using obscore::ast::AnalyzeOptions;
using obscore::ast::FileMetrics;
using obscore::ast::FunctionMetrics;
using obscore::ast::Language;

namespace {

const FunctionMetrics* find(const FileMetrics& m, const std::string& qualified) {
  for (const auto& f : m.functions) {
    if (f.qualified_name == qualified) return &f;
  }
  return nullptr;
}

std::string names(const FileMetrics& m) {
  std::string s;
  for (const auto& f : m.functions) s += f.qualified_name + "@" + std::to_string(f.start_line) + " ";
  return s;
}

bool has_assumption(const FileMetrics& m, const std::string& kind, const std::string& detail_part) {
  return std::any_of(m.assumptions.begin(), m.assumptions.end(), [&](const auto& a) {
    return a.kind == kind && a.detail.find(detail_part) != std::string::npos;
  });
}

}  // namespace

// OBSCORE_GRAMMAR_FIXES (kotlin scanner.c): a statement beginning with an identifier that starts
// with a keyword (`in1`, `as_x`) got no automatic semicolon; the whole file became one ERROR and
// no function was listed.
TEST(RealWorld, KotlinIdentifierStartingWithAKeywordStartsAStatement) {
  const char* src =
      "class Reader {\n"
      "  fun readsAfterSkip() {\n"
      "    val in1 = open()\n"
      "    in1.skip(3)\n"
      "    as_x.close()\n"
      "    is2.close()\n"
      "  }\n"
      "\n"
      "  fun second(x: Int): Int {\n"
      "    if (x > 0) return 1\n"
      "    return 0\n"
      "  }\n"
      "}\n";
  auto m = analyze_source(src, Language::kKotlin);
  EXPECT_EQ(m.parse_errors, 0) << names(m);
  ASSERT_EQ(m.functions.size(), 2u) << names(m);
  EXPECT_EQ(m.functions[0].qualified_name, "Reader.readsAfterSkip");
  EXPECT_EQ(m.functions[0].end_line, 7);
  EXPECT_EQ(m.functions[1].qualified_name, "Reader.second");
  EXPECT_EQ(m.functions[1].cyclomatic, 2);
}

// An error stays local: a statement the grammar cannot read (here a plain syntax error) made
// tree-sitter's recovery swallow the whole class; every function is listed again, each with
// metrics from its own subtree, and --explain says what was re-parsed.
TEST(RealWorld, KotlinSyntaxErrorDoesNotSwallowTheFollowingFunctions) {
  const char* src =
      "class CacheLike {\n"
      "  @Test fun first() {\n"
      "    val json = ##1\n"
      "    check(json)\n"
      "  }\n"
      "\n"
      "  @Test\n"
      "  fun second(x: Int): Int {\n"
      "    if (x > 0 && x < 9) return 1\n"
      "    return 0\n"
      "  }\n"
      "\n"
      "  fun third(x: Int?): Int {\n"
      "    for (i in 0..3) { if (i == x) return i }\n"
      "    return 2\n"
      "  }\n"
      "}\n";
  AnalyzeOptions opt;
  opt.explain = true;
  auto m = analyze_source(src, Language::kKotlin, opt);
  EXPECT_GT(m.parse_errors, 0);
  ASSERT_EQ(m.functions.size(), 3u) << names(m);
  const auto* first = find(m, "CacheLike.first");
  const auto* second = find(m, "CacheLike.second");
  const auto* third = find(m, "CacheLike.third");
  ASSERT_TRUE(first && second && third) << names(m);
  EXPECT_EQ(first->start_line, 2);
  EXPECT_EQ(second->start_line, 8);
  EXPECT_EQ(second->end_line, 11);
  EXPECT_EQ(second->cyclomatic, 3);  // if, &&
  EXPECT_EQ(third->start_line, 13);
  EXPECT_EQ(third->cyclomatic, 3);   // for, if
  EXPECT_EQ(third->cognitive, 3);    // for 1, if 1+1
  EXPECT_TRUE(has_assumption(m, "reparse", "re-parsed")) << m.assumptions.size();
  EXPECT_TRUE(has_assumption(m, "reparse", "line left out"));
}

// The okhttp CacheTest shape: one broken statement in a long test class, many test functions
// after it. Without re-parsing, the functions after the error are folded into one giant row.
TEST(RealWorld, KotlinOneErrorInALongTestClassKeepsEveryTest) {
  std::string src = "class BigTest {\n";
  src += "  @Test fun broken() {\n    val s = ##1\n    s.check()\n  }\n";
  for (int i = 0; i < 40; ++i) {
    src += "\n  @Test\n  fun test" + std::to_string(i) + "() {\n    if (a" + std::to_string(i) +
           " != null) b() else c()\n  }\n";
  }
  src += "}\n";
  AnalyzeOptions opt;
  opt.explain = true;
  auto m = analyze_source(src, Language::kKotlin, opt);
  EXPECT_GT(m.parse_errors, 0);
  EXPECT_TRUE(has_assumption(m, "reparse", "re-parsed"));  // recovery alone did not list them
  ASSERT_EQ(m.functions.size(), 41u) << names(m);
  for (int i = 0; i < 40; ++i) {
    const auto* f = find(m, "BigTest.test" + std::to_string(i));
    ASSERT_NE(f, nullptr) << i << " " << names(m);
    EXPECT_EQ(f->cyclomatic, 2);
    EXPECT_EQ(f->loc, 3);
  }
}

TEST(RealWorld, KotlinElvisIsABranchButFreeForCognitive) {
  const char* src =
      "fun f(a: String?, b: String?): String {\n"
      "  val x = a ?: b ?: \"\"\n"
      "  return if (x.isEmpty() && a != null) x else a ?: \"-\"\n"
      "}\n";
  AnalyzeOptions opt;
  opt.explain = true;
  auto m = analyze_source(src, Language::kKotlin, opt);
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].cyclomatic, 6);  // 1 + ?: ?: + if + && + ?:
  EXPECT_EQ(m.functions[0].cognitive, 3);   // if 1, else 1, && 1; elvis free
}

TEST(RealWorld, SwiftNilCoalescingAddsNothing) {
  const char* src =
      "func f(a: Int?, b: Int?) -> Int {\n"
      "  return a ?? b ?? 0\n"
      "}\n";
  auto m = analyze_source(src, Language::kSwift);
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].cyclomatic, 1);
  EXPECT_EQ(m.functions[0].cognitive, 0);
}

// ---- masks: each snippet has a syntax error without its mask (checked against the grammar
// through mask_source's report: the rule must fire, and the file must parse clean) ----------

namespace {

struct MaskCase {
  const char* what;
  Language lang;
  const char* src;
  const char* rule;      // part of the assumption's detail
  const char* function;  // a qualified name that must be listed
  int cyclomatic;
};

const MaskCase kMasks[] = {
    {"swift #if between members", Language::kSwift,
     "class A {\n#if os(iOS)\n  func a() {}\n#else\n  func b() {}\n#endif\n  func c(x: Int) { if x > 0 { } }\n}\n",
     "compilation directive", "A.c", 2},
    {"swift indented #if with #error", Language::kSwift,
     "final class P {\n    #if canImport(Darwin)\n    let x = 1\n    #else\n    #error(\"no lock\")\n    #endif\n"
     "  func c() { for _ in 0..<3 { } }\n}\n",
     "compilation directive", "P.c", 2},
    {"swift @Name() property wrapper", Language::kSwift,
     "struct Cmd {\n  @Option()\n  var name: String\n  func run() { if name.isEmpty { } }\n}\n",
     "empty arguments", "Cmd.run", 2},
    {"swift typed throws", Language::kSwift,
     "func parse() throws(ParseError) -> Int {\n  guard ok else { throw .bad }\n  return 1\n}\n",
     "typed throws", "parse", 2},
    {"swift sending parameter", Language::kSwift,
     "func run(_ body: sending @escaping () -> Void) {\n  if flag { body() }\n}\n", "ownership", "run", 2},
    {"swift consume operator", Language::kSwift,
     "func drop() {\n  _ = consume value\n  if a { }\n}\n", "ownership", "drop", 2},
    {"swift void argument", Language::kSwift,
     "func ok() -> R {\n  if a {\n    return .success(())\n  } else {\n    return .failure(e)\n  }\n}\n", "void value",
     "ok", 2},
    {"swift labelled void argument", Language::kSwift,
     "func done() {\n  queue.async {\n    handler(Result(value: (), error: nil))\n  }\n  if a { }\n}\n", "labelled", "done", 2},
    {"swift #_sourceLocation default", Language::kSwift,
     "func check(at: SourceLocation = #_sourceLocation) {\n  if a { }\n}\n", "underscored macro", "check", 2},
    {"swift nonisolated(unsafe)", Language::kSwift,
     "final class B {\n  private nonisolated(unsafe) var v: Int = 0\n  func f() { if v > 0 { } }\n}\n",
     "nonisolated", "B.f", 2},
    {"swift for try await in try", Language::kSwift,
     "func count() async throws {\n  for try await line in try handle.lines {\n    print(line)\n  }\n}\n",
     "try after for-in", "count", 2},
    {"kotlin multi-dollar string", Language::kKotlin,
     "fun f() {\n  val json = $$\"{\\\"$foo\\\": 1}\"\n  if (json.isEmpty()) g(json)\n}\n", "multi-dollar", "f", 2},
    {"kotlin modifier keyword as a call", Language::kKotlin,
     "fun f() {\n  g().apply { open(closer) }\n  if (a) b()\n}\n", "modifier keyword", "f", 2},
    {"kotlin guard condition in a when entry", Language::kKotlin,
     "fun f(r: R): Int {\n  return when (r) {\n    is R.Err if r.code == 409 -> 1\n    is R.Ok -> 2\n    else -> 0\n  }\n}\n",
     "guard condition", "f", 4},
    {"kotlin guard after a generic type test", Language::kKotlin,
     "fun f(r: Any): Int {\n  return when (r) {\n    is List<*> if r.isEmpty() -> 1\n    else -> 0\n  }\n}\n",
     "guard condition", "f", 2},
    {"kotlin guard on the else entry", Language::kKotlin,
     "fun g(x: Int): Int = when (x) {\n  1 -> 10\n  else if x > 5 -> 20\n  else -> 0\n}\n", "guard condition", "g", 3},
    {"kotlin context parameters", Language::kKotlin,
     "context(scope: Scope)\nfun Scope.f(x: Int): Int {\n  if (x > 0) return 1\n  return 0\n}\n", "context parameters", "f", 2},
    {"kotlin get<T>() call starting a statement", Language::kKotlin,
     "fun f() {\n  val repo =\n    make()\n  get<Repo>().load()\n  if (a) b()\n}\n", "soft keyword", "f", 2},
    {"kotlin get(x) call after a local property", Language::kKotlin,
     "fun f(url: String) = flow {\n  val u =\n    parse(url)\n  get(u).fold({ a -> a }, { b -> b })\n  if (x) y()\n}\n",
     "soft keyword", "f", 2},
    {"kotlin constructor as a local name", Language::kKotlin,
     "fun make(): Any {\n  val constructor = find()\n  constructor().release()\n  if (a) b()\n  return constructor()\n}\n",
     "soft keyword", "make", 2},
    {"swift try await as the last if condition", Language::kSwift,
     "func load() async {\n  if let v = try? await fetch() {\n    print(v)\n  }\n}\n", "await in an if", "load", 2},
    {"swift await of a property in an if condition", Language::kSwift,
     "func load() async {\n  if !set, let p = await model?.player {\n    play(p)\n  }\n}\n", "await in an if", "load", 2},
    {"swift closure with an empty capture list", Language::kSwift,
     "func a() {\n  run { [] in\n    if x { d() }\n  }\n}\n", "empty capture list", "a", 2},
    {"swift implicitly unwrapped closure parameter", Language::kSwift,
     "func a() {\n  run(handler: { (alert: UIAlertAction!) in\n    if x { d() }\n  })\n}\n", "implicitly unwrapped", "a", 2},
    {"kotlin annotated getter of an untyped property", Language::kKotlin,
     "object T {\n  val g\n    @Composable\n    get() = if (a) 1 else 2\n  val h = 1\n}\n", "before a property accessor",
     "T.g.get", 2},
    {"kotlin annotations on their own lines before a primary constructor", Language::kKotlin,
     "class A\n  @Inject\n  @OptIn(U::class)\n  constructor(private val x: Int) {\n  fun f() { if (x > 0) g() }\n}\n",
     "before a primary constructor", "A.f", 2},
    {"swift associatedtype with two conformances", Language::kSwift,
     "protocol P {\n  associatedtype T: A, B\n  func f(x: Int) -> Int\n}\nfunc g(x: Int) -> Int { if x > 0 { return 1 }; return 0 }\n",
     "associatedtype", "g", 2},
    {"swift blank before a semicolon", Language::kSwift,
     "func hide() {\n  self.alpha = 0 ;\n  if done { return ; }\n}\n", "blank before a semicolon", "hide", 2},
    {"swift trailing-closure label on its own line", Language::kSwift,
     "struct V: View {\n  var body: some View {\n    Button { if a { go() } }\n    label: { Text(\"x\") }\n  }\n}\n",
     "trailing-closure label", "V.body.get", 2},
    {"kotlin explicit backing field", Language::kKotlin,
     "class M {\n  val state: LiveData<Boolean>\n    field = MutableLiveData(false)\n  fun f(x: Int) { if (x > 0) g() }\n}\n",
     "backing field", "M.f", 2},
    {"c macro used as a block", Language::kC,
     "void f(struct q* h) {\n  list_foreach(q, &h->items) {\n    if (x) y();\n  }\n}\n", "used as a block", "f", 2},
    {"c macro block with a string", Language::kC,
     "void g(void) {\n  run_with_period(100) {\n    while (busy()) step();\n  }\n}\n", "used as a block", "g", 2},
    {"c lone macro invocation", Language::kC,
     "void f(void) {\n  ADDR_LIST(CHECK_ADDR)\n  if (x) y();\n}\n", "macro invocation", "f", 2},
    {"c calling convention", Language::kC,
     "static DWORD WINAPI worker(void* p) {\n  if (p) return 1;\n  return 0;\n}\n", "calling-convention", "worker", 2},
    {"c struct as macro argument", Language::kC,
     "void cb(uv_timer_t* t) {\n  ctx = container_of(t, struct poll_ctx, timer);\n  if (ctx) go(ctx);\n}\n",
     "struct type as a macro argument", "cb", 2},
    {"c #else inside an if chain", Language::kC,
     "int f(int a) {\n  if (a == 1)\n    return 1;\n#ifdef _WIN32\n  else if (a == 2)\n    return 2;\n#else\n  else if (a == 3)\n"
     "    return 3;\n#endif\n  else\n    return 0;\n}\n",
     "conditional group splitting", "f", 3},
    {"c comment inside a multi-line #define", Language::kC,
     "#define SWAP(a, b) do { \\\n  int t = a; /* keep */ \\\n  a = b; b = t; \\\n} while (0)\n"
     "int f(int x) { if (x) return 1; return 0; }\n",
     "comment inside a multi-line directive", "f", 2},
    {"c comment spanning lines of a multi-line #define", Language::kC,
     "#define LOOP(q, body) \\\n  while (q) { \\\n    /* a note that \\\n     * goes on */ \\\n    body \\\n  }\n"
     "int f(int x) { if (x) return 1; return 0; }\n",
     "comment inside a multi-line directive", "f", 2},
    {"c #define between enumerators", Language::kC,
     "typedef enum {\n  K_NONE = 0,\n#define XX(n) K_##n,\n  KIND_MAP(XX)\n#undef XX\n  K_LAST\n} kind;\n"
     "int f(int x) { return x ? 1 : 0; }\n",
     "between enumerators", "f", 2},
    {"c __has_include(<path>)", Language::kC,
     "#if __has_include(<unistd.h>) && X\nint f(int x) { if (x) return 1; return 0; }\n#endif\n",
     "__has_include", "f", 2},
    {"c conditional attribute before a function", Language::kC,
     "#ifdef __GNUC__\n/* run at exit */\n__attribute__((destructor))\n#endif\nvoid cleanup(void) {\n  if (x) y();\n}\n",
     "conditional attribute", "cleanup", 2},
    {"c calling convention in a function pointer", Language::kC,
     "typedef BOOL (WINAPI *probe_fn)(HANDLE h, DWORD flags);\nint f(int x) { if (x) return 1; return 0; }\n",
     "function pointer declarator", "f", 2},
    {"c calling convention in a function type", Language::kC,
     "typedef ULONG CALLBACK notify_routine(void* ctx, ULONG type);\nint f(int x) { if (x) return 1; return 0; }\n",
     "calling-convention macro in a declaration", "f", 2},
    {"c macro wrapped around a definition", Language::kC,
     "HIDDEN(static int clamp(int v)) {\n  if (v < 0) return 0;\n  return v;\n}\n", "wrapped around a declaration",
     "clamp", 2},
    {"c type as a macro argument", Language::kC,
     "int sum(int n, ...) {\n  int t = 0;\n  while (n--) t += va_arg(ap, unsigned int);\n  return t;\n}\n",
     "type as a macro argument", "sum", 2},
    {"c lone macro between statements", Language::kC,
     "static int get(int fd) {\n  LOCAL_VARIABLES\n\n  lock(&m);\n  if (fd) return 1;\n  return 0;\n}\n",
     "standing for statements", "get", 2},
    {"c fields macro after a commented head", Language::kC,
     "/* The handle (see below). */\nstruct handle_s {\n  HANDLE_FIELDS\n  void* data;\n};\n"
     "int f(int x) { if (x) return 1; return 0; }\n",
     "lone macro name", "f", 2},
    {"c __declspec with arguments", Language::kC,
     "void f(int x) {\n  __declspec(align(8)) char buf[64];\n  if (x) g(buf);\n}\n", "__declspec", "f", 2},
    {"c macro opening a block", Language::kC,
     "void f(int x) {\n  LIB_TRY {\n    g();\n  }\n  LIB_CATCH(x) {\n    if (x) h();\n  }\n}\n",
     "macro opening a block", "f", 2},
    {"c extern \"C\" split across conditional groups", Language::kC,
     "#ifdef __cplusplus\nextern \"C\" {\n#endif\nint f(int x) { if (x) return 1; return 0; }\n"
     "#ifdef __cplusplus\n}\n#endif\n",
     "extern \"C\"", "f", 2},
    {"c comment left open on a dropped #else", Language::kC,
     "int f(int a) {\n  if (a == 1)\n    return 1;\n#ifdef _WIN32\n  else if (a == 2)\n    return 2;\n"
     "#else /* !(defined(_WIN32) ||\n          defined(_WIN64)) */\n  else if (a == 3)\n    return 3;\n#endif\n"
     "  else\n    return 0;\n}\nint g(int x) { if (x) return 1; return 0; }\n",
     "conditional group splitting", "g", 2},
    {"cpp conditional group splitting a using declaration", Language::kCpp,
     "struct view {\n  using value_type =\n#ifdef HAVE_RANGES\n      std::iter_value_t<It>;\n#else\n"
     "      typename std::iterator_traits<It>::value_type;\n#endif\n  int f(int x) { return x ? 1 : 0; }\n};\n",
     "splitting a statement or declaration", "view.f", 2},
    {"cpp explicit operator calls on members", Language::kCpp,
     "int h(T& t, U* u) {\n  if (t.operator[](1)) return u->operator()(2);\n  return t.operator==(t);\n}\n",
     "explicit call of an operator function", "h", 2},
    {"cpp explicit operator call in a declaration head", Language::kCpp,
     "template <typename T> struct is_cont<T, void_t<decltype(std::declval<T&>().operator[](size_t()))>>\n"
     "    : std::true_type {};\nint f(int x) { return x ? 1 : 0; }\n",
     "explicit call of an operator function", "f", 2},
    {"cpp operator() called with template arguments", Language::kCpp,
     "struct p {\n  void operator()(bool v) {\n    if (t != 's') operator()<bool>(v);\n  }\n};\n",
     "explicit call of an operator function", "p.operator()", 2},
    {"cpp Microsoft calling convention", Language::kCpp,
     "__declspec(dllimport) int __stdcall write_console(void*, unsigned);\n"
     "static int __cdecl cmp(const void* a, const void* b) { return a < b ? -1 : 1; }\n",
     "Microsoft calling convention", "cmp", 2},
    {"cpp try and catch macros with their blocks on one line", Language::kCpp,
     "struct buf {\n  ~buf() {\n    LIB_TRY { if (n) flush(); }\n    LIB_CATCH(...) {}\n  }\n};\n",
     "macro opening a block NAME {", "buf.~buf", 2},
    {"cpp explicit instantiation of a class template", Language::kCpp,
     "template class access<tag, std::filebuf, &std::filebuf::file_>;\ntemplate struct holder<int>;\n"
     "int f(int x) { return x ? 1 : 0; }\n",
     "explicit instantiation of a class template", "f", 2},
    {"cpp conditional group choosing a namespace name", Language::kCpp,
     "namespace\n#ifdef USE_STD\nstd\n#else\nlib\n#endif\n{\nint f(int x) { return x ? 1 : 0; }\n}\n",
     "splitting a statement or declaration", "std.f", 2},
    {"cpp conditional group after a template head", Language::kCpp,
     "template <typename... Args>\n#if HAVE_FORMAT\nusing fmt_string = std::format_string<Args...>;\n#else\n"
     "using fmt_string = lib::format_string<Args...>;\n#endif\nint f(int x) { return x ? 1 : 0; }\n",
     "splitting a statement or declaration", "f", 2},
    {"cpp conditional member initialiser after a closed one", Language::kCpp,
     "msg::msg(int a, int b)\n    : a_(a),\n      b_(b)\n#ifndef NO_THREAD_ID\n      ,\n      tid_(os::tid())\n#endif\n{\n"
     "  if (a) g();\n}\n",
     "splitting a statement or declaration", "msg.msg", 2},
    {"cpp test macros with their braces on the next line", Language::kCpp,
     "TEST_CASE(\"capacity\")\n{\n    SECTION(\"boolean\")\n    {\n        if (x) CHECK(j.empty());\n    }\n}\n",
     "string literal as a test macro argument", "TEST_CASE", 2},
    {"cpp specifier macro before a constructor of a class template", Language::kCpp,
     "template <typename M>\nLIB_INLINE sink<M>::sink(FILE *f, int mode)\n    : f_(f) {\n  if (mode) g();\n}\n",
     "attribute or calling-convention macro", "sink<M>.sink", 2},
    {"cpp specifier macro ending the line before a qualified declarator", Language::kCpp,
     "template <typename M>\nvoid LIB_INLINE\nns::sink<M>::set(int x) {\n  if (x) g();\n}\n",
     "attribute or calling-convention macro", "ns.sink<M>.set", 2},
    {"cpp macro standing for an access specifier", Language::kCpp,
     "class basic {\n  LIB_PRIVATE_UNLESS_TESTED:\n    int f(int x) { return x ? 1 : 0; }\n  public:\n    int g;\n};\n",
     "access specifier", "basic.f", 2},
    {"cpp reference type as a macro argument", Language::kCpp,
     "void t(json& j) {\n  CHECK_THROWS_AS(j.dump(), json::type_error&);\n  if (j.empty()) CHECK_THROWS_WITH_AS(f(), \"x\", std::bad_alloc&);\n}\n",
     "reference type as a macro argument", "t", 2},
    {"c string literal in a condition", Language::kC,
     "#if LIB_HAS_WARNING(\"-Wvariadic-macros\", 4, 0, 0)\n#define LIB_OK 1\n#endif\nint f(int x) { return x ? 1 : 0; }\n",
     "string literal in a condition", "f", 2},
    {"cpp test macro name with a decorator", Language::kCpp,
     "TEST_CASE(\"roundtrips\" * doctest::skip())\n{\n    if (x) CHECK(j.empty());\n}\n",
     "string literal as a test macro argument", "TEST_CASE", 2},
    {"cpp typename before a functional cast", Language::kCpp,
     "template <typename J> void to(J& j, const B& b) {\n  j.value = typename J::binary_t(b);\n  if (b.empty()) g();\n}\n",
     "typename in an expression", "to", 2},
    {"c attribute macro after a prototype", Language::kC,
     "typedef int jv;\njv jv_fmt(const char*, va_list) LIB_VPRINTF_LIKE(1);\nint f(int x) { return x ? 1 : 0; }\n",
     "attribute macro after a prototype", "f", 2},
    {"c #include inside an initialiser", Language::kC,
     "static const struct op ops[] = {\n#include \"ops.h\"\n};\nint f(int x) { return x ? 1 : 0; }\n",
     "#include inside an initialiser", "f", 2},
    {"c storage keyword alone in a conditional group", Language::kC,
     "#ifndef WIN32\nstatic\n#endif\nvoid fini(int x) {\n  if (x) g();\n}\n",
     "conditional attribute before a declaration", "fini", 2},
    {"cpp macro between if and its condition", Language::kCpp,
     "template <typename T> int f(T v) {\n  if CONSTEXPR20 (sizeof(T) > 4) {\n    return 1;\n  }\n  return 0;\n}\n",
     "between if and its condition", "f", 2},
    {"cpp throw as a macro argument", Language::kCpp,
     "void f(int x) {\n  EXPECT_THROW(throw error(\"x\"), std::exception);\n  if (x) g();\n}\n",
     "throw expression", "f", 2},
    {"cpp export macro between class and name", Language::kCpp,
     "class LIB_API reporter : public base {\n public:\n  int f(int x) { return x ? 1 : 0; }\n};\n",
     "between class and its name", "reporter.f", 2},
    {"cpp macro invocation with type arguments at file level", Language::kCpp,
     "DECLARE_KIND(signed char, k_int);\nDECLARE_KIND(unsigned long, k_int);\nint f(int x) { return x ? 1 : 0; }\n",
     "macro invocation standing for declarations", "f", 2},
    {"cpp module declarations", Language::kCpp,
     "module;\n#include <cstdio>\nexport module geometry;\nimport std;\nexport namespace geo {\nint f(int x) { return x ? 1 : 0; }\n}\n",
     "module declaration", "geo.f", 2},
    {"cpp export before a template", Language::kCpp,
     "export template <typename T> int f(T x) { return x ? 1 : 0; }\n", "export before a declaration", "f", 2},
    {"cpp specifier macro before a destructor", Language::kCpp,
     "class file {\n public:\n  LIB_API ~file() noexcept;\n  int f(int x) { return x ? 1 : 0; }\n};\n",
     "calling-convention", "file.f", 2},
    {"cpp visibility macro with arguments before the class name", Language::kCpp,
     "class LIB_VISIBILITY(\"default\") failure : public std::runtime_error {\n public:\n"
     "  int f(int x) { return x ? 1 : 0; }\n};\n",
     "between class and its name", "failure.f", 2},
    {"cpp {} default argument", Language::kCpp,
     "auto read(int it, const specs& s = {}) -> int {\n  return it ? 1 : 0;\n}\n", "{} as a default argument", "read", 2},
    {"cpp scoped attribute in a condition", Language::kCpp,
     "#if __has_cpp_attribute(clang::lifetimebound)\nint f(int x) { return x ? 1 : 0; }\n#endif\n",
     "scoped attribute name", "f", 2},
    {"cpp attribute macro after a parameter", Language::kCpp,
     "auto join(const T& tuple LIB_LIFETIMEBOUND, int sep) -> int {\n  return sep ? 1 : 0;\n}\n",
     "after a parameter", "join", 2},
    {"cpp keyword as a test macro argument", Language::kCpp,
     "TEST(format_test, enum) {\n  if (x) y();\n}\n", "keyword as a test macro argument", "TEST", 2},
    {"cpp macro invocation in a local class", Language::kCpp,
     "TEST(stream_test, write) {\n  struct mock_buf : buf {\n    MOCK_METHOD(long, put, (const void*, long));\n  };\n"
     "  if (x) y();\n}\n",
     "macro invocation standing for declarations", "TEST", 2},
    {"cpp constructor behind two specifier macros", Language::kCpp,
     "struct fstr {\n  template <typename S>\n  LIB_CONSTEVAL LIB_INLINE fstr(const S& s) : str_(s) {}\n"
     "  int f(int x) { return x ? 1 : 0; }\n};\n",
     "calling-convention", "fstr.f", 2},
    {"cpp pointer-to-member operators", Language::kCpp,
     "template <class C> auto call(C* obj, int (C::*method)()) -> int {\n  return obj ? (obj->*method)() : 0;\n}\n",
     "pointer-to-member", "call", 2},
    {"cpp functional cast to unsigned", Language::kCpp,
     "void set(int size) {\n  data_ = (data_ & ~mask) | (unsigned(size) << shift);\n  if (size) g();\n}\n",
     "functional cast", "set", 2},
    {"cpp using typename", Language::kCpp,
     "struct alloc : base {\n  using typename base::value_type;\n  int f(int x) { return x ? 1 : 0; }\n};\n",
     "using typename", "alloc.f", 2},
    {"cpp extern template", Language::kCpp,
     "extern template auto sep_impl<char>(locale_ref) -> char;\nint f(int x) { return x ? 1 : 0; }\n",
     "extern template", "f", 2},
    {"cpp unnamed enum with a base", Language::kCpp,
     "struct specs {\n  enum : unsigned { width_mask = 0xf };\n  int f(int x) { return x ? 1 : 0; }\n};\n",
     "unnamed enum", "specs.f", 2},
    {"cpp pointer default of a template parameter", Language::kCpp,
     "template <bool B, typename T, typename Ptr = const T*> class arg_converter {\n"
     "  int f(int x) { return x ? 1 : 0; }\n};\n",
     "template parameter default", "arg_converter.f", 2},
    {"cpp deleted declaration", Language::kCpp,
     "template <typename... T> void make_args(const T&...) = delete;\nint f(int x) { return x ? 1 : 0; }\n",
     "= delete", "f", 2},
    {"cpp pointer-to-member declarator", Language::kCpp,
     "struct arr {\n  void (arr::*clone_)(const int*, size_t);\n  int f(int x) { return x ? 1 : 0; }\n};\n",
     "pointer-to-member declarator", "arr.f", 2},
    {"cpp comma in decltype", Language::kCpp,
     "template <typename U> auto check(U* p) -> decltype(std::tuple_size<U>::value, 0);\n"
     "int f(int x) { return x ? 1 : 0; }\n",
     "comma expression in decltype", "f", 2},
    {"cpp typename before a temporary", Language::kCpp,
     "template <typename T> void f(T x) {\n  g(typename T::value_type(), 0);\n  if (x) h();\n}\n",
     "typename before a temporary", "f", 2},
    {"cpp macro naming a type in a typedef", Language::kCpp,
     "template <typename T> struct s {\n  typedef REMOVE_REFERENCE_(T) RawT;\n  int f(int x) { return x ? 1 : 0; }\n};\n",
     "macro naming a type", "s.f", 2},
    {"cpp attribute macro after a declarator", Language::kCpp,
     "void getter::leave() LOCKS_EXCLUDED_(mutex_) {\n  if (x) y();\n}\n", "attribute macro after a declarator",
     "getter.leave", 2},
    {"cpp macro between string literals", Language::kCpp,
     "const char* help = \"run \" TOOL_NAME_ \" with care\";\nint f(int x) { return x ? 1 : 0; }\n",
     "between string literals", "f", 2},
    {"cpp namespace macro", Language::kCpp,
     "FMT_BEGIN_NAMESPACE\nnamespace detail {\nint f(int a) { return a ? 1 : 2; }\n}\nFMT_END_NAMESPACE\n",
     "lone macro name", "detail.f", 2},
    {"cpp specifier macro before a constructor", Language::kCpp,
     "template <typename T> struct node {\n  T value;\n  template <typename A>\n  FMT_CONSTEXPR node(const A& a) : value(a) {}\n"
     "  int get() const { return value ? 1 : 0; }\n};\n",
     "calling-convention", "node.get", 2},
    {"cpp thread-safety annotation after a member's name", Language::kCpp,
     "class db {\n  std::map<int, int> files_ GUARDED_BY(mutex_);\n  int stats_[kLevels] GUARDED_BY(mutex_);\n"
     "  int f(int x) { return x ? 1 : 0; }\n};\n",
     "attribute macro after a declarator", "db.f", 2},
    {"cpp annotation before constructor initialisers", Language::kCpp,
     "class lock {\n public:\n  explicit lock(mutex* mu) EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) {\n"
     "    if (mu_) mu_->lock();\n  }\n};\n",
     "attribute macro after a declarator", "lock.lock", 2},
    {"cpp annotation on the declarator's next line", Language::kCpp,
     "class db {\n  void compact(int level)\n      EXCLUSIVE_LOCKS_REQUIRED(mutex_);\n"
     "  int f(int x) { return x ? 1 : 0; }\n};\n",
     "attribute macro after a declarator", "db.f", 2},
    {"cpp format macro after a string literal", Language::kCpp,
     "void show(uint64_t n) {\n  printf(\"%8\" PRIu64 \" bytes\\n\", n);\n  std::printf(\"%\" PRIu64, n);\n  if (n) g();\n}\n",
     "between string literals", "show", 2},
    {"cpp new of an array of pointers", Language::kCpp,
     "void grow(int n) {\n  node** list = new node*[n];\n  if (n) g(list);\n}\n", "array of pointers", "grow", 2},
    {"cpp conditional attribute after a declarator", Language::kCpp,
     "void log(const char* format, ...)\n#if defined(__GNUC__)\n    __attribute__((__format__(__printf__, 1, 2)))\n"
     "#endif\n    ;\nint f(int x) { return x ? 1 : 0; }\n",
     "conditional attribute after a declarator", "f", 2},
    {"cpp conditional member initialisers", Language::kCpp,
     "class limiter {\n public:\n  limiter(int n)\n      :\n#if !defined(NDEBUG)\n        max_(n),\n#endif\n"
     "        allowed_(n) {\n    if (n) g();\n  }\n};\n",
     "conditional member initialisers", "limiter.limiter", 2},
    {"cpp string literal as a test macro argument", Language::kCpp,
     "MATCHER(IsOk, \"\") { return arg.ok() ? 1 : 0; }\nTEST_CASE(\"parse\", \"[json]\") {\n  if (x) y();\n}\n",
     "string literal as a test macro argument", "TEST_CASE", 2},
    {"cpp extern C block closed behind a comment", Language::kCpp,
     "#ifdef __cplusplus\nextern \"C\" {\n#endif\nint f(int x) { return x ? 1 : 0; }\n#ifdef __cplusplus\n"
     "} /* end extern \"C\" */\n#endif\n",
     "extern \"C\" block", "f", 2},
    {"cpp noexcept macro after const and before initialisers", Language::kCpp,
     "struct pool {\n  pool(const pool& rhs) LIB_NOEXCEPT : n_(rhs.n_) {}\n"
     "  bool operator==(const pool&) const LIB_NOEXCEPT { return n_ ? true : false; }\n};\n",
     "after a function declarator", "pool.operator==", 2},
    {"cpp new of a const array of pointers and a run of macros between literals", Language::kCpp,
     "void f(int n) {\n  const char** p = new const char*[n];\n  check(\"a\" EURO EURO \"b\");\n  if (n) g();\n}\n",
     "array of pointers", "f", 2},
    {"cpp macro standing for if before an else", Language::kCpp,
     "void f(int n) {\n  LIB_IF_CONSTEXPR (sizeof(T) == 1) {\n    a();\n  }\n  else {\n    b();\n  }\n}\n",
     "standing for if", "f", 2},
    {"cpp macro as template parameter", Language::kCpp,
     "template <typename T, FMT_ENABLE_IF(!std::is_same<T, int>::value &&\n                                 has_x<T>::value)>\n"
     "int f(T v) { if (v) return 1; return 0; }\n",
     "template parameter", "f", 2},
    {"cpp attribute macro between const and override", Language::kCpp,
     "class error : public std::exception {\npublic:\n  const char *what() const LIB_NOEXCEPT override;\n"
     "  int f(int x) { return x ? 1 : 0; }\n};\n",
     "attribute macro after a function declarator", "error.f", 2},
    {"cpp attribute macro on the line after the declarator", Language::kCpp,
     "LIB_CONSTEXPR_FUNC view to_view(const buf_t &buf)\n    LIB_NOEXCEPT {\n  return buf.size() ? view{} : view{};\n}\n",
     "attribute macro after a function declarator", "to_view", 2},
    {"cpp macro standing for an array's initialiser", Language::kCpp,
     "static const char *level_names[] LIB_LEVEL_NAMES;\nint f(int x) { return x ? 1 : 0; }\n",
     "macro standing for an initialiser", "f", 2},
    {"cpp try macro glued to the body's brace", Language::kCpp,
     "void flush_(int n){LIB_TRY{if (n) send();\n}\nLIB_CATCH(n)\n}\n",
     "macro opening a block NAME {", "flush_", 2},
};

}  // namespace

TEST(RealWorld, MasksMakeEachConstructParse) {
  for (const auto& c : kMasks) {
    AnalyzeOptions opt;
    opt.explain = true;
    auto m = analyze_source(c.src, c.lang, opt);
    EXPECT_EQ(m.parse_errors, 0) << c.what << ": " << obscore::ast::syntax_tree(c.src, c.lang);
    EXPECT_TRUE(has_assumption(m, "mask", c.rule)) << c.what;
    const auto* f = find(m, c.function);
    ASSERT_NE(f, nullptr) << c.what << ": " << names(m);
    EXPECT_EQ(f->cyclomatic, c.cyclomatic) << c.what;
    EXPECT_EQ(m.lines, static_cast<int>(std::count(c.src, c.src + std::strlen(c.src), '\n'))) << c.what;
  }
}

// Without masks the same snippets do not parse: the masks are what makes them read.
TEST(RealWorld, MaskedSnippetsFailWithoutTheirMask) {
  for (const auto& c : kMasks) {
    std::string tree = obscore::ast::syntax_tree_unmasked(c.src, c.lang);
    EXPECT_TRUE(tree.find("ERROR") != std::string::npos || tree.find("MISSING") != std::string::npos)
        << c.what << " parses without its mask: the mask is not needed";
  }
}

// The mask rules look around what they match: texts that end or begin right at a rule's edge
// (run under the asan preset, where a read past the text fails).
TEST(RealWorld, MasksStayInsideTheText) {
  const char* swift[] = {";", " ;", "}\n  label:", "}\n  label: ", "}\n  label:   ", "{ [", "{ (", "await",
                         "if x, await", "associatedtype T: A,", "x ;"};
  const char* kotlin[] = {"if", "x if", "is A if", "context(", "context(a: A)", "get<", "get(", "set(",
                          "constructor", "val constructor", "@A\n@B\nconstructor", "field", "val x: Int\nfield =",
                          "val g\n  @C\n  get"};
  for (const char* src : swift) {
    auto m = analyze_source(src, Language::kSwift);
    EXPECT_GE(m.lines, 1) << src;
  }
  for (const char* src : kotlin) {
    auto m = analyze_source(src, Language::kKotlin);
    EXPECT_GE(m.lines, 1) << src;
  }
}

// Clean code is not masked: no assumption on an ordinary file.
TEST(RealWorld, CleanFilesAreNotMasked) {
  AnalyzeOptions opt;
  opt.explain = true;
  auto m = analyze_source("int f(int a) {\n  if (a) { return 1; }\n  return 0;\n}\n", Language::kC, opt);
  EXPECT_TRUE(m.assumptions.empty());
  m = analyze_source("class A {\n  func f() -> Int { return x ?? 0 }\n}\n", Language::kSwift, opt);
  EXPECT_TRUE(m.assumptions.empty());
}

// Kotlin soft keywords that declare (accessors, secondary and primary constructors), an if-else
// chain with an arrow in a lambda, and a comment mentioning a guard are not masked.
TEST(RealWorld, KotlinDeclaringSoftKeywordsAndIfChainsAreNotMasked) {
  AnalyzeOptions opt;
  opt.explain = true;
  const char* src =
      "class A internal constructor(val n: Int) {\n"
      "  // TODO: move this here.\n"
      "  constructor(s: String) : this(s.length)\n"
      "  @Inject constructor(d: Double) : this(d.toInt())\n"
      "  var x: Int = 0\n"
      "    get() = field\n"
      "    set(value) { field = value }\n"
      "  val y: Int\n"
      "    get() {\n      return if (n > 0) 1 else 0\n    }\n"
      "  fun f(a: Int): List<Int> {\n"
      "    // is A if the code -> matches\n"
      "    if (a > 1) {\n      return emptyList()\n    } else if (a > 0) { return listOf(a).map { b -> b } }\n"
      "    return listOf()\n  }\n"
      "}\n";
  auto m = analyze_source(src, Language::kKotlin, opt);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_TRUE(m.assumptions.empty()) << m.assumptions.front().detail;
}

// A Kotlin modifier keyword called as a function is masked (`apply { open(file) }`), never the
// name of a function declaration (`fun value(v: Int)` keeps its name).
TEST(RealWorld, KotlinFunctionNamedLikeAModifierKeepsItsName) {
  auto m = analyze_source("class W {\n  fun value(v: Int): Int {\n    return if (v > 0) 1 else 0\n  }\n"
                          "  fun use(f: File) = apply { open(f) }\n  fun <T> open(x: T): T = x\n}\n",
                          Language::kKotlin, AnalyzeOptions{});
  EXPECT_EQ(m.parse_errors, 0);
  ASSERT_NE(find(m, "W.value"), nullptr) << names(m);
  ASSERT_NE(find(m, "W.open"), nullptr) << names(m);
}

// A macro invocation continued on the next line (`<< "message";`) is an expression statement:
// it is not blanked as a macro standing for statements.
TEST(RealWorld, ContinuedMacroInvocationIsNotMasked) {
  AnalyzeOptions opt;
  opt.explain = true;
  auto m = analyze_source("void f(int x) {\n  CHECK_THAT(x > 0)\n      << \"x must be positive\";\n  if (x) g();\n}\n",
                          Language::kCpp, opt);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_FALSE(has_assumption(m, "mask", "macro invocation"));
  const auto* f = find(m, "f");
  ASSERT_NE(f, nullptr) << names(m);
  EXPECT_EQ(f->cyclomatic, 2);
}

// An upper-case type before a C function name is a return type, not a specifier macro: nothing
// is masked and the function keeps its name.
TEST(RealWorld, UpperCaseReturnTypeIsNotMasked) {
  AnalyzeOptions opt;
  opt.explain = true;
  const char* src = "static CURSOR_INFO get_info(int fd) {\n  CURSOR_INFO i;\n  if (fd) i.x = 1;\n  return i;\n}\n";
  auto m = analyze_source(src, Language::kC, opt);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_TRUE(m.assumptions.empty()) << m.assumptions.front().detail;
  const auto* f = find(m, "get_info");
  ASSERT_NE(f, nullptr) << names(m);
  EXPECT_EQ(f->cyclomatic, 2);
}

// An upper-case function with a parameter list (`Result MAKE_RESULT(int n) {`) is a function,
// not a name followed by an attribute macro: its parameters are declarations, so nothing is
// masked and the row keeps its name.
TEST(RealWorld, UpperCaseFunctionAfterItsTypeIsNotAnAnnotation) {
  AnalyzeOptions opt;
  opt.explain = true;
  const char* src = "class maker {\n  result MAKE_RESULT(int n) {\n    if (n) return a();\n    return b();\n  }\n};\n";
  auto m = analyze_source(src, Language::kCpp, opt);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_FALSE(has_assumption(m, "mask", "attribute macro after a declarator"));
  const auto* f = find(m, "maker.MAKE_RESULT");
  ASSERT_NE(f, nullptr) << names(m);
  EXPECT_EQ(f->cyclomatic, 2);
}

// `thread_local` is a storage class like `static`: the upper-case type after it is a type, not
// a specifier macro; and a literal's prefix (`L"x"`, `u8"x"`) is not a macro between literals.
TEST(RealWorld, ThreadLocalTypesAndLiteralPrefixesAreNotMasked) {
  AnalyzeOptions opt;
  opt.explain = true;
  auto m = analyze_source("thread_local const RE2* context = nullptr;\nint f(int x) { return x ? 1 : 0; }\n",
                          Language::kCpp, opt);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_TRUE(m.assumptions.empty()) << m.assumptions.front().detail;
  m = analyze_source("void f(int n) {\n  auto w = L\"ab\" L\"cd\";\n  auto u = u8\"x\" \"y\";\n  if (n) g();\n}\n",
                     Language::kCpp, opt);
  EXPECT_EQ(m.parse_errors, 0);
  EXPECT_TRUE(m.assumptions.empty()) << m.assumptions.front().detail;
}

// ---- every body with logic is a row (section 3) -----------------------------------------------

namespace {

void expect_row(const FileMetrics& m, const std::string& qualified, const std::string& kind, int start,
                int cyclomatic, int cognitive) {
  const auto* f = find(m, qualified);
  ASSERT_NE(f, nullptr) << qualified << " missing: " << names(m);
  EXPECT_EQ(f->kind, kind) << qualified;
  EXPECT_EQ(f->start_line, start) << qualified;
  EXPECT_EQ(f->cyclomatic, cyclomatic) << qualified;
  EXPECT_EQ(f->cognitive, cognitive) << qualified;
}

}  // namespace

TEST(RealWorld, KotlinAccessorsInitBlocksAndConstructorsAreRows) {
  const char* src =
      "class A {\n"
      "  val x: Int\n"
      "    get() = if (a) 1 else 2\n"
      "  var y: Int = 0\n"
      "    set(value) {\n"
      "      if (value > 0 && value < 9) field = value\n"
      "    }\n"
      "  val plain: Int = 3\n"
      "  init {\n"
      "    for (i in 0..2) { if (i == 1) b() }\n"
      "  }\n"
      "  constructor(x: Int) : this() {\n"
      "    if (x > 0) c()\n"
      "  }\n"
      "  enum class E { ONE { override fun f() = if (a) 1 else 2 }, TWO }\n"
      "}\n";
  auto m = analyze_source(src, Language::kKotlin);
  EXPECT_EQ(m.parse_errors, 0);
  expect_row(m, "A.x.get", "getter", 3, 2, 2);        // if, else
  expect_row(m, "A.y.set", "setter", 5, 3, 2);        // if, &&
  expect_row(m, "A.init", "init_block", 9, 3, 3);     // for 1, if 1+1
  expect_row(m, "A.constructor", "constructor", 12, 2, 1);
  expect_row(m, "A.E.ONE.f", "method", 15, 2, 2);
  EXPECT_EQ(find(m, "A.plain.get"), nullptr);  // no body, no row
}

TEST(RealWorld, SwiftAccessorsObserversSubscriptsAndInitialisersAreRows) {
  const char* src =
      "class A {\n"
      "  var x: Int {\n"
      "    get { return a ? 1 : 2 }\n"
      "    set { if newValue > 0 { b = newValue } }\n"
      "  }\n"
      "  var y: Int { a ? 1 : 2 }\n"
      "  var z: Int = 0 {\n"
      "    willSet { if a { } }\n"
      "    didSet { guard b else { return } }\n"
      "  }\n"
      "  subscript(i: Int) -> Int {\n"
      "    if i > 0 { return 1 }\n"
      "    return 0\n"
      "  }\n"
      "}\n"
      "extension A {\n"
      "  convenience init(v: Int) {\n"
      "    if v > 0 { print(v) }\n"
      "    self.init()\n"
      "  }\n"
      "  deinit {\n"
      "    if a { }\n"
      "  }\n"
      "}\n";
  auto m = analyze_source(src, Language::kSwift);
  EXPECT_EQ(m.parse_errors, 0);
  expect_row(m, "A.x.get", "getter", 3, 2, 1);
  expect_row(m, "A.x.set", "setter", 4, 2, 1);
  expect_row(m, "A.y.get", "getter", 6, 2, 1);
  expect_row(m, "A.z.willSet", "observer", 8, 2, 1);
  expect_row(m, "A.z.didSet", "observer", 9, 2, 1);
  expect_row(m, "A.subscript", "subscript", 11, 2, 1);
  expect_row(m, "A.init", "initializer", 17, 2, 1);
  expect_row(m, "A.deinit", "deinitializer", 21, 2, 1);
}

TEST(RealWorld, JavaInitialiserBlocksAndEnumConstantBodiesAreRows) {
  const char* src =
      "class A {\n"
      "  static {\n"
      "    if (a) b();\n"
      "  }\n"
      "  {\n"
      "    for (int i = 0; i < 3; i++) c();\n"
      "  }\n"
      "  enum E {\n"
      "    X {\n"
      "      int f() { return a ? 1 : 2; }\n"
      "    },\n"
      "    Y\n"
      "  }\n"
      "}\n";
  auto m = analyze_source(src, Language::kJava);
  EXPECT_EQ(m.parse_errors, 0);
  expect_row(m, "A.static", "initializer", 2, 2, 1);
  expect_row(m, "A.init", "initializer", 5, 2, 1);
  expect_row(m, "A.E.X.f", "method", 10, 2, 1);
}

// start_line is the declaration's own line; first_line keeps the annotations' first line.
TEST(RealWorld, StartLineExcludesAnnotationsFirstLineKeepsThem) {
  const char* java =
      "class A {\n"
      "  @SuppressWarnings(\"x\")\n"
      "  @Override\n"
      "  public void f() {\n"
      "    if (a) b();\n"
      "  }\n"
      "  void g() { }\n"
      "}\n";
  auto m = analyze_source(java, Language::kJava);
  ASSERT_EQ(m.functions.size(), 2u);
  EXPECT_EQ(m.functions[0].start_line, 4);
  EXPECT_EQ(m.functions[0].first_line, 2);
  EXPECT_EQ(m.functions[0].loc, 3);
  EXPECT_EQ(m.functions[1].first_line, 0);  // nothing precedes it
  const char* kotlin = "class A {\n  @Test\n  @Throws(E::class)\n  fun t() {\n  }\n}\n";
  auto k = analyze_source(kotlin, Language::kKotlin);
  ASSERT_EQ(k.functions.size(), 1u);
  EXPECT_EQ(k.functions[0].start_line, 4);
  EXPECT_EQ(k.functions[0].first_line, 2);
  const char* swift = "class A {\n  @objc\n  @available(iOS 13, *)\n  public func f() {\n  }\n}\n";
  auto s = analyze_source(swift, Language::kSwift);
  ASSERT_EQ(s.functions.size(), 1u);
  EXPECT_EQ(s.functions[0].start_line, 4);
  EXPECT_EQ(s.functions[0].first_line, 2);
}
