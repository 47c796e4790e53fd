"""`obscore patterns` on mobile constructs, one fixture app per platform written here
(tests/data/patterns/mobile/{kotlin,java,swift}): the expected API contracts, state machines and
data models with wire names are listed by hand below; comments and strings are never code; the
three rules with known false positives; test, generated and vendored files skipped by default."""
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
MOBILE = os.path.abspath(os.path.join(HERE, "..", "data", "patterns", "mobile"))
MAN = os.path.abspath(os.path.join(HERE, "..", "..", "man", "obscore-patterns.1"))
PACK = os.path.abspath(os.path.join(HERE, "..", "..", "libs", "patterns", "rules", "mobile.yaml"))


def analyse(run, name, *flags):
    r = run("patterns", *flags, os.path.join(MOBILE, name))
    assert r.code == 0, r.err
    return r.json()


def contracts(doc):
    return sorted(((a["method"], a["path"], a["host"], a["resolved"]) for a in doc["summary"]["api_contracts"]),
                  key=lambda c: tuple("" if v is None else str(v) for v in c))


def machines(doc):
    return {m["name"]: (m["states"], m["confidence"]) for m in doc["summary"]["state_machines"]}


def models(doc):
    return {m["name"]: [(f["name"], f["type"], f["wire_name"]) for f in m["fields"]]
            for m in doc["summary"]["data_models"]}


def order(items):
    return sorted(items, key=lambda c: tuple("" if v is None else str(v) for v in c))


@pytest.fixture
def kotlin(run):
    return analyse(run, "kotlin")


@pytest.fixture
def java(run):
    return analyse(run, "java")


@pytest.fixture
def swift(run):
    return analyse(run, "swift")


def test_kotlin_contracts(kotlin):
    assert contracts(kotlin) == order([
        ("GET", "/users", None, True),                      # @GET(Endpoints.USERS)
        ("GET", "/repos/{owner}", None, True),              # @GET(ApiConstants.REPOS + "/{owner}")
        ("POST", None, None, False),                        # @POST(MissingConstants.ARCHIVE)
        ("GET", "/astros.json", None, True),                # client.get("$baseUrl/astros.json")
        ("GET", "/v4/launches/{launchId}", "api.space.dev", True),  # get(urlString = ...)
        ("POST", "/v1/login", None, True),                  # post { url { path("v1", "login") } }
        ("PUT", "/v4/items/{id}", "api.space.dev", True),   # request { method = HttpMethod.Put }
        ("GET", "/top.json", "feeds.demo.io", True),        # feedBase + feedPath, feedPath = when (...)
        ("GET", "/new.json", "feeds.demo.io", True),        # over literals: one contract per literal;
        #                                                     relative to feedBase = ".../v2"
        ("GET", "/coins/markets", None, True),              # get<List<T>> { url { appendPathSegments(...) } }
        ("GET", "/coins/{id}", None, True),                 # a parameter, not a data class's `id = null`
        ("POST", "/", None, True),                          # @POST("./?method=album.search")
        ("GET", "/shelves", "api.shelves.example", True),   # "$SHELF_API/shelves", SHELF_API = ".../v3":
        ("GET", "/shelves/{id}", "api.shelves.example", True),  # relative to the base constant
        ("GET", "/runs", None, True),                       # the app's own httpClient.get<T>(route = ...)
        ("POST", "/login", None, True),                     # ... post<A, B>(route = "/login", body = ...)
        ("POST", "/run", None, True),                       # submitFormWithBinaryData(url = constructRoute(...))
        ("GET", "/api/recipes", None, True),                # get { endpoint("/api/recipes") }: the app's helper
        ("GET", "/api/app/about", None, True),              # get { endpoint(baseURL, "/api/app/about") }
        ("DELETE", "/api/recipes/{slug}", None, True),
        ("GET", "/api/bookmarks", None, True),              # @GET() fun bookmarks(@Url url): the call's
        ("DELETE", "/api/bookmarks", None, True),           # url = "${serverUrl.trimEnd('/')}/api/..."
        ("GET", "/league/standings", None, True),           # the app's own fetch(endpoint) helper sends
        ("GET", "/fixtures/{round}", None, True),           # "$baseUrl/$endpoint": its call sites give
        ("GET", "/players/{id}", None, True),               # the paths (also a named argument)
        ("POST", "/tube/v1/browse", None, True),            # client.post(browse): a lower-case
        ("POST", "/tube/v1/player", None, True),            # `const val` of an object in another file
        ("GET", "/api/v3/app/version", None, True),         # the app's own get(path)/post(path) over
        ("GET", "/api/v3/seeds/peers", None, True),         # prepareGet { url.takeFrom(base)
        ("POST", "/api/v3/seeds/pause", None, True),        # .appendEncodedPathSegments("api/v3/$path") }
        ("POST", "/api/v3/seeds/{id}/remove", None, True),  # and prepareForm(...) { ... }: POST; a
        #                                                     verb-named helper only from its own file
        ("POST", "/api/v1/favorites/tracks", None, True),   # Fuel.post(normalize("/api/..."))
        ("GET", "/api/v1/playlists/{id}/tracks", None, True),  # Fuel.get(...)
        ("POST", "/api/v1/tracks/{id}/cover", None, True),  # Fuel.upload(...): POST
        ("GET", "/repos/demo/tracks/releases", "api.github.com", True),  # "https://...".httpGet()
        ("GET", "/v2/accounts", None, True),                # send("accounts"): a private helper's
        ("GET", "/v2/accounts/{id}", None, True),           # client.request(URLBuilder(base).apply {
        ("POST", "/v2/accounts", None, True),               # path("v2/$path") }.buildString()) {
        ("DELETE", "/v2/accounts/{id}", None, True),        # method = httpMethod }; the method a
        ("PUT", "/v2/accounts/{id}/name", None, True),      # named or positional HttpMethod.X, else GET
        ("GET", "/index.php/apps/vault/api/1.0/entry/list", None, True),     # VaultHttp.getInstance().get(
        ("POST", "/index.php/apps/vault/api/1.0/entry/create", None, True),  # sUrl = ...): URL(sUrl) to .url()
    ])
    unresolved = [a for a in kotlin["summary"]["api_contracts"] if not a["resolved"]]
    assert unresolved[0]["expression"] == "MissingConstants.ARCHIVE"
    # a path built on a base-URL constant is relative to it (the expression names the constant);
    # a literal absolute URL keeps its whole path
    exprs = {a["path"]: a["expression"] for a in kotlin["summary"]["api_contracts"]}
    assert exprs["/top.json"] == 'feedBase + "/top.json"'
    assert ("GET", "/v4/launches/{launchId}", "api.space.dev", True) in contracts(kotlin)


