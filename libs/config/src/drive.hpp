// The event loop both builders share (the tree in load.cpp, the JSON text in to_json.cpp): it
// decodes each libfyaml event (marks, anchors, tags, the scalar resolved by the schema, plain
// `<<` as a merge key) and calls the builder, so the two cannot read a document differently.
#pragma once

#include <string>

#include "events.hpp"
#include "scalar.hpp"

namespace obscore::config::detail {

// Builder: document_start(Mark), document_end(), collection_start(bool is_map, Mark,
// string_view anchor, string_view tag), collection_end(), scalar(const Scalar&, string_view text,
// fy_event*, string_view anchor, bool merge_key), alias(string_view name, Mark), and
// [[noreturn]] fail(Mark, const std::string&).
template <typename Builder>
void drive(EventParser& parser, const LoadOptions& options, Builder& b) {
  std::string error;
  while (fy_event* e = parser.next()) {
    switch (e->type) {
      case FYET_DOCUMENT_START: b.document_start(event_mark(e)); break;
      case FYET_DOCUMENT_END: b.document_end(); break;
      case FYET_MAPPING_START:
      case FYET_SEQUENCE_START:
        b.collection_start(e->type == FYET_MAPPING_START, collection_mark(e), token_view(fy_event_get_anchor_token(e)),
                           token_view(fy_event_get_tag_token(e)));
        break;
      case FYET_MAPPING_END:
      case FYET_SEQUENCE_END: b.collection_end(); break;
      case FYET_SCALAR: {
        std::string_view value = parser.scalar_text(e);
        std::string_view tag = token_view(e->scalar.tag);
        bool plain = fy_token_scalar_style(e->scalar.value) == FYSS_PLAIN;
        auto s = resolve(value, plain, tag, options.yaml_1_1, error);
        if (!s) b.fail(scalar_mark(e), error);
        b.scalar(*s, value, e, token_view(e->scalar.anchor), tag.empty() && plain && value == "<<");
        break;
      }
      case FYET_ALIAS: b.alias(token_view(e->alias.anchor), sigil_mark(event_mark(e))); break;
      default: break;
    }
  }
}

}  // namespace obscore::config::detail
