// The obscore application: builds the CLI11 app with the global options, registers the
// subcommands from one table, parses, and maps every failure to the exit codes of man/obscore.1.
#include "app.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "commands/commands.hpp"
#include "completion.hpp"
#include "obscore/core/atomic_file.hpp"
#include "obscore/core/parallel.hpp"
#include "obscore/version.hpp"

namespace obscore::app {

namespace {

// Subcommands appear here only when they work end to end.
// The merge column registers a subcommand's --shard outputs with `obscore merge`.
constexpr Command kCommands[] = {
    {"ast", "per-function complexity metrics (cyclomatic, cognitive, nesting, size)", setup_ast, merge_ast},
    {"logscan", "record-aware log summaries: levels, patterns, time histogram, templates",
     setup_logscan, merge_logscan},
    {"patterns", "business-logic analysis of source trees with regex rule packs", setup_patterns,
     merge_patterns},
    {"correlate", "attribute API calls to the UI events that caused them", setup_correlate, nullptr},
    {"config", "YAML/JSON: to-json, to-yaml, get, merge, lint, validate", setup_config, merge_config},
    {"crypto", "Argon2id password hashing in batches; streaming AES-256-GCM file encryption", setup_crypto,
     nullptr},
    {"netscan", "concurrent TCP port scans, service identification and health checks", setup_netscan, nullptr},
    {"merge", "combine the JSON outputs of --shard K/N runs into the unsharded run's output", setup_merge,
     nullptr},
    {"schema", "print the JSON Schema of a subcommand's JSON/NDJSON output: obscore schema <cmd>", setup_schema,
     nullptr},
};

std::string version_string() {
  std::string v = fmt::format("obscore {}", kVersion);
  if (*kGitRevision != '\0') v += fmt::format(" (git {})", kGitRevision);
  return v;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

core::ColorMode parse_color_mode(std::string_view color) {
  return color == "always" ? core::ColorMode::kAlways : color == "never" ? core::ColorMode::kNever : core::ColorMode::kAuto;
}

// --color for the messages printed before (or instead of) a successful parse.
core::ColorMode g_error_color = core::ColorMode::kAuto;

// What is needed before CLI11 parses: the first positional word (the subcommand) and --color.
// Which global options take a value is read from the app itself, the one place they are defined.
struct EarlyArgs {
  std::string subcommand;
  core::ColorMode color = core::ColorMode::kAuto;
};

EarlyArgs scan_early_args(const CLI::App& app, int argc, char** argv) {
  EarlyArgs early;
  auto takes_value = [&](std::string_view arg) {
    for (const CLI::Option* opt : app.get_options()) {
      if (opt->get_expected_min() > 0 && opt->check_name(std::string(arg))) return true;  // flags expect 0
    }
    return false;
  };
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") {
      if (early.subcommand.empty() && i + 1 < argc) early.subcommand = argv[i + 1];
      break;
    }
    if (a.starts_with("--color=")) early.color = parse_color_mode(a.substr(8));
    if (a.starts_with("-")) {
      if (a.find('=') == std::string_view::npos && takes_value(a) && i + 1 < argc) {
        if (a == "--color") early.color = parse_color_mode(argv[i + 1]);
        ++i;
      }
      continue;
    }
    if (early.subcommand.empty()) early.subcommand = std::string(a);
  }
  return early;
}

void print_error(const std::string& message, const std::string& path = {}, int line = 0,
                 int column = 0) {
  core::Diagnostic d{path, line, column, core::Severity::kError, message};
  std::fprintf(stderr, "%s\n", core::format_message(d, core::use_color(g_error_color, stderr)).c_str());
}

}  // namespace

std::span<const Command> commands() { return kCommands; }

core::OutputOptions Globals::output_options(const std::string& command) const {
  core::OutputOptions o;
  o.command = command;
  o.path = output;
  bool to_terminal = output.empty() && core::is_terminal(stdout);
  if (format.empty()) {
    o.format = to_terminal ? core::Format::kTable : core::Format::kJson;
  } else {
    o.format = *core::parse_format(format);
  }
  o.color = output.empty() && core::use_color(parse_color_mode(color), stdout);
  o.width = to_terminal ? core::terminal_width(stdout) : 0;
  if (to_terminal && o.format == core::Format::kTable) {
    // On a terminal the diagnostics go above the table, where they are read, not below it.
    o.before_table = [this](const std::vector<core::Diagnostic>& diagnostics) {
      report(*this, diagnostics);
      std::fflush(stderr);
      *reported = true;
    };
  }
  return o;
}

bool Globals::show_progress() const { return !quiet && core::is_terminal(stderr); }

