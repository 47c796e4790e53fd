// Directory walking: iterative DFS over opendir/readdir, ignore files as a chain from the
// repository top down to each directory, symlink loops caught by (device, inode) ancestry.
#include "obscore/core/walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <utility>

#include "obscore/core/glob.hpp"
#include "obscore/core/ignore.hpp"
#include "obscore/core/read.hpp"

namespace obscore::core {

namespace {

struct RuleChain {
  IgnoreRules rules;
  std::shared_ptr<const RuleChain> parent;
};

struct DirId {
  dev_t dev;
  ino_t ino;
  std::shared_ptr<const DirId> parent;
};

std::string read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool is_ignored(const RuleChain* chain, std::string_view rel, bool is_dir) {
  for (; chain != nullptr; chain = chain->parent.get()) {
    if (auto verdict = chain->rules.match(rel, is_dir)) return *verdict;
  }
  return false;
}

class Walker {
 public:
  Walker(const WalkOptions& options, WalkResult& out) : opt_(options), out_(out) {}

  // Walks directory `root` (as typed). `keep` filters by path relative to root (globs).
  void walk_root(const std::string& root, std::string_view glob_rest = {}) {
    struct stat st {};
    if (::stat(root.c_str(), &st) != 0) {
      add_error(root, errno_message(errno));
      return;
    }
    std::shared_ptr<const RuleChain> chain;
    if (opt_.use_ignore_files) chain = ancestor_rules(root);
    auto id = std::make_shared<const DirId>(DirId{st.st_dev, st.st_ino, nullptr});
    struct Frame {
      std::string path;  // display path of the directory
      std::string rel;   // relative to root ("" for the root)
      std::shared_ptr<const RuleChain> chain;
      std::shared_ptr<const DirId> id;
    };
    std::vector<Frame> stack;
    stack.push_back({root, "", chain, id});
    while (!stack.empty()) {
      Frame frame = std::move(stack.back());
      stack.pop_back();
      // This directory's own ignore files (.gitignore first, then .ignore which wins).
      if (opt_.use_ignore_files) {
        for (const char* name : {".gitignore", ".ignore"}) {
          std::string text = read_small_file(join_fs(frame.path, name));
          if (text.empty()) continue;
          auto node = std::make_shared<RuleChain>();
          node->rules = IgnoreRules::parse(text, frame.rel);
          node->parent = frame.chain;
          frame.chain = std::move(node);
        }
      }
      DIR* dir = ::opendir(frame.path.c_str());
      if (dir == nullptr) {
        add_error(frame.path, errno_message(errno));
        continue;
      }
      std::vector<std::pair<std::string, unsigned char>> entries;
      while (dirent* e = ::readdir(dir)) {
        std::string_view name = e->d_name;
        if (name == "." || name == "..") continue;
        entries.emplace_back(std::string(name), e->d_type);
      }
      ::closedir(dir);
      // Push subdirectories in reverse name order so they pop in order (cosmetic only:
      // the final list is sorted anyway).
      std::sort(entries.begin(), entries.end(), std::greater<>());
      for (auto& [name, type] : entries) {
        if (name == ".git") continue;
        if (!opt_.hidden && name[0] == '.') continue;
        std::string path = join_fs(frame.path, name);
        std::string rel = frame.rel.empty() ? name : frame.rel + "/" + name;
        bool is_dir = type == DT_DIR;
        bool is_link = type == DT_LNK;
        bool is_reg = type == DT_REG;
        if (type == DT_UNKNOWN) {
          struct stat lst {};
          if (::lstat(path.c_str(), &lst) != 0) continue;
          is_dir = S_ISDIR(lst.st_mode);
          is_link = S_ISLNK(lst.st_mode);
          is_reg = S_ISREG(lst.st_mode);
        }
        dev_t dev = 0;
        ino_t ino = 0;
        if (is_link) {
          if (!opt_.follow_symlinks) continue;
          struct stat tst {};
          if (::stat(path.c_str(), &tst) != 0) {
            add_warning(path, "broken symbolic link");
            continue;
          }
          is_dir = S_ISDIR(tst.st_mode);
          is_reg = S_ISREG(tst.st_mode);
          dev = tst.st_dev;
          ino = tst.st_ino;
        }
        if (!is_dir && !is_reg) continue;  // sockets, fifos, devices found by walking
        if (frame.chain && is_ignored(frame.chain.get(), rel, is_dir)) continue;
        if (excluded(rel, name)) continue;
        if (is_dir) {
          if (dev == 0 && ino == 0) {
            struct stat dst {};
            if (::stat(path.c_str(), &dst) != 0) continue;
            dev = dst.st_dev;
            ino = dst.st_ino;
          }
          if (opt_.follow_symlinks && in_ancestry(frame.id.get(), dev, ino)) {
            add_warning(path, "symbolic link loop: not followed");
            continue;
          }
          stack.push_back(
              {path, rel, frame.chain, std::make_shared<const DirId>(DirId{dev, ino, frame.id})});
          continue;
        }
        if (!included(rel, name)) continue;
        if (!glob_rest.empty() && !glob_match(glob_rest, rel)) continue;
        if (opt_.accept != nullptr && !opt_.accept(path, opt_.accept_ctx)) continue;
        out_.files.push_back({path, false, false});
      }
    }
  }

  void add_error(const std::string& path, std::string message) {
    out_.diagnostics.push_back({path, 0, 0, Severity::kError, std::move(message)});
  }
  void add_warning(const std::string& path, std::string message) {
    out_.diagnostics.push_back({path, 0, 0, Severity::kWarning, std::move(message)});
  }

 private:
  static std::string join_fs(const std::string& dir, std::string_view name) {
    if (dir.empty() || dir == ".") return std::string(name);
    std::string s = dir;
    if (s.back() != '/') s += '/';
    s += name;
    return s;
  }

