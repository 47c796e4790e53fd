// Masking (comments and strings are never code), rule contexts (not_in, requires, scope), the
// structural extractors (Swift endpoint types, request blocks and builder chains, wire names,
// CodingKeys, inferred types, POJOs), per-file facts, path normalisation and skip reasons.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "obscore/patterns/patterns.hpp"

namespace obscore::patterns {
namespace {

Rule rule(std::string id, std::string pattern, Extract extract = Extract::kNone) {
  Rule r;
  r.id = std::move(id);
  r.pattern = std::move(pattern);
  r.extract = extract;
  r.category = "c";
  return r;
}

std::string capture(const Match& m, const std::string& name) {
  for (const auto& [n, v] : m.captures) {
    if (n == name) return v.value_or("");
  }
  return "<none>";
}

std::string str(const Field& f) {
  std::string s = f.name + ": " + f.type.value_or("null");
  if (f.wire_name) s += " @" + *f.wire_name;
  return s;
}

TEST(Masking, CommentsAndStringsNeverMatch) {
  RuleSet set({rule("t", R"(\bthrow\s+\w+)")});
  const char* kotlin =
      "// throw Comment\n/* throw Block /* nested throw Inner */ still comment throw X */\n"
      "val s = \"throw InString\"\nval r = \"\"\"\nthrow InRaw\n\"\"\"\n"
      "val t = \"${if (a) \"throw Nested\" else b}\"\nthrow Real\n";
  auto m = set.scan("x.kt", kotlin);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].text, "throw Real");
  EXPECT_EQ(m[0].line, 8);
  auto s = set.scan("x.swift", "let a = #\"throw Raw \" still\"#\nlet b = \"\\(x) throw Interp\"\nthrow Swift\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].line, 3);
  auto j = set.scan("x.java", "char c = '\"'; // throw X\nthrow Java;\n");
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0].line, 2);
}

TEST(Masking, ColumnsCountTheOriginalText) {
  RuleSet set({rule("t", R"(\bthrow\s+\w+)")});
  auto m = set.scan("x.kt", "/* é */ throw A\n");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].column, 9);
}