bool Globals::color_stderr() const { return core::use_color(parse_color_mode(color), stderr); }

CLI::Validator whole_number(long long lo, long long hi) {
  auto check = [lo, hi](std::string& value) -> std::string {
    long long v = 0;
    const char* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, v);
    if (ec == std::errc::result_out_of_range || (ec == std::errc() && ptr == end && (v < lo || v > hi))) {
      return hi == std::numeric_limits<int>::max() ? fmt::format("{} is not a whole number >= {}", value, lo)
                                                    : fmt::format("{} is not between {} and {}", value, lo, hi);
    }
    if (ec != std::errc() || ptr != end) return fmt::format("'{}' is not a whole number", value);
    return {};
  };
  std::string name = hi == std::numeric_limits<int>::max() ? fmt::format("INT>={}", lo) : fmt::format("INT in {}..{}", lo, hi);
  return CLI::Validator(check, name);
}

void add_walk_flags(CLI::App& sub, core::WalkOptions& walk, bool& no_ignore) {
  sub.add_flag("--no-ignore", no_ignore, "do not honour .gitignore / .ignore");
  sub.add_flag("--hidden", walk.hidden, "include hidden files and directories");
  sub.add_flag("-L,--follow", walk.follow_symlinks, "follow symbolic links");
  sub.add_option("--include", walk.include, "only files matching GLOB (repeatable)")
      ->allow_extra_args(false);
  sub.add_option("--exclude", walk.exclude, "skip files/directories matching GLOB (repeatable)")
      ->allow_extra_args(false);
}

void add_shard_flag(CLI::App& sub, core::WalkOptions& walk) {
  sub.add_option_function<std::string>(
         "--shard",
         [&walk](const std::string& spec) {
           auto shard = core::parse_shard(spec);
           if (!shard) throw CLI::ValidationError("--shard", "expected K/N with 1 <= K <= N <= 65536, got '" + spec + "'");
           walk.shard_index = shard->first;
           walk.shard_count = shard->second;
           walk.sharded = true;
         },
         "only shard K of N of the input files (stable by path); combine the JSON outputs with obscore merge")
      ->type_name("K/N");
}

void report(const Globals& g, const std::vector<core::Diagnostic>& diagnostics) {
  bool color = g.color_stderr();
  std::vector<const core::Diagnostic*> shown;
  for (const auto& d : diagnostics) {
    if (d.severity == core::Severity::kNote && g.verbose == 0) continue;
    if (d.severity == core::Severity::kWarning && g.quiet) continue;
    shown.push_back(&d);
  }
  if (g.verbose > 0 || !core::is_terminal(stderr)) {  // logs and -v: every one
    for (const auto* d : shown) std::fprintf(stderr, "%s\n", core::format_message(*d, color).c_str());
    return;
  }
  for (const auto& line : core::summarise_diagnostics(shown, kSummariseFrom)) {
    std::fprintf(stderr, "%s\n", core::format_message(line.first, color).c_str());
  }
}

core::ExitCode finish(const Globals& g, const core::RunResult& result) {
  if (!*g.reported) report(g, result.diagnostics);
  return core::exit_code_for(result);
}

// Every value given to a parsed subcommand and its parsed verbs (inputs, --ui/--api, --rules,
// key and pattern files, ...): the files an -o file must not be.
std::vector<std::string> argument_values(const CLI::App& sub) {
  std::vector<std::string> values;
  for (const CLI::Option* opt : sub.get_options()) {
    for (const auto& v : opt->results()) values.push_back(v);
  }
  for (const CLI::App* verb : sub.get_subcommands()) {
    auto more = argument_values(*verb);
    values.insert(values.end(), more.begin(), more.end());
  }
  return values;
}

