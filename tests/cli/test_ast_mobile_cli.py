"""`obscore ast` on Objective-C and Dart: languages per file (a .h by its content), method names,
gates, --explain's masks, the cache, --lang objc over headers."""
import os

OBJC_HEADER = """// Doxygen may say @class or @interface in a comment: it does not decide.
#import <Foundation/Foundation.h>
NS_ASSUME_NONNULL_BEGIN
typedef NS_ENUM(NSInteger, Mode) {
  ModeA,
  ModeB,
};
@interface Player : NSObject
- (void)play:(Mode)mode API_DEPRECATED_WITH_REPLACEMENT("start", ios(8.0, 13.0));
@end
NS_ASSUME_NONNULL_END
"""

OBJC_IMPL = """#import "Player.h"
@implementation Player
- (void)play:(Mode)mode {
  if (mode == ModeA && self.ready) {
    for (id x in self.items) { [x run]; }
  } else if (mode == ModeB) {
    dispatch_async(q, ^{ if (x) { [self stop]; } });
  }
  @try { [self load]; } @catch (NSException *e) { }
}
+ (instancetype)shared { return nil; }
@end
static int helper(int x) { return x > 0 ? x : 0; }
"""

C_HEADER = """/* a C header: the class of errors is described below */
#include <stdio.h>
int f(void);
"""

CPP_HEADER = """#pragma once
namespace n { class C { public: int g() { return 1; } }; }
"""

DART = """library;

class Counter {
  Counter(this.n);
  int n;
  int? _cache;

  int get value => _cache ?? n;

  String label(Object o) => switch (o) {
        Loading() => 'loading',
        int i when i > 0 => 'positive',
        _ => 'other',
      };

  void bump(List<int> xs) {
    xs.forEach((x) {
      if (x > 0) n += x;
    });
    try {
      n ~/= 0;
    } on UnsupportedError catch (e) {
      n = 0;
    }
  }
}
"""


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def by_path(doc):
    return {os.path.basename(r["path"]): r for r in doc["results"]}


def test_headers_are_read_by_their_content(run, tmp_path):
    write(tmp_path / "Player.h", OBJC_HEADER)
    write(tmp_path / "plain.h", C_HEADER)
    write(tmp_path / "templ.h", CPP_HEADER)
    write(tmp_path / "Player.m", OBJC_IMPL)
    doc = run("ast", "--no-cache", tmp_path).json()
    files = by_path(doc)
    assert files["Player.h"]["language"] == "objc"
    assert files["plain.h"]["language"] == "c"
    assert files["templ.h"]["language"] == "cpp"
    assert files["Player.m"]["language"] == "objc"
    assert all(r["parse_errors"] == 0 for r in doc["results"])
    assert doc["summary"]["languages"]["objc"] == {"files": 2, "functions": 3}


def test_objc_methods_functions_and_blocks(run, tmp_path):
    f = write(tmp_path / "Player.m", OBJC_IMPL)
    doc = run("ast", "--no-cache", f).json()
    fns = {x["qualified_name"]: x for x in doc["results"][0]["functions"]}
    assert list(fns) == ["-[Player play:]", "+[Player shared]", "helper"]
    play = fns["-[Player play:]"]
    # Cyclomatic: if, &&, for-in, else if, if in the block, catch (lizard). Cognitive: if 1, && 1,
    # for 2 (nested), else if 1, if 3 (else-if body + anonymous block: nesting 2), catch 1.
    assert (play["kind"], play["params"], play["cyclomatic"], play["cognitive"]) == ("method", 1, 7, 9)
    assert fns["helper"]["kind"] == "function"
    r = run("ast", "--no-cache", "--max-cyclomatic", "5", "--format", "json", f)
    assert r.code == 1
    assert [x["function"] for x in r.json()["results"][0]["findings"]] == ["-[Player play:]"]


def test_explain_lists_the_masks_and_the_cache_keeps_them(run, tmp_path):
    f = write(tmp_path / "Player.h", OBJC_HEADER)
    cache = tmp_path / "cache"
    first = run("ast", "--explain", "--cache-dir", cache, f).json()
    second = run("ast", "--explain", "--cache-dir", cache, f).json()
    assert second["summary"]["cache"]["hits"] == 1
    for doc in (first, second):
        details = [a["detail"] for a in doc["results"][0]["assumptions"]]
        assert any("NS_ENUM" in d for d in details), details
        assert any("NS_ASSUME_NONNULL_BEGIN" in d for d in details), details
        assert any("API_DEPRECATED_WITH_REPLACEMENT" in d for d in details), details
        assert all(a["kind"] == "mask" for a in doc["results"][0]["assumptions"])
    # Without --explain there is no assumptions key.
    plain = run("ast", "--no-cache", f).json()
    assert "assumptions" not in plain["results"][0]


def test_lang_objc_takes_headers_and_stdin(run, tmp_path):
    write(tmp_path / "d" / "Player.h", OBJC_HEADER)
    write(tmp_path / "d" / "Player.m", OBJC_IMPL)
    write(tmp_path / "d" / "x.c", "int g(void) { return 0; }\n")
    doc = run("ast", "--no-cache", "--lang", "objc", tmp_path / "d").json()
    assert sorted(by_path(doc)) == ["Player.h", "Player.m"]
    r = run("ast", "--no-cache", "--lang", "objective-c", "-", stdin=OBJC_IMPL.encode())
    assert r.code == 0
    assert r.json()["results"][0]["language"] == "objc"


def test_dart_rows_kinds_and_metrics(run, tmp_path):
    f = write(tmp_path / "lib" / "counter.dart", DART)
    doc = run("ast", "--no-cache", "--explain", f).json()
    res = doc["results"][0]
    assert res["language"] == "dart"
    assert res["parse_errors"] == 0
    fns = {x["qualified_name"]: x for x in res["functions"]}
    assert list(fns) == ["Counter.value.get", "Counter.label", "Counter.bump"]
    assert fns["Counter.value.get"]["kind"] == "getter"
    assert fns["Counter.value.get"]["cyclomatic"] == 2           # ??
    assert fns["Counter.label"]["cyclomatic"] == 3               # two arms besides _
    assert fns["Counter.bump"]["cyclomatic"] == 3                # if in the closure, on
    assert fns["Counter.bump"]["cognitive"] == 3                 # if nested in the closure, on
    details = [a["detail"] for a in res["assumptions"]]
    assert any("library;" in d for d in details)
    assert any("Loading()" in d for d in details)


def test_truncated_and_binary_mobile_sources(run, tmp_path):
    write(tmp_path / "cut.m", OBJC_IMPL[: len(OBJC_IMPL) // 2])
    write(tmp_path / "cut.dart", DART[: len(DART) // 2])
    (tmp_path / "bin.dart").write_bytes(b"\x00\x01\x02class A {}\xff\xfe" * 100)
    r = run("ast", "--no-cache", "--format", "json", tmp_path)
    assert r.code == 0
    files = by_path(r.json())
    assert files["cut.m"]["parse_errors"] > 0
    assert files["cut.dart"]["parse_errors"] > 0
    assert "bin.dart" not in files
    assert "bin.dart" in r.err and "binary" in r.err