def test_kotlin_machines(kotlin):
    assert machines(kotlin) == {
        "Async": (["Loading", "Success", "Failure"], "high"),  # generic sealed interface
        "Effect": (["Refresh"], "high"),                        # Refresh implements two parents
        "Event": (["Nav", "Refresh"], "high"),
        "Nav": (["Back"], "high"),                              # nested sealed class
        "Screen": (["HOME", "DETAIL", "SETTINGS"], "high"),     # held in mutableStateOf
        "LayoutMode": (["MODE_LIST", "MODE_GRID"], "high"),     # @IntDef annotation class, held in a var
        "EdgeSide": (["GRAVITY_START", "GRAVITY_END"], "medium"),  # a typedef for a parameter only
        "Panel": (["OPEN", "CLOSED"], "high"),                  # held in a MutableTransitionState
        "ReadingTheme": (["SYSTEM", "LIGHT", "DARK"], "high"),  # .stateIn(scope, started, ReadingTheme.SYSTEM)
        "OpenWith": (["READER", "BROWSER"], "high"),          # _openWith.value = value (value: OpenWith)
        "Status": (["IDLE", "PLAYING"], "high"),              # Player.Status, imported by name in PlayerScreen
        "GridDensity": (["Compact", "Comfortable"], "high"),  # var x by rememberPreference(k, GridDensity.Compact)
        "SongOrder": (["TITLE", "ARTIST", "ADDED"], "high"),  # val (v, setV) = rememberEnumPreference(k, SongOrder.ADDED)
    }  # GridSize: only in a list; enum Color: never held - a constant set, not a machine; CoverStyle: a `val` delegate;
    #    ShelfSort: only a function's local `var`; ShelfKind: only put in a Bundle, not persisted;
    #    Scroll: only in a MutableSharedFlow (events, no current value)
    reasons = {m["name"]: m["reason"] for m in kotlin["summary"]["state_machines"]}
    assert reasons["Screen"] == "enum held in mutable state"