TEST(Masking, MatchesMaySpanCommentsAndReadStrings) {
  RuleSet set({rule("get", R"re(@GET\s*\(\s*(?P<path>"[^"]*")\s*\))re")});
  auto m = set.scan("x.kt", "@GET( /* why */ \"users/{id}\")\nfun f()\n");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(capture(m[0], "path"), "\"users/{id}\"");
}

TEST(Scope, CommentRulesSeeOnlyComments) {
  Rule r = rule("todo", R"(TODO\((?P<who>\w+)\))");
  r.scope = Scope::kComments;
  RuleSet set({r});
  auto m = set.scan("x.kt", "val TODO(x) = 1 // TODO(bob) later\n");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(capture(m[0], "who"), "bob");
}

TEST(Contexts, StateAssignmentIsNotANamedArgumentOrDeclaration) {
  Rule r = rule("sa", R"(\b(?P<subject>_?(?:[a-z]\w*)?(?:State|state))(?:\.value)?\s*=\s*(?P<value>\.?[A-Za-z_][\w.]*))");
  r.skip_call_arguments = true;
  r.skip_declarations = true;
  RuleSet set({r});
  auto m = set.scan("x.kt",
                    "LazyColumn(\n  state = listState,\n  modifier = Modifier\n)\n"
                    "val uiState = MutableStateFlow(Idle)\nprivate var loginState = Idle\n"
                    "fun f() {\n  _uiState.value = Loading\n  button(onClick = { state = Done })\n}\n");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(capture(m[0], "value"), "Loading");
  EXPECT_EQ(capture(m[1], "value"), "Done");
  auto j = set.scan("x.java", "class A {\n  private State state = State.IDLE;\n  void go() {\n    this.state = State.RUNNING;\n    else state = State.DONE;\n  }\n}\n");
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(capture(j[0], "value"), "State.RUNNING");
}

TEST(Contexts, RequiresLimitsARuleToFilesThatMatch) {
  Rule r = rule("v", R"(@(?P<a>NotNull|Size)\b)");
  r.file_condition = R"(^\s*import\s+(?:javax|jakarta)\.validation\b)";
  RuleSet set({r});
  EXPECT_TRUE(set.scan("A.java", "import org.jetbrains.annotations.NotNull;\nclass A { @NotNull String a; }\n").empty());
  EXPECT_EQ(set.scan("B.java", "import jakarta.validation.constraints.*;\nclass B { @NotNull @Size(max = 3) String b; }\n").size(), 2u);
}

TEST(Endpoints, SwiftPathAndMethodJoinedByCase) {
  RuleSet set({rule("ep", R"(\bvar\s+path\s*:\s*String\s*\{)", Extract::kEndpoints)});
  auto m = set.scan("x.swift",
                    "enum API {\n  case list, item(id: Int)\n  case create\n  var path: String {\n    switch self {\n"
                    "    case .list, .create: return \"/items\"\n    case .item(let id): return \"/items/\\(id)\"\n    }\n  }\n"
                    "  var method: HTTPMethod {\n    switch self {\n    case .create: return .post\n    default: return .get\n    }\n  }\n}\n");
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].endpoints.size(), 3u);
  EXPECT_EQ(m[0].endpoints[0].name, "list");
  EXPECT_EQ(m[0].endpoints[0].method.value_or(""), ".get");
  EXPECT_EQ(m[0].endpoints[1].name, "create");
  EXPECT_EQ(m[0].endpoints[1].method.value_or(""), ".post");
  EXPECT_EQ(m[0].endpoints[2].path, "\"/items/\\(id)\"");
  // Swift 5.9 implicit returns and a default branch expanded over the enum's cases.
  auto d = set.scan("y.swift",
                    "enum R {\n  case a\n  case b\n  case c\n  var path: String {\n    switch self {\n    case .a: \"/a\"\n"
                    "    default: \"/other\"\n    }\n  }\n}\n");
  ASSERT_EQ(d.size(), 1u);
  ASSERT_EQ(d[0].endpoints.size(), 3u);
  EXPECT_EQ(d[0].endpoints[2].name, "c");
  EXPECT_EQ(d[0].endpoints[2].path, "\"/other\"");
  EXPECT_FALSE(d[0].endpoints[2].method.has_value());
}

TEST(Requests, OkHttpChainAndKtorBlock) {
  RuleSet set({rule("ok", R"(\bRequest\.Builder\s*\(\s*\))", Extract::kRequest),
               rule("ktor", R"(\bclient\.(?P<method>post|request)\s*\{)", Extract::kRequest)});
  auto j = set.scan("A.java",
                    "HttpUrl url = HttpUrl.parse(BASE).newBuilder()\n    .addPathSegment(\"auth\")\n    .addPathSegment(LOGIN)\n    .build();\n"
                    "Request r = new Request.Builder()\n    .url(url)\n    .header(\"a\", \"b\")\n    .post(body)\n    .build();\n");
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(capture(j[0], "method"), "POST");
  EXPECT_EQ(capture(j[0], "path"), "\"/\" + \"auth\" + \"/\" + LOGIN");
  auto k = set.scan("B.kt",
                    "client.post {\n  url { path(\"v1\", \"login\") }\n}\nclient.request {\n  method = HttpMethod.Delete\n  url(\"$base/x\")\n}\n"
                    "client.post {\n  setBody(x)\n}\n");
  ASSERT_EQ(k.size(), 2u);  // a block without a URL is not a request
  EXPECT_EQ(capture(k[0], "method"), "POST");
  EXPECT_EQ(capture(k[1], "method"), "DELETE");
  EXPECT_EQ(capture(k[1], "path"), "\"$base/x\"");
}

