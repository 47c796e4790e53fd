#!/usr/bin/env python3
"""Deterministic synthetic mobile code base for `obscore patterns` benchmarks: Kotlin (Android
view models, Retrofit APIs, data classes, Compose screens), Java (services, records), Swift
(SwiftUI views, Codable models, URLSession/Alamofire clients) and TypeScript (web client).

    gen_corpus.py OUT_DIR [--files N] [--seed S]
"""
import argparse
import os
import random

WORDS = ["account", "order", "cart", "payment", "profile", "session", "invoice", "coupon",
         "address", "shipment", "review", "wallet", "ticket", "booking", "message", "device"]


def cap(w):
    return w[0].upper() + w[1:]


def filler(rng, lang, n):
    """Ordinary code without business patterns: loops, string building, logging."""
    out = []
    for i in range(n):
        v = rng.choice(WORDS)
        if lang == "kotlin":
            out.append(f"    private fun format{cap(v)}{i}(items: List<String>): String {{\n"
                       f"        val sb = StringBuilder()\n        for (item in items) {{\n"
                       f"            sb.append(item.trim()).append(\", \")\n        }}\n"
                       f"        Log.d(TAG, \"formatted {v} $sb\")\n        return sb.toString()\n    }}\n")
        elif lang == "swift":
            out.append(f"    private func format{cap(v)}{i}(_ items: [String]) -> String {{\n"
                       f"        var text = \"\"\n        for item in items {{\n"
                       f"            text += item.trimmingCharacters(in: .whitespaces) + \", \"\n        }}\n"
                       f"        print(\"formatted {v} \\(text)\")\n        return text\n    }}\n")
        elif lang == "java":
            out.append(f"    private String format{cap(v)}{i}(List<String> items) {{\n"
                       f"        StringBuilder sb = new StringBuilder();\n        for (String item : items) {{\n"
                       f"            sb.append(item.trim()).append(\", \");\n        }}\n"
                       f"        log.debug(\"formatted {v} {{}}\", sb);\n        return sb.toString();\n    }}\n")
        else:
            out.append(f"  private format{cap(v)}{i}(items: string[]): string {{\n"
                       f"    const parts: string[] = [];\n    for (const item of items) {{\n"
                       f"      parts.push(item.trim());\n    }}\n"
                       f"    console.debug(`formatted {v} ${{parts.join(', ')}}`);\n    return parts.join(', ');\n  }}\n")
    return "".join(out)


def kotlin_file(rng, i):
    w = rng.choice(WORDS)
    W = cap(w) + str(i)
    limit = rng.randint(1, 500)
    return f"""package com.example.{w}

import androidx.lifecycle.ViewModel
import kotlinx.coroutines.flow.MutableStateFlow
import retrofit2.http.*

sealed class {W}State {{
    object Idle : {W}State()
    object Loading : {W}State()
    data class Loaded(val items: List<{W}>) : {W}State()
    data class Failed(val reason: String) : {W}State()
}}

data class {W}(
    val id: String,
    val title: String,
    val amount: Long,
    val discountPercent: Int = 0,
)

interface {W}Api {{
    @GET("{w}s/{{id}}")
    suspend fun get(@Path("id") id: String): {W}

    @POST("{w}s")
    suspend fun create(@Body body: {W}): {W}
}}

class {W}ViewModel(private val api: {W}Api) : ViewModel() {{
    private val _state = MutableStateFlow<{W}State>({W}State.Idle)

    fun load(id: String) {{
        require(id.isNotBlank()) {{ "id required" }}
        _state.value = {W}State.Loading
        try {{
            val item = api.get(id)
            if (item.amount > {limit}) {{
                _state.value = {W}State.Failed("over limit")
                return
            }}
            val total = item.amount * item.discountPercent / 100
            _state.value = {W}State.Loaded(listOf(item))
        }} catch (e: IOException) {{
            _state.value = {W}State.Failed(e.message ?: "io")
        }}
    }}

{filler(rng, "kotlin", rng.randint(6, 14))}
    companion object {{ const val TAG = "{W}" }}
}}
"""


def swift_file(rng, i):
    w = rng.choice(WORDS)
    W = cap(w) + str(i)
    return f"""import SwiftUI

enum {W}Status {{
    case idle
    case loading
    case loaded([{W}])
    case failed(String)
}}

struct {W}: Codable, Identifiable {{
    let id: UUID
    var title: String
    var price: Decimal
    var note: String?
}}

final class {W}Store: ObservableObject {{
    @Published var status: {W}Status = .idle

    func refresh() async {{
        guard let url = URL(string: "https://api.example.com/{w}s") else {{ return }}
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        do {{
            let (data, _) = try await URLSession.shared.data(for: request)
            let items = try JSONDecoder().decode([{W}].self, from: data)
            if items.count == 0 {{
                status = .failed("empty")
            }} else {{
                status = .loaded(items)
            }}
        }} catch {{
            status = .failed(error.localizedDescription)
        }}
    }}

{filler(rng, "swift", rng.randint(6, 14))}
}}

struct {W}View: View {{
    @StateObject var store = {W}Store()
    var body: some View {{
        Button("Refresh") {{ Task {{ await store.refresh() }} }}
    }}
}}
"""


def java_file(rng, i):
    w = rng.choice(WORDS)
    W = cap(w) + str(i)
    return f"""package com.example.{w};

import java.util.List;
import java.util.Objects;

public record {W}Line(String sku, int quantity, long priceCents) {{}}

public class {W}Service {{
    public long charge({W}Line line) {{
        Objects.requireNonNull(line, "line");
        if (line.quantity() <= 0) {{
            throw new IllegalArgumentException("quantity");
        }}
        return line.priceCents() * line.quantity();
    }}

{filler(rng, "java", rng.randint(6, 14))}
}}
"""


def ts_file(rng, i):
    w = rng.choice(WORDS)
    W = cap(w) + str(i)
    return f"""export interface {W} {{
  id: string;
  quantity: number;
  note?: string;
}}

export type {W}Step = 'start' | 'details' | 'confirm' | 'done';

export class {W}Client {{
  async submit(items: {W}[]) {{
    if (items.length === 0) {{
      throw new Error("empty");
    }}
    const res = await fetch("/api/{w}s", {{ method: "POST" }});
    return res.json();
  }}

{filler(rng, "ts", rng.randint(6, 14))}
}}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    makers = [("android", "kt", kotlin_file, 0.4), ("ios", "swift", swift_file, 0.3),
              ("server", "java", java_file, 0.15), ("web", "ts", ts_file, 0.15)]
    for i in range(a.files):
        r = rng.random()
        acc = 0.0
        for folder, ext, make, share in makers:
            acc += share
            if r < acc or folder == "web":
                d = os.path.join(a.out, folder, f"m{i % 40:02d}")
                os.makedirs(d, exist_ok=True)
                with open(os.path.join(d, f"File{i}.{ext}"), "w") as f:
                    f.write(make(rng, i))
                break


if __name__ == "__main__":
    main()