def test_kotlin_models_and_wire_names(kotlin):
    got = models(kotlin)
    assert got["UserDto"] == [("id", "Long", None), ("avatar", "String?", "avatar_url"),
                              ("active", "Boolean", None), ("totalPages", "Int", "total_pages")]
    assert got["RepoDto"] == [("fullName", "String", "full_name"), ("stars", "Int", None)]
    assert got["Note"] == [("id", "Long", None), ("body", "String", "body_text")]
    assert "GeneratedDto" not in got  # build/ is generated code
    # a key declared in the body after the constructor is stored; getters and delegates are not
    assert got["Bookmark"] == [("trailId", "String", "trail_id"), ("note", "String", None),
                               ("bookmarkId", "Long", "id")]
    assert got["Coordinates"] == [("lat", "Double", None), ("lon", "Double", None)]  # no body borrowed
    assert "TrailMap" not in got
    # plain classes (not data classes) whose properties declare JSON keys, in the constructor
    # (an @Expose between annotations) or in the body; a plain class without keys is no model
    assert got["ShelfDto"] == [("shelfId", "Int", "shelf_id"), ("title", "String?", "title")]
    assert got["ShelfPage"] == [("nextPage", "String?", "next_page"), ("items", "List<ShelfDto>", "items")]
    assert "ShelfFormatter" not in got


def test_java_contracts(java):
    assert contracts(java) == order([
        ("POST", "/auth/login", None, True),           # HttpUrl addPathSegment + constant, .post(body)
        ("GET", "/users/{id}", "api.demo.net", True),  # .url(BASE + USERS + "/" + id), GET by default
        ("DELETE", "/items/{itemId}", "api.demo.net", True),
        ("GET", "/users/{id}", None, True),            # @GET(ApiPaths.USERS + "/{id}")
        ("GET", "/feed", "api.demo.net", True),        # AndroidNetworking.get(BASE + "/feed")
        ("GET", "/albums/{albumId}/tracks", None, True),  # declared twice (Rx and Call): one contract
        ("POST", "/v1/users/me/presence", None, True),  # the app's own execute("POST", "v1/...") helper
        ("POST", "/v1/messages", None, True),
        ("GET", "/notes/latest.md", "static.demo.net", True),  # new URL(X).openConnection(): GET
        ("POST", "/notes/upload", "static.demo.net", True),    # ... setRequestMethod("POST")
        ("GET", "/7/shops", "shop.demo.net", True),     # Volley; API_URL.concat(ORGANIZATION + "/shops"), an int
        ("GET", "/{id}/cart", "shop.demo.net", True),   # url = String.format(CART, shop.getId()): {id};
        #                                                 built again in ShopScreen.java: one contract
        ("DELETE", "/{id}/cart/{itemId}", "shop.demo.net", True),
        ("GET", "/{id}/orders", "shop.demo.net", True),  # the local's value given inside an if before the call
        ("GET", "/json/stations/topvote", "radio.demo.org", True),  # downloadRelative(ctx, path) helper: a
        ("GET", "/json/countries", "radio.demo.org", True),  # literal, a constant, and through a second
        ("GET", "/json/tags", "radio.demo.org", True),       # helper that hands its path on
        ("GET", "/v1/search", "api.lyrics.demo.net", True),  # getUrlAsString(url), url a local literal
        ("GET", "/api/v2/app/version", None, False),         # protocol + "://" + hostname + ":" + port:
        ("GET", "/api/v2/torrents/info", None, False),       # the user's server; url + "?filter=" + s
        ("GET", "/api/v2/news", "news.demo.net", True),      # new NewsRequest(getUrlNews(page)): super(
        #                                                      Method.GET, url) and a URL function
        ("GET", "/api/threads/latest.json", "board.demo.org", True),  # AsyncHttpClient through a wrapper
        ("GET", "/api/threads/show.json", "board.demo.org", True),    # given apiBase() + API_X (+ query)
        ("GET", "/member/{name}/threads", None, True),       # client.get(urlString, handler), a local
        ("POST", "/signin", "board.demo.org", True),         # client.post(ctx, LOGIN_URL, params, h)
        ("POST", "/t/{threadId}", "board.demo.org", True),   # getClient(ctx).post(SITE_BASE + ...)
        ("POST", "/api/vote", "oauth.feeds.demo.io", True),   # apiRequest(url, method): the verb its
        ("DELETE", "/api/subscriptions/{name}", "oauth.feeds.demo.io", True),  # wrappers pass; a URL
        #                                                      with a ternary in it gives no path
        ("POST", "/2/files/upload", "content.workouts.demo.io", True),  # setRequestMethod(RequestMethod.POST.name())
        ("GET", "/api/v2/stats/ranking", "survey.demo.net", False),  # URL constants given only a query
        ("GET", "/api/v2/sites/search", "survey.demo.net", True),    # (SEARCH_URL + "?" + q): no base
    ])  # a URL never opened (a help link) is no contract  # Request.Builder().url(url) with a parameter `url` (a download helper) names no endpoint