TEST(Fields, WireNamesAnnotationsAndComments) {
  RuleSet set({rule("m", R"(data\s+class\s+(?P<name>\w+))", Extract::kFields)});
  auto m = set.scan("x.kt",
                    "data class U(\n  /** KDoc, with a comma */\n  @SerialName(\"user_id\") val id: Long,\n  // note: x\n"
                    "  @get:JvmName(\"isOn\")\n  val on: Boolean,\n  @field:Json(name = \"avatar_url\") val avatar: String?,\n"
                    "  @ColumnInfo(typeAffinity = 2, name = \"c\") val c: Int,\n  @SerializedName(value = \"s\", alternate = [\"t\"]) val s: String,\n)\n");
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].fields.size(), 5u);
  EXPECT_EQ(str(m[0].fields[0]), "id: Long @user_id");
  EXPECT_EQ(str(m[0].fields[1]), "on: Boolean");
  EXPECT_EQ(str(m[0].fields[2]), "avatar: String? @avatar_url");
  EXPECT_EQ(str(m[0].fields[3]), "c: Int @c");
  EXPECT_EQ(str(m[0].fields[4]), "s: String @s");
}

TEST(Fields, SwiftCodingKeysAndInferredTypes) {
  RuleSet set({rule("m", R"(struct\s+(?P<name>\w+)[^{]*\{)", Extract::kFields)});
  auto m = set.scan("x.swift",
                    "struct P: Codable {\n  let totalPages: Int\n  var title = \"\"\n  var n = 3\n  var ratio = 0.5\n  var on = true\n"
                    "  var tags = [String]()\n  var when = Date()\n  var f = make()\n  var id = UUID().uuidString\n"
                    "  enum CodingKeys: String, CodingKey {\n    case totalPages = \"total_pages\"\n    case title, n, ratio, on, tags, when, f, id\n  }\n}\n");
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].fields.size(), 9u);
  EXPECT_EQ(str(m[0].fields[0]), "totalPages: Int @total_pages");
  EXPECT_EQ(str(m[0].fields[1]), "title: String @title");
  EXPECT_EQ(str(m[0].fields[2]), "n: Int @n");
  EXPECT_EQ(str(m[0].fields[3]), "ratio: Double @ratio");
  EXPECT_EQ(str(m[0].fields[4]), "on: Bool @on");
  EXPECT_EQ(str(m[0].fields[5]), "tags: [String] @tags");
  EXPECT_EQ(str(m[0].fields[6]), "when: Date @when");
  EXPECT_EQ(str(m[0].fields[7]), "f: null @f");
  EXPECT_EQ(str(m[0].fields[8]), "id: null @id");
}

TEST(Fields, JavaPojoNeedsAccessorsOrAnnotations) {
  RuleSet set({rule("pojo", R"(\bclass\s+(?P<name>[A-Z]\w*))", Extract::kPojo)});
  auto m = set.scan("A.java",
                    "public class A {\n  private String title;\n  public String getTitle() { return title; }\n"
                    "  public static class B {\n    @SerializedName(\"b_id\")\n    private long id;\n    public void run() {}\n  }\n}\n"
                    "class Service {\n  private int count;\n  public void work() { count++; }\n}\n");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(capture(m[0], "name"), "A");
  ASSERT_EQ(m[0].fields.size(), 1u);
  EXPECT_EQ(str(m[0].fields[0]), "title: String");
  EXPECT_EQ(str(m[1].fields[0]), "id: long @b_id");
}

