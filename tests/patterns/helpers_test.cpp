// Request helpers (libs/patterns/src/helpers.hpp): the function around a request, the parameter
// its URL is built from, the calls that may hand a helper a path, and the substitution of a call's
// argument into the helper's URL expression. Snippets written here.
#include <gtest/gtest.h>

#include <string>

#include "helpers.hpp"
#include "naming.hpp"
#include "source.hpp"

namespace obscore::patterns {
namespace {

std::optional<FunctionSig> around(const std::string& text, Lang lang, const std::string& marker) {
  MaskedSource src = mask_source(text, lang);
  return enclosing_function(src.bare, lang, text.find(marker));
}

TEST(RequestHelpers, KotlinBlockAndExpressionBodies) {
  std::string block =
      "class Api(private val client: OkHttpClient) {\n"
      "    private fun delete(url: String, @Suppress(\"x\") retries: Int = 2) {\n"
      "        client.newCall(Request.Builder().url(url).delete().build()).execute()\n"
      "    }\n"
      "}\n";
  auto f = around(block, Lang::kKotlin, "Request.Builder");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->name, "delete");
  EXPECT_EQ(f->params, (std::vector<std::string>{"url", "retries"}));
  EXPECT_EQ(f->first_line, 2);
  EXPECT_EQ(f->last_line, 4);
  EXPECT_TRUE(f->file_private);
  EXPECT_FALSE(f->labelled);

  std::string expression =
      "class Gateway {\n"
      "    suspend inline fun <reified T> fetch(endpoint: String): T =\n"
      "        client.get(\"$baseUrl/$endpoint\").body()\n"
      "}\n";
  f = around(expression, Lang::kKotlin, "client.get");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->name, "fetch");
  EXPECT_EQ(f->params, (std::vector<std::string>{"endpoint"}));
  EXPECT_FALSE(f->file_private);

  // a trailing lambda and an extension receiver: the function is the declared one
  std::string lambda =
      "fun HttpClient.load(path: String) {\n"
      "    scope.launch { get(path) { header(\"a\", \"b\") } }\n"
      "}\n";
  f = around(lambda, Lang::kKotlin, "header");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->name, "load");
  // not in a function: a property initialiser
  EXPECT_FALSE(around("val client = HttpClient { install(Logging) }\n", Lang::kKotlin, "install"));
}

TEST(RequestHelpers, JavaMethodsPastControlBlocksAndLambdas) {
  std::string java =
      "public class Fetcher {\n"
      "    public String downloadRelative(final Context context, String relativePath) throws IOException {\n"
      "        try (Response r = client.newCall(new Request.Builder().url(SERVER + relativePath).build()).execute()) {\n"
      "            list.forEach(x -> { use(x); });\n"
      "            return r.body().string();\n"
      "        }\n"
      "    }\n"
      "}\n";
  auto f = around(java, Lang::kJava, "use(x)");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->name, "downloadRelative");
  EXPECT_EQ(f->params, (std::vector<std::string>{"context", "relativePath"}));
  EXPECT_EQ(parameter_in("SERVER + relativePath", *f), 1u);
}

TEST(RequestHelpers, SwiftLabelsAndInit) {
  std::string swift =
      "final class Client {\n"
      "    private func send(_ endpoint: String, with body: Data) async throws -> (Data, Int) {\n"
      "        var request = URLRequest(url: URL(string: \"https://\\(host)\" + endpoint)!)\n"
      "    }\n"
      "}\n";
  auto f = around(swift, Lang::kSwift, "URLRequest");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->name, "send");
  EXPECT_EQ(f->params, (std::vector<std::string>{"endpoint", "body"}));
  EXPECT_EQ(f->labels, (std::vector<std::string>{"", "with"}));
  EXPECT_TRUE(f->labelled);
  EXPECT_TRUE(f->file_private);
  EXPECT_EQ(parameter_in("\"https://\\(host)\" + endpoint", *f), 0u);
  // a literal's text is not a name: "/body" does not read the parameter body
  EXPECT_EQ(parameter_in("\"/body\"", *f), std::string::npos);
}