def test_java_machines_and_models(java):
    assert machines(java) == {
        "PlaybackState": (["STATE_IDLE", "STATE_PLAYING", "STATE_ENDED"], "high"),
        "Mode": (["SHUFFLE", "REPEAT", "NORMAL"], "high"),   # a non-final field holds it
        "Shape": (["Circle", "Square"], "high"),              # sealed interface ... permits
        "Density": (["COMPACT", "COMFORTABLE"], "high"),      # held in a Preference<Density>
        "SyncMode": (["SYNC_DEFAULT", "SYNC_FORCED"], "high"),  # @StringDef field that changes
        "SwipeMove": (["NONE", "ARCHIVE", "SHARE"], "high"),  # held in a Settings.SwipeMove[] field
        "Phase": (["PHASE_IDLE", "PHASE_LOADING"], "high"),  # a plain int field given a @Phase parameter
        "SortOrder": (["NEWEST", "OLDEST"], "high"),          # persisted: putInt(KEY, order.getValue())
        "Period": (["WEEK", "MONTH", "YEAR"], "high"),        # a plain field of another file given a @Period parameter
        "Presence": (["ONLINE", "AWAY"], "high"),             # a static field that changes
        "Edge": (["EDGE_LEFT", "EDGE_RIGHT"], "medium"),      # typedefs are machines by their structure;
        "Snap": (["SNAP_ITEM", "SNAP_PAGE"], "medium"),       # held in no field that changes: medium
    }  # not machines: ViewMode (named like a mode, never held), Codec (never held), ReaderMode
    #    (a private field set only in onCreate)
    reasons = {m["name"]: m["reason"] for m in java["summary"]["state_machines"]}
    assert reasons["Edge"] == "typedef (an annotation type over int or String constants)"
    assert reasons["PlaybackState"] == "typedef held in a field that changes"
    assert reasons["Mode"] == "enum held in mutable state"
    got = models(java)
    assert got["User"] == [("name", "String", "user_name"), ("age", "int", None)]
    assert got["Catalog"] == [("items", "List<Item>", None), ("title", "String", None)]
    assert got["Item"] == [("id", "String", "item_id"), ("price", "double", None)]  # public static class
    assert got["Row"] == [("id", "long", None), ("name", "String", "row_name")]
    assert got["Article"] == [("body", "String", "body_text")]  # greenDAO nameInDb; transient left out
    # fields with Lombok @Getter/@Setter: data, whatever methods the class has besides
    assert got["Episode"] == [("number", "int", None), ("airDate", "String", None)]
    # public fields, parcelling and parse(JSONObject): data by its `implements Parcelable`
    assert got["BoardMember"] == [("id", "int", None), ("username", "String", None), ("avatar", "String", None)]
    # accessors named after snake_case fields (`getavatar_normal()`)
    assert got["TopicBean"] == [("title", "String", None), ("avatar_normal", "String", None)]
    # a greenDAO entity as generated (delete() and __setDaoSession beside the accessors)
    assert got["ArticleEntity"] == [("id", "long", None), ("title", "String", None)]
    # ORMLite columns (a constant, a literal; a JSON key declared first wins)
    assert got["ChatMessage"] == [("id", "int", None), ("messageRead", "boolean", "read"),
                                  ("senderEmail", "String", "sender_email")]
    # not data: a private nested helper, a holder of a view binding, an OkHttp interceptor
    assert not {"Range", "ArticleHolder", "TokenInterceptor"} & set(got)
    assert "NetModule" not in got and "Feed" not in got  # a Dagger @Module; a class with behaviour
    assert "AuthClient" not in got and "Player" not in got  # behaviour, not data
    # AutoValue: the abstract accessors are the properties; its Builder is not a model
    assert got["Profile"] == [("email", "String", None), ("displayName", "String", "display_name"),
                              ("bio", "String", None)]
    assert "Builder" not in got
    # a ButterKnife view holder, a framework type's LayoutParams and SavedState are not data
    assert not {"RowHolder", "LayoutParams", "SavedState", "RowViews"} & set(got)
    # fields that share a declaration (`private long start, end;`)
    assert got["Track"] == [("title", "String", "track_title"), ("start", "long", None), ("end", "long", None)]
    # public fields with a derived getter and Comparable/Parcelable boilerplate
    assert got["Clip"] == [("clipId", "String", None), ("created", "String", None), ("videoUrl", "String", None)]
    # (a getter that formats its field with an argument, getDisplayedTitle(upperCase), is still data)
    # not data: a store whose accessors read preferences, a loader whose only "getter" reads no
    # field of its own, a builder (build(), or fluent setters returning the class), a helper whose
    # setter sets no field of its own, a holder of UI resource ids (the known value-type/helper
    # false positives)
    assert not {"SelectionStore", "TrackLoader", "QueryBuilder", "PagerOptions", "ScreenMode", "CardStyle",
                "Gallery"} & set(got)
    # fields kept from shrinking with @Keep: reflection-serialised data, methods or not
    assert got["Story"] == [("id", "long", None), ("title", "String", None), ("kids", "long[]", None),
                            ("expanded", "boolean", None)]