TEST(Facts, SwiftObservableIsABoxOnlyWhenTheAppDeclaresOne) {
  RuleSet set({rule("any", "zzz_never")});
  const char* reactor =
      "final class LoginReactor: Reactor {\n  enum Mutation {\n    case setLoading(Bool)\n  }\n"
      "  func mutate(action: Action) -> Observable<Mutation> {\n"
      "    let start: Observable<Mutation> = .just(.setLoading(true))\n    return start\n  }\n}\n";
  auto holds = [&](const ScanContext* context) {
    FileFacts f;
    set.scan("LoginReactor.swift", reactor, nullptr, 10000, &f, context);
    return std::find(f.state_types.begin(), f.state_types.end(), "Mutation") != f.state_types.end();
  };
  EXPECT_FALSE(holds(nullptr));  // RxSwift's Observable: a stream of events
  ScanContext rx;
  EXPECT_FALSE(holds(&rx));
  ScanContext box;  // the app's own `final class Observable<Value> { var value: Value }`
  std::map<std::string, std::set<std::string>> refines;
  add_swift_protocols("final class Observable<Value> {\n  var value: Value\n}\n", refines, &box.swift_types);
  EXPECT_TRUE(box.swift_types.contains("Observable"));
  EXPECT_TRUE(holds(&box));
}

TEST(Facts, NestedTypeImportedByNameIsHeldQualified) {
  RuleSet set({rule("any", "zzz_never")});
  auto held = [&](const char* text) {
    FileFacts f;
    set.scan("S.kt", text, nullptr, 10000, &f);
    return f.state_types;
  };
  auto has = [](const std::vector<std::string>& v, const char* t) { return std::find(v.begin(), v.end(), t) != v.end(); };
  // `import ...Player.Status`: the var holds Player.Status, recorded under both names
  auto imported = held("package a\nimport org.demo.Player.Status\nclass S {\n  var status: Status = Status.IDLE\n}\n");
  EXPECT_TRUE(has(imported, "Status"));
  EXPECT_TRUE(has(imported, "Player.Status"));
  // without the import `Status` is another type of that name
  auto plain = held("package a\nclass S {\n  var status: Status? = null\n}\n");
  EXPECT_TRUE(has(plain, "Status"));
  EXPECT_FALSE(has(plain, "Player.Status"));
  // a qualified holder keeps its qualifier
  auto qualified = held("package a\nclass S {\n  var status: Player.Status? = null\n}\n");
  EXPECT_TRUE(has(qualified, "Player.Status"));
  FileFacts j;
  set.scan("J.java", "class J {\n  private Settings.SwipeMove[] moves;\n  void load() { moves = read(); }\n}\n", nullptr, 10000, &j);
  EXPECT_TRUE(has(j.state_types, "Settings.SwipeMove"));
}

TEST(Facts, SwiftAndJavaHoldersByUse) {
  RuleSet set({rule("any", "zzz_never")});
  FileFacts k;
  set.scan("a.swift",
           "struct Screen: View {\n  let mode: Mode\n  var layout = Layout.grid\n  @State private var sheet: Sheet?\n}\n"
           "final class Model {\n  private var rows: [Int: RowState] = [:]\n  var sizes = Size.allCases\n"
           "  var sections: [Section] = []\n  var picked: Set<Tag> = []\n"
           "  func go() {\n    var f = Filter.all\n    path.append(Route.detail(id: 1))\n  }\n}\n"
           "struct Form {\n  var step: Step\n}\n",
           nullptr, 10000, &k);
  auto has = [](const FileFacts& f, const char* t) {
    return std::find(f.state_types.begin(), f.state_types.end(), t) != f.state_types.end();
  };
  EXPECT_TRUE(has(k, "Sheet"));      // @State var x: T?
  EXPECT_TRUE(has(k, "RowState"));   // a dictionary's values
  EXPECT_TRUE(has(k, "Route"));      // appended to a navigation path
  EXPECT_TRUE(has(k, "Step"));       // a var of a struct that is not a view
  EXPECT_FALSE(has(k, "Mode"));      // a let
  EXPECT_FALSE(has(k, "Layout"));    // a plain var of a SwiftUI view: an input
  EXPECT_FALSE(has(k, "Size"));      // every case: a set
  EXPECT_FALSE(has(k, "Filter"));    // a local
  EXPECT_FALSE(has(k, "Int"));       // a dictionary's keys
  EXPECT_FALSE(has(k, "Section"));   // an array: a list of rows, not a state
  EXPECT_FALSE(has(k, "Tag"));       // a set
  FileFacts j;
  set.scan("G.java",
           "class G {\n  private @Mode int mode = 0;\n  private final @Snap int snap;\n  static @Kind int kind;\n"
           "  private Prefs.Swipe[] swipes;\n  private Theme theme;\n  G(Theme t) { theme = t; }\n"
           "  void f(@Edge int edge) {}\n  void load() { swipes = Prefs.read(); }\n}\n",
           nullptr, 10000, &j);
  EXPECT_TRUE(has(j, "Mode"));    // a typedef-annotated field that can change
  EXPECT_TRUE(has(j, "Swipe"));   // a qualified array field, set after creation
  EXPECT_FALSE(has(j, "Theme"));  // a private field set only in the constructor: configuration
  EXPECT_FALSE(has(j, "Snap"));   // final
  EXPECT_FALSE(has(j, "Kind"));   // static
  EXPECT_FALSE(has(j, "Edge"));   // a parameter
}