TEST(RequestHelpers, ParameterPrefersAPathName) {
  FunctionSig f;
  f.params = {"base", "id", "resourcePath"};
  EXPECT_EQ(parameter_in("\"$base/$resourcePath/$id\"", f), 2u);
  EXPECT_EQ(parameter_in("base + \"/items/\" + id", f), 1u);  // the last one when none is a path
  EXPECT_TRUE(path_like_name("endpointUrl"));
  EXPECT_TRUE(path_like_name("resourceURI"));
  EXPECT_FALSE(path_like_name("id"));
  EXPECT_TRUE(has_literal_letters("\"/users/$id\""));
  EXPECT_FALSE(has_literal_letters("\"$base/$path\""));
  EXPECT_FALSE(has_literal_letters("base + path"));
  EXPECT_FALSE(has_literal_letters("\"\\(host)\\(path)\""));
}

TEST(RequestHelpers, CallsThatMayGiveAPath) {
  std::string kotlin =
      "class Repo(private val api: Gateway) {\n"
      "    suspend fun a() = api.fetch(\"league/standings\")\n"
      "    suspend fun b(id: Int) = fetch<Player>(endpoint = \"players/$id\")\n"
      "    fun c() = download(context, Paths.COUNTRIES, 3)\n"
      "    fun d(path: String) = get(null, path)\n"
      "    fun e() = println(\"no path here\")\n"
      "    fun f(x: String = \"a/b\") = x\n"
      "}\n";
  MaskedSource src = mask_source(kotlin, Lang::kKotlin);
  FileFacts facts;
  collect_calls(src, Lang::kKotlin, kotlin, facts);
  std::vector<std::string> seen;
  for (const auto& c : facts.calls) {
    seen.push_back(c.callee + "#" + std::to_string(c.index) + "[" + c.label + "]=" + c.argument + "@" +
                   std::to_string(c.line) + (c.caller_param >= 0 ? " in " + c.caller.name : ""));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"fetch#0[]=\"league/standings\"@2",
                                            "fetch#0[endpoint]=\"players/$id\"@3",
                                            "download#1[]=Paths.COUNTRIES@4", "get#1[]=path@5 in d"}));
}

TEST(RequestHelpers, ImplicitMembersAreNoCalls) {
  std::string swift =
      "var endpoint: Endpoint {\n"
      "    switch self {\n"
      "    case .photos: return .get(path: \"/photos\")\n"
      "    }\n"
      "}\n"
      "let data = try await client.get(path: \"/me\")\n";
  MaskedSource src = mask_source(swift, Lang::kSwift);
  FileFacts facts;
  collect_calls(src, Lang::kSwift, swift, facts);
  ASSERT_EQ(facts.calls.size(), 1u);
  EXPECT_EQ(facts.calls[0].callee, "get");
  EXPECT_EQ(facts.calls[0].label, "path");
  EXPECT_EQ(facts.calls[0].line, 6);
}

TEST(RequestHelpers, SubstituteAnArgumentIntoTheHelpersUrl) {
  EXPECT_EQ(substitute("\"$baseUrl/$endpoint\"", "endpoint", "\"fixtures/$round\""), "\"$baseUrl/fixtures/$round\"");
  EXPECT_EQ(substitute("\"$baseUrl/${endpoint}\"", "endpoint", "Paths.LEAGUE"), "\"$baseUrl/${Paths.LEAGUE}\"");
  EXPECT_EQ(substitute("SERVER + relativePath", "relativePath", "\"json/tags\""), "SERVER + \"json/tags\"");
  EXPECT_EQ(substitute("\"https://\\(host)\\(path)\"", "path", "\"/history/\\(id)\""), "\"https://\\(host)/history/\\(id)\"");
  EXPECT_EQ(substitute("url", "url", "\"$BASE/api/aliases\""), "\"$BASE/api/aliases\"");
  // a member of the same name and a longer name are not the parameter
  EXPECT_EQ(substitute("cfg.path + pathPrefix + path", "path", "\"/x\""), "cfg.path + pathPrefix + \"/x\"");
}

}  // namespace
}  // namespace obscore::patterns