def test_swift_contracts(swift):
    assert contracts(swift) == order([
        ("GET", "/movie/popular", None, True),        # enum path/method switches joined by case
        ("GET", "/movie/{id}", None, True),
        ("POST", "/movie/{id}/rating", None, True),
        ("GET", "/search/movie", None, True),         # default branch
        ("GET", "/zen", None, True),                  # Moya TargetType extension
        ("GET", "/users/{name}", None, True),
        ("GET", "/3/trending/movie/day", None, True),  # Endpoint(path:method:)
        ("POST", "/3/account", None, True),
        ("POST", "/auth/login", "api.movies.io", True),  # URL + URLRequest.httpMethod (relative to
        ("GET", "/feed", "api.movies.io", True),         # Config.baseURL = ".../v1"); URL + dataTask(with:)
        ("POST", "/orders", "api.movies.io", True),      # AF.request(..., method: .post)
        ("GET", "/orders/{id}", "api.movies.io", True),
        ("GET", "/v2/all", None, True),               # extension Outer.API: APICall { var path ... }
        ("GET", "/v2/alpha/{code}", None, True),
        ("GET", "/spots", None, True),                # var urlPath switch expressions, no return
        ("GET", "/spots/{id}", None, True),           # case let .spot(id), let .deleteSpot(id):
        ("DELETE", "/spots/{id}", None, True),
        ("POST", "/spots/{spotID}/comments", None, True),
        ("POST", "/spots/{spotID}/comments/{commentID}", None, True),
        ("GET", "/top.json", "feeds.example.org", True),    # baseUrl + feedPath, feedPath = switch
        ("GET", "/latest.json", "feeds.example.org", True),  # over literals: one per literal
        ("GET", "/shots", None, True),                # MoyaSugar `var route`: .get("/shots")
        ("GET", "/shots/{id}", None, True),
        ("POST", "/shots/{id}/like", None, True),
        ("POST", "/oauth/token", "auth.shots.io", True),  # AF continued on the next line: .request(...)
        ("GET", "/residents", None, True),            # func path() only; its file's URLRequest sets no
        ("GET", "/residents/{id}", None, True),       # method: URLSession's default GET
        ("GET", "/rest/items", None, True),           # HomeEndpoint(baseURL:, path:, ...) one label a line
        ("GET", "/icons/{theme}/{name}.svg", None, True),  # a `var` given another value: a parameter
        ("POST", "/rest/rules/{uuid}/run", None, True),  # HomeRequest(path:, method: .POST) on two lines
        ("POST", "/rest/items/{item}", None, True),   # doPost(baseURL:, path:): a helper named for its method
        ("GET", "/rest/items/{item}/state", None, True),  # doGet(...); a file store's delete(path:) is none
        ("POST", "/index.php/login/v2", None, True),  # URL(string: server + "/..."): the server is the base
        ("GET", "/stock", None, True),                # enum Endpoint: String { case stock = "/stock" }
        ("GET", "/stock/products/{productId}", None, True),  # with call(.product, ..., method: .GET)
        ("DELETE", "/stock/products/{productId}", None, True),  # and .DELETE: one contract per method;
        ("POST", "/stock/products/{productId}/consume", None, True),  # an unused case is none
        ("GET", "/photos", None, True),               # var endpoint: Endpoint { .get(path: "/photos") }
        ("GET", "/photos/{id}", None, True),
        ("POST", "/photos/{id}/like", None, True),
        ("GET", "/api/v0/product/{barcode}.json", "food.example.org", True),  # the function's parameter, not
        #                                                 another type's static `barcode`
        ("GET", "/api/stats/summary", None, True),     # get(path:) / post(_:body:) helpers on a
        ("GET", "/api/history/{id}", None, True),      # server the user enters: their call sites
        ("POST", "/api/dns/blocking", None, True),
        ("GET", "/archive/items", None, True),            # func endpoint() -> String switching over
        ("DELETE", "/archive/items/{id}", None, True),    # the cases, with func method()
        ("GET", "/archive/profile", None, True),          # a one-case enum: single values
        ("GET", "/ping", None, True),                     # a Moya target without a method: its
        ("GET", "/register", None, True),                 # protocol extension's default (another file)
        ("GET", "/{topic}/auth", None, True),             # URL(string: topicAuthURL(server:topic:)), a URL
        ("POST", "/{topic}", None, True),                 # function; channel.link() on a value, `?? "?"`
        #                                                   args; read(pollString:) is no other function's local
        ("GET", "/api/version", None, True),              # client.get("/api/...") from another file:
        ("GET", "/api/job/{id}", None, True),             # get -> getData(service) -> buildURL(service);
        ("POST", "/api/job/cancel", None, True),          # cache.get("api/settings") is no request
        ("GET", "/api/stations", "radio.example.org", True),    # Endpoint.stations through fetch ->
        ("POST", "/api/favorites/add", "radio.example.org", True),  # fetchData -> session.request(url,
        ("DELETE", "/api/history", "radio.example.org", True),  # method: method); .post/.delete given
        ("GET", "/api/v1/readings.json", None, True),     # urlWithPath(path: "api/v1/...", queryParams:)
        ("POST", "/api/v1/notes", None, True),            # then URLRequest(url: url!), httpMethod = "POST"
    ])  # a playground's URL is not the app's  # the privacy URL(string:) has no request: not a contract; neither are a protocol's
    #     `var path: String { get }` nor a generic builder's URL(string: baseURL + path)
    names = {a["name"] for a in swift["summary"]["api_contracts"] if a["name"]}
    assert names == {"popular", "details", "rate", "search", "zen", "userProfile", "all", "byCode",
                     "listSpots", "spot", "deleteSpot", "addComment", "editComment", "shots", "shot", "like", "residents", "resident", "stock", "product",
                     "productConsume", "photos", "photo", "list", "remove", "get", "ping", "register"}
    # a model's computed `var imagePath: String { ... }` is not an endpoint
    assert not [a for a in swift["summary"]["api_contracts"] if a["path"] and "/images/" in a["path"]]


