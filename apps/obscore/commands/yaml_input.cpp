#include "commands/yaml_input.hpp"

#include "obscore/config/document.hpp"
#include "obscore/core/error.hpp"

namespace obscore::app {

void load_yaml_documents(std::string_view text, const std::string& path,
                         const std::function<void(const core::Json&)>& use) {
  config::LoadResult loaded;
  try {
    loaded = config::load(text, path);
  } catch (const core::Error& e) {
    throw core::Error(core::ErrorKind::kUsage, e.what(), e.path(), e.line(), e.column());
  }
  for (const auto& doc : loaded.documents) {
    try {
      use(doc.value);
    } catch (const core::DataError& e) {
      config::Mark m = e.at_key() ? doc.key_mark(e.pointer()) : doc.mark(e.pointer());
      throw core::Error(core::ErrorKind::kUsage, e.what(), path, m.line, m.column);
    }
  }
}

}  // namespace obscore::app