  static bool in_ancestry(const DirId* id, dev_t dev, ino_t ino) {
    for (; id != nullptr; id = id->parent.get()) {
      if (id->dev == dev && id->ino == ino) return true;
    }
    return false;
  }

  static bool glob_hits(const std::vector<std::string>& globs, std::string_view rel,
                        std::string_view name) {
    for (const auto& g : globs) {
      std::string_view pat = g;
      bool anchored = pat.find('/') != std::string_view::npos;
      if (!pat.empty() && pat.front() == '/') pat.remove_prefix(1);
      if (anchored ? glob_match(pat, rel) : glob_match(pat, name)) return true;
    }
    return false;
  }
  bool excluded(std::string_view rel, std::string_view name) const {
    return glob_hits(opt_.exclude, rel, name);
  }
  bool included(std::string_view rel, std::string_view name) const {
    return opt_.include.empty() || glob_hits(opt_.include, rel, name);
  }

  // Ignore files of the directories above `root`, up to the top of its git repository
  // (the directory holding .git), including .git/info/exclude. None outside a repository.
  std::shared_ptr<const RuleChain> ancestor_rules(const std::string& root) {
    char* real = ::realpath(root.c_str(), nullptr);
    if (real == nullptr) return nullptr;
    std::string dir = real;
    std::free(real);
    std::vector<std::string> ancestors;  // root first, then up
    std::string top;
    for (std::string d = dir;;) {
      ancestors.push_back(d);
      struct stat st {};
      if (::stat((d + "/.git").c_str(), &st) == 0) {
        top = d;
        break;
      }
      if (d == "/" || d.empty()) break;
      auto slash = d.rfind('/');
      d = slash == 0 ? "/" : d.substr(0, slash);
    }
    if (top.empty()) return nullptr;
    std::shared_ptr<const RuleChain> chain;
    auto add = [&](const std::string& file, const std::string& prefix) {
      std::string text = read_small_file(file);
      if (text.empty()) return;
      auto node = std::make_shared<RuleChain>();
      node->rules = IgnoreRules::parse(text, "", prefix);
      node->parent = chain;
      chain = std::move(node);
    };
    // From the top down to the root's parent; the root's own files are read by the walk.
    for (std::size_t i = ancestors.size(); i-- > 1;) {
      const std::string& a = ancestors[i];
      std::string prefix = dir.substr(a.size() == 1 ? 1 : a.size() + 1);
      if (i == ancestors.size() - 1) add(a + "/.git/info/exclude", prefix);
      add(a + "/.gitignore", prefix);
      add(a + "/.ignore", prefix);
    }
    if (ancestors.size() == 1) add(dir + "/.git/info/exclude", "");
    return chain;
  }

  const WalkOptions& opt_;
  WalkResult& out_;
};

}  // namespace

WalkResult walk(const std::vector<std::string>& inputs, const WalkOptions& options) {
  WalkResult out;
  Walker walker(options, out);
  for (const auto& input : inputs) {
    if (input == "-") {
      out.files.push_back({"-", true, true});
      continue;
    }
    struct stat st {};
    if (::stat(input.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        walker.walk_root(input);
      } else {
        out.files.push_back({input, false, true});
      }
      continue;
    }
    int err = errno;
    if (err == ENOENT && has_glob_chars(input)) {
      // Literal directory prefix, then the pattern for the rest.
      std::size_t meta = input.find_first_of("*?[");
      std::size_t slash = input.rfind('/', meta);
      std::string base = slash == std::string::npos ? "." : input.substr(0, slash);
      std::string rest = slash == std::string::npos ? input : input.substr(slash + 1);
      if (base.empty()) base = "/";
      std::size_t before = out.files.size();
      walker.walk_root(base, rest);
      if (out.files.size() == before) {
        walker.add_error(input, "no files match this glob");
      }
      continue;
    }
    struct stat lst {};
    if (err == ENOENT && ::lstat(input.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
      walker.add_error(input, "broken symbolic link");
    } else if (err == ELOOP) {
      walker.add_error(input, "symbolic link loop");
    } else {
      walker.add_error(input, errno_message(err));
    }
  }
  std::sort(out.files.begin(), out.files.end(), [](const InputFile& a, const InputFile& b) {
    if (a.is_stdin != b.is_stdin) return a.is_stdin;
    return a.path < b.path;
  });
  out.files.erase(std::unique(out.files.begin(), out.files.end(),
                              [](const InputFile& a, const InputFile& b) {
                                return a.is_stdin == b.is_stdin && a.path == b.path;
                              }),
                  out.files.end());
  if (options.shard_count > 1) {
    std::erase_if(out.files, [&](const InputFile& f) {
      std::uint32_t shard = f.is_stdin ? 0 : shard_of(f.path, options.shard_count);
      return shard != options.shard_index;
    });
  }
  return out;
}

std::uint32_t shard_of(std::string_view path, std::uint32_t count) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : path) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return count == 0 ? 0 : static_cast<std::uint32_t>(h % count);
}

std::optional<std::pair<std::uint32_t, std::uint32_t>> parse_shard(std::string_view spec) {
  auto slash = spec.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view s) -> std::optional<std::uint32_t> {
    if (s.empty() || s.size() > 6) return std::nullopt;
    std::uint32_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + static_cast<std::uint32_t>(c - '0');
    }
    return v;
  };
  auto k = number(spec.substr(0, slash));
  auto n = number(spec.substr(slash + 1));
  if (!k || !n || *k < 1 || *n < 1 || *k > *n || *n > 65536) return std::nullopt;
  return std::make_pair(*k - 1, *n);
}

}  // namespace obscore::core