def test_swift_machines_and_models(swift):
    assert machines(swift) == {
        "LoadingState": (["idle", "loading", "loaded", "failed"], "high"),  # @Published var
        "Tab": (["home", "search", "profile"], "high"),                     # @State var
        "ListLoading": (["fullScreen", "nextPage"], "high"),                # held in a Box<ListLoading?>
        "SheetRoute": (["comment", "report"], "high"),                      # @State var x: T?
        "RowState": (["loading", "loaded"], "high"),                        # [Int: RowState], a state per key
        "Route": (["spot", "settings"], "high"),                            # navigationPath.append
        "Mode": (["single", "multiple"], "high"),                           # PickerScreen's @State
        "Remote": (["idle", "loaded"], "high"),                             # Remote<[String]>
        "UploadStatus": (["idle", "uploading", "done"], "high"),            # the app's own Observable<T> box
        "ListTab": (["watchlist", "seen"], "high"),                         # @State on a line of its own
        "Order": (["name", "birthday"], "high"),                            # @Published var x = T.a { didSet }
    }  # SaveAlert (only the first value of a var annotated with a protocol), SectionItem (only
    #    in an array: rows of a list), Theme (never held), APIError (an Error), CodingKeys, Config, MovieEndpoint, HTTPVerb (named
    #    only by a protocol's `{ get }` requirement), API and ServerEndpoint (endpoint enums),
    #    ServerMethod (a computed `var method`), Outcome (associated values, but a result returned
    #    and passed on: the known DeepLink-style false positive), Layout (a plain var of a view),
    #    SpotsScreen.Mode (a let), Size (Size.allCases), Filter (a local var): not machines
    modes = [m for m in swift["summary"]["state_machines"] if m["name"] == "Mode"]
    assert [os.path.basename(m["file"]) for m in modes] == ["PickerScreen.swift"]
    reasons = {m["name"]: m["reason"] for m in swift["summary"]["state_machines"]}
    assert reasons["SheetRoute"] == "enum with associated values held in mutable state"
    assert reasons["Tab"] == "enum held in mutable state"
    got = models(swift)
    assert got["MovieList"] == [("page", "Int", "page"), ("totalPages", "Int", "total_pages"),
                                ("results", "[Movie]", "results")]
    assert got["Movie"] == [("id", "Int", None), ("title", "String", None), ("rating", "Double", None),
                            ("tags", "[String]", None), ("createdAt", "Date", None), ("formatter", None, None)]
    assert got["Bookmark"] == [("movieID", "Int", None), ("note", "String?", None)]  # SwiftData @Model
    assert got["PrinterEntity"] == [("name", "String", None), ("hostname", "String?", None),  # Core Data
                                    ("port", "Int16", None)]                                   # @NSManaged
    assert "Fixture" not in got and "Vendored" not in got
    # names that share a declaration (`let title, body: String?`); Codable through a protocol
    assert got["Post"] == [("id", "Int", None), ("title", "String?", None), ("body", "String?", None)]
    assert got["Poll"] == [("id", "Int", None), ("options", "[Int]", None)]
    assert "Banner" not in got  # conforms to a protocol that is not Codable
    # Codable through a protocol declared in another file (and through one refining it)
    assert got["Review"] == [("id", "Int", "id"), ("authorName", "String", "author_name"),
                             ("likeCount", "Int", "likes_count")]
    assert got["Shelf"] == [("name", "String", None)]
    assert "Palette" not in got
    # Codable through a superclass declared in another file (its own stored properties only)
    assert got["LogEntry"] == [("id", "String", None), ("createdAt", "Date", None)]
    assert got["NoteEntry"] == [("text", "String", None), ("pinned", "Bool", None)]
    assert got["Spot"] == [("id", "Int", "id"), ("latitude", "Double", "lat"), ("longitude", "Double", "lon"),
                           ("title", "String?", "title")]
    # two types named Country in one file (extension StoreModel / extension WireModel): both
    countries = [[(f["name"], f["wire_name"]) for f in m["fields"]]
                 for m in swift["summary"]["data_models"] if m["name"] == "Country"]
    assert sorted(countries, key=str) == sorted([[("name", None), ("code", None), ("population", None)],
                                                 [("name", "name"), ("code", "alpha3Code"), ("flag", "alpha2Code")]],
                                                key=str)


