// Serialisation naming policies: a code base that configures its JSON mapper to rename every
// property (Gson `FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES`, Jackson
// `PropertyNamingStrategies.SNAKE_CASE`, kotlinx.serialization `JsonNamingStrategy.SnakeCase`,
// Swift `keyDecodingStrategy = .convertFromSnakeCase`) sends keys that differ from the property
// names without any annotation on the fields. Read over masked source (see source.hpp).
#pragma once

#include <string>
#include <string_view>

#include "obscore/patterns/patterns.hpp"
#include "source.hpp"

namespace obscore::patterns {

// Records in `facts.naming_policies` the policies the file configures, each with the types it is
// known to apply to (a Swift decoder whose function decodes concrete types; a class annotated
// with @JsonNaming), or none (the whole code base of that language, or for Swift the package the
// file is in).
void collect_naming_policies(const MaskedSource& src, Lang lang, FileFacts& facts);

// The wire name `policy` gives the property `name` ("" when the style is unknown):
//   gson_snake  featureImage -> feature_image, userID -> user_i_d (Gson: '_' before each capital)
//   snake       featureImage -> feature_image, userID -> user_id, myURLValue -> my_url_value
//   kebab, gson_kebab, gson_dots, upper_camel, gson_upper_snake: likewise
std::string apply_naming(std::string_view style, std::string_view name);

}  // namespace obscore::patterns
