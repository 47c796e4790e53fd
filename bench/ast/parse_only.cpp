// Parse-only baseline for bench/ast/run: the same walk, read and parallel pipeline as
// `obscore ast --no-cache`, but tree-sitter parsing alone, no metrics, no output.
// usage: ast_parse_only [-j N] PATH...
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "obscore/ast/ast.hpp"
#include "obscore/core/parallel.hpp"
#include "obscore/core/read.hpp"
#include "obscore/core/walk.hpp"

int main(int argc, char** argv) {
  int threads = 0;
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-j" && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else {
      inputs.push_back(a);
    }
  }
  obscore::core::ThreadLimit limit(threads);
  obscore::core::WalkOptions wo;
  wo.accept = [](std::string_view p, const void*) {
    return obscore::ast::language_for_path(p).has_value();
  };
  auto walked = obscore::core::walk(inputs, wo);
  std::vector<std::size_t> nodes(walked.files.size());
  std::size_t total = 0, bytes = 0;
  std::vector<std::size_t> sizes(walked.files.size());
  obscore::core::for_each_ordered(
      walked.files.size(),
      [&](std::size_t i) {
        auto content = obscore::core::read_input(walked.files[i].path, false, {});
        if (!content) return;
        auto lang = obscore::ast::language_for_path(walked.files[i].path,
                                                    content->bytes().substr(0, 8192));
        if (!lang) return;
        sizes[i] = content->bytes().size();
        nodes[i] = obscore::ast::parse_only(content->bytes(), *lang);
      },
      [&](std::size_t i) {
        total += nodes[i];
        bytes += sizes[i];
      });
  std::printf("%zu files, %zu bytes, %zu top-level nodes\n", walked.files.size(), bytes, total);
  return 0;
}
