#!/usr/bin/env python3
"""Deterministic mixed-language corpus for `obscore ast` benchmarks.

usage: gen_corpus.py OUT_DIR [--files N] [--seed S]

Writes N source files (default 1000) spread over Python, Java, Kotlin, Swift, JavaScript,
TypeScript, Go, C, C++ and Rust, each with 4-14 functions (about 6.5 MB in all, 6.5 KB a file) of varied size and nesting. The same
seed always gives byte-identical files.
"""
import argparse
import os
import random

LANGS = ["py", "java", "kt", "swift", "js", "ts", "go", "c", "cpp", "rs"]


def cond(r, lang):
    a, b = r.choice("abcxyz"), r.randint(0, 99)
    op = r.choice([">", "<", "==", "!="])
    c = f"{a} {op} {b}"
    if r.random() < 0.3:
        joiner = {"py": " and "}.get(lang, " && ")
        c += joiner + f"{r.choice('abcxyz')} {r.choice(['>', '<'])} {r.randint(0, 9)}"
    return c


def body(r, lang, depth, lines, ind):
    pad = "    " * ind
    for _ in range(r.randint(3, 8) if depth == 0 else r.randint(1, 3)):
        k = r.random()
        if depth < 4 and k < 0.25:
            if lang == "py":
                lines.append(f"{pad}if {cond(r, lang)}:")
            elif lang in ("go", "rs", "swift"):
                lines.append(f"{pad}if {cond(r, lang)} {{")
            else:
                lines.append(f"{pad}if ({cond(r, lang)}) {{")
            body(r, lang, depth + 1, lines, ind + 1)
            if r.random() < 0.4:
                lines.append(f"{pad}else:" if lang == "py" else f"{pad}}} else {{")
                body(r, lang, depth + 1, lines, ind + 1)
            if lang != "py":
                lines.append(f"{pad}}}")
        elif depth < 4 and k < 0.35:
            n = r.randint(1, 50)
            loop = {
                "py": f"for i in range({n}):",
                "go": f"for i := 0; i < {n}; i++ {{",
                "rs": f"for i in 0..{n} {{",
                "swift": f"for i in 0..<{n} {{",
                "kt": f"for (i in 0 until {n}) {{",
                "js": f"for (let i = 0; i < {n}; i++) {{",
                "ts": f"for (let i = 0; i < {n}; i++) {{",
            }.get(lang, f"for (int i = 0; i < {n}; i++) {{")
            lines.append(pad + loop)
            body(r, lang, depth + 1, lines, ind + 1)
            if lang != "py":
                lines.append(f"{pad}}}")
        else:
            v = r.choice("abcxyz")
            stmt = {
                "py": f"{v} = {v} + {r.randint(1, 9)}",
                "go": f"{v} = {v} + {r.randint(1, 9)}",
                "rs": f"{v} += {r.randint(1, 9)};",
                "swift": f"{v} += {r.randint(1, 9)}",
                "kt": f"{v} += {r.randint(1, 9)}",
            }.get(lang, f"{v} = {v} + {r.randint(1, 9)};")
            lines.append(pad + stmt)
            if r.random() < 0.2:
                comment = "#" if lang == "py" else "//"
                lines.append(f"{pad}{comment} step {r.randint(0, 1000)}")


def function(r, lang, name, lines):
    vars_ = "a, b, c, x, y, z"
    if lang == "py":
        lines.append(f"def {name}(a, b, c, x=0, y=0, z=0):")
        body(r, lang, 0, lines, 1)
        lines.append("    return a")
    elif lang == "go":
        lines.append(f"func {name}(a, b, c, x, y, z int) int {{")
        body(r, lang, 0, lines, 1)
        lines.append("\treturn a\n}")
    elif lang == "rs":
        lines.append(f"fn {name}(mut a: i64, mut b: i64, mut c: i64, mut x: i64, mut y: i64, mut z: i64) -> i64 {{")
        body(r, lang, 0, lines, 1)
        lines.append("    a\n}")
    elif lang == "swift":
        lines.append(f"func {name}(_ a0: Int, _ b0: Int) -> Int {{")
        lines.append("    var a = a0, b = b0, c = 0, x = 0, y = 0, z = 0")
        body(r, lang, 0, lines, 1)
        lines.append("    return a\n}")
    elif lang == "kt":
        lines.append(f"fun {name}(a0: Int, b0: Int): Int {{")
        lines.append("    var a = a0; var b = b0; var c = 0; var x = 0; var y = 0; var z = 0")
        body(r, lang, 0, lines, 1)
        lines.append("    return a\n}")
    elif lang in ("js", "ts"):
        typ = ": number" if lang == "ts" else ""
        lines.append(f"function {name}(a{typ}, b{typ}, c{typ}, x{typ}, y{typ}, z{typ}){typ} {{")
        body(r, lang, 0, lines, 1)
        lines.append("    return a;\n}")
    elif lang == "java":
        lines.append(f"    static int {name}(int a, int b, int c, int x, int y, int z) {{")
        body(r, lang, 0, lines, 2)
        lines.append("        return a;\n    }")
    else:  # c, cpp
        lines.append(f"int {name}(int a, int b, int c, int x, int y, int z) {{")
        body(r, lang, 0, lines, 1)
        lines.append("    return a;\n}")
    lines.append("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    r = random.Random(args.seed)
    for i in range(args.files):
        lang = LANGS[i % len(LANGS)]
        sub = os.path.join(args.out, lang, f"pkg{i // 100}")
        os.makedirs(sub, exist_ok=True)
        lines = []
        cls = f"Mod{i}"
        if lang == "java":
            lines.append(f"public class {cls} {{")
        elif lang == "go":
            lines.append("package bench\n")
        for j in range(r.randint(4, 14)):
            function(r, lang, f"f{i}_{j}", lines)
        if lang == "java":
            lines.append("}")
        name = cls if lang in ("java", "kt", "swift") else f"mod{i}"
        with open(os.path.join(sub, f"{name}.{lang}"), "w") as fh:
            fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
