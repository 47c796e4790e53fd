// The depth check in front of nlohmann/json for untrusted text.
#include "obscore/core/json.hpp"

#include <string>

#include <gtest/gtest.h>

using namespace obscore::core;

namespace {

std::string nested(std::size_t n) { return std::string(n, '[') + std::string(n, ']'); }

TEST(Json, NestingUpToTheLimitIsAccepted) {
  EXPECT_FALSE(find_excess_nesting(nested(kMaxJsonDepth)));
  auto j = parse_untrusted_json(nested(kMaxJsonDepth));
  ASSERT_TRUE(j);
  EXPECT_TRUE(j->is_array());
}

TEST(Json, OneLevelMoreIsFoundAtItsPosition) {
  std::string text = "{\"a\": 1,\n \"b\": " + nested(kMaxJsonDepth + 1) + "}";
  auto at = find_excess_nesting(text);
  ASSERT_TRUE(at);
  EXPECT_EQ(at->line, 2);
  EXPECT_EQ(at->column, 7 + static_cast<int>(kMaxJsonDepth) - 1);  // the 1000th '[' is depth 1001
  std::optional<TextPosition> deep;
  EXPECT_FALSE(parse_untrusted_json(text, &deep));
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->line, 2);
  EXPECT_EQ(excess_nesting_message(), "nesting deeper than 1000 levels");
}

TEST(Json, BracketsInsideStringsAndEscapesDoNotCount) {
  std::string inside = "[\"" + std::string(5000, '[') + "\\\"" + std::string(5000, '{') + "\"]";
  EXPECT_FALSE(find_excess_nesting(inside));
  auto j = parse_untrusted_json(inside);
  ASSERT_TRUE(j);
  EXPECT_EQ(j->at(0).get<std::string>().size(), 10001u);
  // An escaped backslash ends the escape: the quote after it closes the string.
  std::string closed = R"(["\\", )" + nested(3) + "]";
  EXPECT_FALSE(find_excess_nesting(closed, 4));
  EXPECT_TRUE(find_excess_nesting(closed, 3));
}

TEST(Json, InvalidJsonIsNotAValue) {
  std::optional<TextPosition> deep;
  EXPECT_FALSE(parse_untrusted_json("{\"a\": ", &deep));
  EXPECT_FALSE(deep);
  EXPECT_FALSE(parse_untrusted_json("]]]]"));  // unbalanced closers never underflow the count
}

}  // namespace