int run(int argc, char** argv) {
  core::install_interrupt_handlers();
  CLI::App app{"obscore: fast, CI-friendly code, log, config, network and crypto analysis",
               "obscore"};
  app.require_subcommand(0, 1);
  app.fallthrough();
  app.set_help_all_flag("--help-all", "show help for every subcommand");
  Globals g;
  bool show_version = false;
  app.add_flag("--version", show_version, "print the version and exit");
  app.add_option("--format", g.format,
                 "output format: json|ndjson|csv|table|sarif|markdown|html|dot (default: table on a "
                 "terminal, json otherwise); markdown is a CI job summary with Mermaid diagrams, html a "
                 "self-contained report, dot the state machines and flows for Graphviz")
      ->check(CLI::IsMember({"json", "ndjson", "csv", "table", "sarif", "markdown", "html", "dot"}));
  app.add_option("-o,--output", g.output,
                 "write the output to FILE atomically (temp + rename); never one of the inputs");
  app.add_option("-j,--threads", g.threads, "worker threads (default: all cores)")
      ->check(whole_number(1, 1024));
  app.add_flag("-q,--quiet", g.quiet, "only errors on stderr; no progress line");
  app.add_flag("-v,--verbose", g.verbose, "more logging on stderr (-vv for debug)");
  app.add_option("--color", g.color, "colour: auto|always|never (auto honours NO_COLOR)")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  std::vector<std::pair<CLI::App*, Runner>> runners;
  for (const auto& c : kCommands) {
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    runners.emplace_back(sub, c.setup(*sub));
  }
  auto* help = app.add_subcommand("help", "show help for a subcommand: obscore help <cmd>");
  std::string help_topic;
  help->add_option("command", help_topic, "subcommand");
  auto* completion = app.add_subcommand("completion", "print a shell completion script: obscore completion bash");
  std::string shell = "bash";
  completion->add_option("shell", shell, "shell (bash)")->check(CLI::IsMember({"bash"}));

  // A typo in the subcommand gets a suggestion instead of CLI11's generic message.
  EarlyArgs early = scan_early_args(app, argc, argv);
  g_error_color = early.color;
  const std::string& word = early.subcommand;
  if (!word.empty() && word != "help" && word != "completion" &&
      std::none_of(std::begin(kCommands), std::end(kCommands),
                   [&](const Command& c) { return word == c.name; })) {
    std::string best;
    std::size_t best_d = 3;
    for (const auto& c : kCommands) {
      std::size_t d = edit_distance(word, c.name);
      if (d < best_d) {
        best_d = d;
        best = c.name;
      }
    }
    std::string msg = fmt::format("unknown subcommand '{}'", word);
    if (!best.empty()) msg += fmt::format("; did you mean '{}'?", best);
    else msg += "; run 'obscore --help' for the list";
    print_error(msg);
    return static_cast<int>(core::ExitCode::kUsage);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return 0;
  } catch (const CLI::ParseError& e) {
    // CLI11's own exit codes (100-127) never leak: every parse error is a usage error.
    print_error(fmt::format("{}; run 'obscore --help'",
                            [&] {
                              std::string m = e.what();
                              if (!m.empty()) m[0] = static_cast<char>(std::tolower(m[0]));
                              return m;
                            }()));
    return static_cast<int>(core::ExitCode::kUsage);
  }

  g_error_color = parse_color_mode(g.color);
  if (show_version) {
    std::printf("%s\n", version_string().c_str());
    return 0;
  }
  if (completion->parsed()) {
    std::fputs(bash_completion(app).c_str(), stdout);
    return 0;
  }
  if (help->parsed()) {
    if (help_topic.empty()) {
      std::fputs(app.help().c_str(), stdout);
      return 0;
    }
    for (auto& [sub, runner] : runners) {
      if (sub->get_name() == help_topic) {
        std::fputs(sub->help().c_str(), stdout);
        return 0;
      }
    }
    print_error(fmt::format("unknown subcommand '{}'", help_topic));
    return static_cast<int>(core::ExitCode::kUsage);
  }

  auto logger = spdlog::stderr_color_mt("obscore");
  logger->set_pattern("obscore: %l: %v");
  logger->set_level(g.quiet ? spdlog::level::err
                    : g.verbose >= 2 ? spdlog::level::debug
                    : g.verbose == 1 ? spdlog::level::info
                                     : spdlog::level::warn);
  spdlog::set_default_logger(logger);

  for (auto& [sub, runner] : runners) {
    if (!sub->parsed()) continue;
    try {
      core::ThreadLimit limit(g.threads);
      if (std::getenv("OBSCORE_INTERNAL_TEST_FAULT") != nullptr) {
        // Lets the test-suite check the exit code of an internal error (man obscore, ENVIRONMENT).
        throw std::logic_error("fault injected by OBSCORE_INTERNAL_TEST_FAULT");
      }
      core::refuse_output_among_inputs(g.output, argument_values(*sub));
      return static_cast<int>(runner(g));
    } catch (const core::ReaderGone&) {
      return static_cast<int>(core::ExitCode::kOk);
    } catch (const core::Error& e) {
      print_error(e.what(), e.path(), e.line(), e.column());
      return static_cast<int>(e.exit_code());
    } catch (const std::bad_alloc&) {
      print_error("out of memory");
      return static_cast<int>(core::ExitCode::kInternal);
    } catch (const std::exception& e) {
      print_error(fmt::format("internal error: {}", e.what()));
      return static_cast<int>(core::ExitCode::kInternal);
    }
  }
  std::fputs(app.help().c_str(), stdout);
  return static_cast<int>(core::ExitCode::kUsage);
}

}  // namespace obscore::app