TEST(Facts, ConstantsStateHoldersAndSupertypes) {
  RuleSet set({rule("any", "zzz_never")});
  FileFacts k;
  set.scan("a.kt",
           "object Api {\n  const val USERS = \"users\"\n  val BASE = \"https://x\" + \"/v1\"\n}\nclass VM {\n"
           "  private val local = \"l\"\n  var screen by mutableStateOf(Screen.HOME)\n  val s = MutableStateFlow<Async<Int>>(Async.Loading)\n}\n"
           "object Done : Ui(), Effect\n",
           nullptr, 10000, &k);
  ASSERT_EQ(k.constants.size(), 3u);
  EXPECT_EQ(k.constants[0].owner, "Api");
  EXPECT_EQ(k.constants[0].name, "USERS");
  EXPECT_FALSE(k.constants[0].file_local);
  EXPECT_EQ(k.constants[1].expression, "\"https://x\" + \"/v1\"");
  EXPECT_TRUE(k.constants[2].file_local);
  EXPECT_NE(std::find(k.state_types.begin(), k.state_types.end(), "Screen"), k.state_types.end());
  EXPECT_NE(std::find(k.state_types.begin(), k.state_types.end(), "Async"), k.state_types.end());
  ASSERT_EQ(k.subtypes.size(), 1u);
  EXPECT_EQ(k.subtypes[0].second, (std::vector<std::string>{"Ui", "Effect"}));
  FileFacts j;
  set.scan("B.java", "interface P {\n  String X = \"/x\";\n}\nfinal class C extends Base<T> implements P, Q {}\n", nullptr, 10000, &j);
  ASSERT_EQ(j.constants.size(), 1u);
  EXPECT_FALSE(j.constants[0].file_local);
  ASSERT_EQ(j.subtypes.size(), 1u);
  EXPECT_EQ(j.subtypes[0].second, (std::vector<std::string>{"Base", "P", "Q"}));
}

TEST(Paths, NormalisedTheSameWayInEveryLanguage) {
  std::string host;
  EXPECT_EQ(normalize_path("users/{id}"), "/users/{id}");
  EXPECT_EQ(normalize_path("/movie/\\(movie.id)/rating"), "/movie/{id}/rating");
  EXPECT_EQ(normalize_path("$baseUrl/astros.json"), "/astros.json");
  EXPECT_EQ(normalize_path("/movie/\\(movieID.rawValue)/credits"), "/movie/{movieID}/credits");
  EXPECT_EQ(normalize_path("users/${id.toString()}"), "/users/{id}");
  EXPECT_EQ(normalize_path("./?method=album.search"), "/");
  EXPECT_EQ(normalize_path("./v2/./items/."), "/v2/items");
  EXPECT_EQ(normalize_path("{baseURL}/feed"), "/feed");
  EXPECT_EQ(normalize_path("/items/${item.id}?full=1"), "/items/{id}");
  EXPECT_EQ(normalize_path("/users/:userId"), "/users/{userId}");
  EXPECT_EQ(normalize_path("/users/%s/repos/%d"), "/users/{param}/repos/{param}");
  EXPECT_EQ(normalize_path("https://api.x.org/v2//search/", &host), "/v2/search");
  EXPECT_EQ(host, "api.x.org");
  EXPECT_EQ(normalize_path("https://api.x.org"), "/");
}