def test_comments_and_strings_are_not_code(kotlin, java, swift):
    for doc in (kotlin, java, swift):
        for f in doc["results"]:
            assert "not an endpoint" not in f["text"] and "also/not/code" not in f["text"]
            assert "commented" not in f["text"]
    paths = [a["path"] for doc in (kotlin, java, swift) for a in doc["summary"]["api_contracts"]]
    assert "/not/an/endpoint" not in paths and "/p" not in paths


def test_known_false_positives(kotlin, java):
    rules = lambda doc, rule: [f for f in doc["results"] if f["rule_id"] == rule]
    # androidx @NonNull is nullness, not Bean Validation (no javax/jakarta.validation import)
    assert rules(kotlin, "validation-annotation") == [] and rules(java, "validation-annotation") == []
    # Compose named arguments and val declarations are not transitions; assignments are
    values = [f["captures"]["value"] for f in rules(kotlin, "state-assignment")]
    assert values == ["Async.Loading"]
    # KDoc and block-comment lines with '*' are not products; the code line is
    overflow = [(os.path.basename(f["path"]), f["line"]) for f in rules(kotlin, "overflow-risk")]
    assert overflow == [("Models.kt", 37)]  # return width * height
    assert all(f["line"] != 26 for f in rules(java, "overflow-risk") if f["path"].endswith("Player.java"))


def test_skipped_files_are_summarised(kotlin, swift, run):
    skipped = kotlin["summary"]["skipped"]
    assert set(skipped) == {"test sources", "generated code (build output)", "bundled web assets",
                            "build and tool scripts"}
    assert skipped["test sources"]["files"] == 2  # src/test/..., and tests/api/login_spec.js
    assert skipped["test sources"]["example"].endswith("src/test/java/org/demo/RepoApiTest.kt")
    assert kotlin["summary"]["skipped_files"] == 5
    assert set(swift["summary"]["skipped"]) == {"test sources", "vendored dependencies", "Xcode file templates",
                                                "Xcode playgrounds"}
    everything = analyse(run, "kotlin", "--all-files")
    assert everything["summary"]["skipped"] == {} and everything["summary"]["skipped_files"] == 0
    assert ("GET", "/test/only", None, True) in contracts(everything)
    assert "GeneratedDto" in models(everything)
    table = run("--format", "table", "patterns", os.path.join(MOBILE, "swift"))
    assert "1 test sources" in table.text and "1 vendored dependencies" in table.text
    assert "1 Xcode file templates" in table.text


