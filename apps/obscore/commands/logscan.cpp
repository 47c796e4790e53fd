// `obscore logscan`: flags -> logscan::Options, then one call into libs/logscan.
#include <limits>

#include <fmt/format.h>

#include "commands/commands.hpp"
#include "commands/yaml_input.hpp"
#include "obscore/core/read.hpp"
#include "obscore/logscan/logscan.hpp"

namespace obscore::app {

Runner setup_logscan(CLI::App& sub) {
  struct Flags {
    std::vector<std::string> inputs, exprs, pattern_files;
    std::string fail_on, bucket = "auto";
    logscan::Options opt;
    bool no_ignore = false;
  };
  auto f = std::make_shared<Flags>();
  sub.add_option("inputs", f->inputs, "log files, directories, globs, or - for stdin");
  sub.add_option("--log-format", f->opt.format,
                 "force the format: json, logfmt, syslog5424, syslog3164, apache, nginx, logcat, "
                 "hdfs, spark, python, iso, plain");
  sub.add_option("--header", f->opt.header_regex,
                 "custom header REGEX with named groups ts, level, msg (a matching line starts a record)");
  sub.add_option("-e,--regexp", f->exprs, "count records and lines matching [ID=]REGEX (repeatable)")
      ->allow_extra_args(false);
  sub.add_option("--patterns", f->pattern_files, "file of patterns: YAML, or one [ID=]REGEX per line")
      ->allow_extra_args(false);
  sub.add_flag("--templates", f->opt.templates, "mine message templates (Drain-style)");
  sub.add_option("--top", f->opt.top, "templates or error messages to list (default 10)")
      ->check(whole_number(0, std::numeric_limits<int>::max()));
  sub.add_option("--bucket", f->bucket, "histogram bucket: auto|1m|1h|1d")
      ->check(CLI::IsMember({"auto", "1m", "1h", "1d"}));
  sub.add_option("--year", f->opt.year, "year for formats without one (default: this year)")
      ->check(whole_number(1970, 9999));
  sub.add_option("--fail-on", f->fail_on, "exit 1 if any record is at or above LEVEL");
  sub.add_option("--fail-on-pattern", f->opt.fail_on_patterns, "exit 1 if pattern ID matches")
      ->allow_extra_args(false);
  add_walk_flags(sub, f->opt.walk, f->no_ignore);
  add_shard_flag(sub, f->opt.walk);

  return [f](const Globals& g) {
    logscan::Options& o = f->opt;
    if (f->inputs.empty()) {
      throw core::Error(core::ErrorKind::kUsage, "no inputs: name log files or directories, or - for stdin");
    }
    for (const auto& e : f->exprs) o.patterns.push_back(logscan::parse_pattern_arg(e));
    for (const auto& path : f->pattern_files) {
      auto text = core::read_input(path, path == "-", core::ReadLimits{16u << 20, false});
      if (!text) throw core::Error(core::ErrorKind::kUsage, "--patterns: " + text.error(), path);
      if (logscan::looks_like_yaml_patterns(text->bytes(), path)) {
        load_yaml_documents(text->bytes(), path, [&](const core::Json& doc) {
          auto more = logscan::parse_pattern_data(doc);
          o.patterns.insert(o.patterns.end(), more.begin(), more.end());
        });
      } else {
        auto more = logscan::parse_pattern_lines(text->bytes(), path);
        o.patterns.insert(o.patterns.end(), more.begin(), more.end());
      }
    }
    if (!f->fail_on.empty()) {
      o.fail_on = logscan::parse_severity(f->fail_on);
      if (!o.fail_on) {
        throw core::Error(core::ErrorKind::kUsage,
                          fmt::format("--fail-on: unknown level '{}' (trace, debug, info, notice, "
                                      "warn, error, fatal)", f->fail_on));
      }
    }
    o.bucket = *logscan::parse_bucket(f->bucket);
    o.walk.use_ignore_files = !f->no_ignore;
    o.progress = g.show_progress();
    logscan::validate(o);
    core::Output out(g.output_options("logscan"), logscan::make_view());
    return finish(g, logscan::run(f->inputs, o, out));
  };
}

void merge_logscan(const core::Partials& partials, const Globals& g) {
  core::Output out(g.output_options("logscan"), logscan::make_view());
  report(g, logscan::merge(partials, out));
}

}  // namespace obscore::app