namespace obscore::patterns {
namespace {

TEST(NamingPolicies, Styles) {
  EXPECT_EQ(apply_naming("gson_snake", "featureImage"), "feature_image");
  EXPECT_EQ(apply_naming("gson_snake", "userID"), "user_i_d");  // Gson: '_' before each capital
  EXPECT_EQ(apply_naming("gson_kebab", "featureImage"), "feature-image");
  EXPECT_EQ(apply_naming("gson_upper_snake", "featureImage"), "FEATURE_IMAGE");
  EXPECT_EQ(apply_naming("snake", "userID"), "user_id");        // acronyms are one word
  EXPECT_EQ(apply_naming("snake", "myURLValue"), "my_url_value");
  EXPECT_EQ(apply_naming("snake", "id"), "id");
  EXPECT_EQ(apply_naming("kebab", "dueDate"), "due-date");
  EXPECT_EQ(apply_naming("upper_camel", "dueDate"), "DueDate");
  EXPECT_EQ(apply_naming("unknown", "dueDate"), "");
}

TEST(NamingPolicies, Detected) {
  std::string java = "Gson g = new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_DASHES).create();\n"
                     "// FieldNamingPolicy.UPPER_CAMEL_CASE in a comment is no policy\n"
                     "mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);\n";
  FileFacts facts;
  collect_naming_policies(mask_source(java, Lang::kJava), Lang::kJava, facts);
  ASSERT_EQ(facts.naming_policies.size(), 2u);
  EXPECT_EQ(facts.naming_policies[0].style, "gson_kebab");
  EXPECT_EQ(facts.naming_policies[1].style, "snake");
  EXPECT_EQ(facts.naming_policies[1].line, 3);
  EXPECT_TRUE(facts.naming_policies[0].types.empty());

  std::string kotlin = "val json = Json { namingStrategy = JsonNamingStrategy.SnakeCase }\n";
  FileFacts k;
  collect_naming_policies(mask_source(kotlin, Lang::kKotlin), Lang::kKotlin, k);
  ASSERT_EQ(k.naming_policies.size(), 1u);
  EXPECT_EQ(k.naming_policies[0].style, "snake");

  std::string swift = "func load(_ d: Data) throws -> [Item] {\n"
                      "    let decoder = JSONDecoder()\n"
                      "    decoder.keyDecodingStrategy = .convertFromSnakeCase\n"
                      "    return try decoder.decode([Item].self, from: d)\n"
                      "}\n";
  FileFacts s;
  collect_naming_policies(mask_source(swift, Lang::kSwift), Lang::kSwift, s);
  ASSERT_EQ(s.naming_policies.size(), 1u);
  EXPECT_EQ(s.naming_policies[0].family, "swift");
  EXPECT_EQ(s.naming_policies[0].types, (std::vector<std::string>{"Item"}));
}

}  // namespace
}  // namespace obscore::patterns

namespace obscore::patterns {
namespace {

TEST(UrlFunctions, OnlyFunctionsThatReturnOneBuiltExpression) {
  std::string java =
      "public class FreshNews {\n"
      "    public static final String URL_NEWS = \"https://x.net/api/news?page=\";\n"
      "    public static String getUrlNews(int page) {\n"
      "        return URL_NEWS + page;\n"
      "    }\n"
      "    public String getTitle() { return title; }\n"
      "    public static String pick(int k) { if (k > 0) { return A; } return B; }\n"
      "}\n";
  FileFacts facts;
  collect_url_functions(mask_source(java, Lang::kJava), Lang::kJava, facts);
  ASSERT_EQ(facts.url_functions.size(), 1u);  // a getter of a field and a branch are not
  EXPECT_EQ(facts.url_functions[0].owner, "FreshNews");
  EXPECT_EQ(facts.url_functions[0].name, "getUrlNews");
  EXPECT_EQ(facts.url_functions[0].params, (std::vector<std::string>{"page"}));
  EXPECT_EQ(facts.url_functions[0].expression, "URL_NEWS + page");

  std::string kotlin = "object Paths {\n    fun user(id: String): String = \"$BASE/users/$id\"\n}\n";
  FileFacts k;
  collect_url_functions(mask_source(kotlin, Lang::kKotlin), Lang::kKotlin, k);
  ASSERT_EQ(k.url_functions.size(), 1u);
  EXPECT_EQ(k.url_functions[0].expression, "\"$BASE/users/$id\"");

  std::string swift = "enum Paths {\n    static func item(_ id: Int) -> String { \"/items/\\(id)\" }\n}\n";
  FileFacts w;
  collect_url_functions(mask_source(swift, Lang::kSwift), Lang::kSwift, w);
  ASSERT_EQ(w.url_functions.size(), 1u);
  EXPECT_EQ(w.url_functions[0].params, (std::vector<std::string>{"id"}));
}

}  // namespace
}  // namespace obscore::patterns