def test_named_file_is_never_skipped(run):
    path = os.path.join(MOBILE, "kotlin", "app", "src", "test", "java", "org", "demo", "RepoApiTest.kt")
    doc = run("patterns", path).json()
    assert doc["summary"]["files"] == 1 and doc["summary"]["skipped_files"] == 0


@pytest.mark.parametrize("platform", ["kotlin", "swift"])
def test_shards_merge_to_the_same_contracts(run, tmp_path, platform):
    # swift: the holders of a nested `Mode` declared in two files travel with their files
    # (state_types "Name@file" entries), so the merge keeps only PickerScreen's
    whole = analyse(run, platform)
    parts = []
    for k in (1, 2, 3):
        out = tmp_path / f"s{k}.json"
        r = run("-o", out, "patterns", "--shard", f"{k}/3", os.path.join(MOBILE, platform))
        assert r.code == 0, r.err
        parts.append(out)
    merged = run("merge", *parts).json()
    assert contracts(merged) == contracts(whole)
    assert machines(merged) == machines(whole)
    files = lambda doc: sorted((m["name"], os.path.basename(m["file"])) for m in doc["summary"]["state_machines"])
    assert files(merged) == files(whole)


def test_shards_merge_to_the_same_transitions(run, tmp_path):
    # one machine written in eight files: the merged transitions keep the unsharded (path) order
    src = tmp_path / "app"
    src.mkdir()
    states = "".join(f"    object S{i} : Load()\n" for i in range(8))
    (src / "Load.kt").write_text("sealed class Load {\n" + states + "}\n")
    for i in range(8):
        (src / f"Screen{i}.kt").write_text(
            f"class Screen{i} {{\n    var load: Load = Load.S{i}\n    fun go() {{\n        load = Load.S{(i + 1) % 8}\n    }}\n}}\n")
    whole = run("patterns", src).json()
    parts = []
    for k in (1, 2, 3):
        out = tmp_path / f"s{k}.json"
        assert run("-o", out, "patterns", "--shard", f"{k}/3", src).code == 0
        parts.append(out)
    merged = run("merge", *parts).json()
    transitions = lambda doc: [(os.path.basename(t["file"]), t["line"], t["to"])
                               for m in doc["summary"]["state_machines"] for t in m["transitions"]]
    assert len(transitions(whole)) >= 8
    assert transitions(merged) == transitions(whole)


def test_every_builtin_rule_is_documented():
    import re
    ids = re.findall(r"^  - id: (\S+)", open(PACK).read(), re.M)
    man = open(MAN).read().replace("\\-", "-")
    missing = [i for i in ids if f".B {i}\n" not in man]
    assert not missing


NAMING = os.path.abspath(os.path.join(HERE, "..", "data", "patterns", "naming"))


def wire(run, name):
    r = run("patterns", os.path.join(NAMING, name))
    assert r.code == 0, r.err
    return {m["name"]: {f["name"]: (f["wire_name"], f.get("wire_policy", "").split(" (")[0] or None)
                        for f in m["fields"]} for m in r.json()["summary"]["data_models"]}


def test_naming_policies_give_wire_names(run):
    gson = "FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES"
    jackson = "PropertyNamingStrategies.SnakeCaseStrategy"
    assert wire(run, "jvm") == {
        "Account": {"id": (None, None), "userName": ("user_name", gson), "avatarURL": ("avatar_u_r_l", gson),
                    "email": ("e_mail", None)},  # an annotation wins
        "Invoice": {"totalAmount": ("total_amount", jackson), "dueDateUTC": ("due_date_utc", jackson)},
    }
    swift = "keyDecodingStrategy = .convertFromSnakeCase"
    assert wire(run, "swift") == {
        "Metrics": {"cpuTemp": ("cpu_temp", swift), "memory": (None, None)},
        "Memory": {"totalMemory": ("total_memory", swift)},   # the type of a field of a decoded type
        "Settings": {"themeName": (None, None)},               # not decoded by that decoder
        "Token": {"accessToken": ("access_token", swift), "userID": ("user_id", swift), "scope": (None, None)},
    }


def test_a_generated_header_is_not_the_app(java, run):
    # `// THIS CODE IS GENERATED BY ..., DO NOT EDIT.` at the top: skipped unless --all-files
    assert java["summary"]["skipped"]["generated code (header)"]["files"] == 1
    assert "TrackCache" not in models(java)
    assert "TrackCache" in models(analyse(run, "java", "--all-files"))