TEST(Paths, SkipReasons) {
  EXPECT_EQ(skip_reason("app/src/test/java/A.kt").value_or(""), "test sources");
  EXPECT_EQ(skip_reason("app/src/androidTest/java/A.kt").value_or(""), "test sources");
  EXPECT_EQ(skip_reason("MyAppTests/A.swift").value_or(""), "test sources");
  EXPECT_EQ(skip_reason("MyAppUITests/A.swift").value_or(""), "test sources");
  EXPECT_EQ(skip_reason("app/build/generated/R.java").value_or(""), "generated code (build output)");
  EXPECT_EQ(skip_reason("Pods/Alamofire/S.swift").value_or(""), "vendored dependencies");
  EXPECT_EQ(skip_reason("Carthage/Checkouts/x/S.swift").value_or(""), "vendored dependencies");
  EXPECT_EQ(skip_reason("Frameworks/X.xcframework/H.swift").value_or(""), "vendored dependencies");
  EXPECT_EQ(skip_reason("app/src/main/assets/pdfjs/pdf.js").value_or(""), "bundled web assets");
  EXPECT_EQ(skip_reason("web/lib/jquery.min.js").value_or(""), "minified files");
  EXPECT_EQ(skip_reason("Projects/AnimeAPI/Generated/Schema/MediaType.graphql.swift"),
            "generated code (build output)");
  EXPECT_EQ(skip_reason("App/Sources/Query.graphql.swift"), "generated code (generator suffix)");
  EXPECT_EQ(skip_reason("App/Sources/Assets.generated.swift"), "generated code (generator suffix)");
  EXPECT_EQ(skip_reason("lib/models/user.g.dart"), "generated code (generator suffix)");
  EXPECT_FALSE(skip_reason("App/Sources/GeneratedTitles.swift").has_value());
  EXPECT_FALSE(skip_reason("app/src/main/java/Test.kt").has_value());
  EXPECT_FALSE(skip_reason("src/testing.kt").has_value());
  EXPECT_FALSE(skip_reason("app/src/main/assets/data.json").has_value());
}

TEST(SwiftProtocols, CodableThroughAProtocolOfTheSameFileWithoutAContext) {
  // A scan without the run's index (stdin, a library caller) still reads this file's protocols,
  // chains of refinement included.
  RuleSet set({rule("m", R"(\b(?:struct|class)\s+(?P<name>\w+)\s*:\s*(?P<conforms>[^{\n]+)\{)", Extract::kFields)});
  auto m = set.scan("Items.swift",
                    "protocol Item: Codable {}\nprotocol Listed: Item {}\nprotocol Themed {}\n"
                    "struct Job: Listed {\n  let id: Int\n}\nstruct Look: Themed {\n  let tint: String\n}\n");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(capture(m[0], "name"), "Job");
}

TEST(SwiftProtocols, CodableThroughRefinementAcrossFiles) {
  std::map<std::string, std::set<std::string>> refines;
  add_swift_protocols("protocol ModelType: Codable, Then {\n  associatedtype Event\n}\n", refines);
  add_swift_protocols("// protocol Fake: Codable {}\nprotocol Listable: ModelType where Self: Hashable {}\n"
                      "protocol Themed {}\nprotocol Named: Equatable {}\n", refines);
  EXPECT_EQ(refines["ModelType"], (std::set<std::string>{"Codable", "Then"}));
  EXPECT_EQ(refines["Listable"], (std::set<std::string>{"ModelType"}));
  EXPECT_FALSE(refines.contains("Fake"));  // a comment declares nothing
  EXPECT_EQ(codable_protocols(refines), (std::set<std::string>{"Listable", "ModelType"}));
}

}  // namespace
}  // namespace obscore::patterns
