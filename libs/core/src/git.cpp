// git plumbing through a child process (posix_spawnp, no shell): diff --name-only and
// ls-files --others, NUL-separated so any file name survives.
#include "obscore/core/git.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <vector>

namespace obscore::core {

namespace {

struct Output {
  int status = -1;
  std::string out;
  std::string err;
};

Output run_git(const std::vector<std::string>& args) {
  Output r;
  int out_pipe[2], err_pipe[2];
  if (::pipe(out_pipe) != 0) return r;
  if (::pipe(err_pipe) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return r;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  posix_spawn_file_actions_addclose(&fa, out_pipe[0]);
  posix_spawn_file_actions_addclose(&fa, err_pipe[0]);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", 0, 0);
  std::vector<char*> argv;
  std::string git = "git";
  argv.push_back(git.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "git", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    r.err = "git is not installed";
    return r;
  }
  // Drain stdout then stderr (git writes little to stderr; the pipe buffer holds it).
  char buf[65536];
  for (ssize_t n; (n = ::read(out_pipe[0], buf, sizeof buf)) > 0;) r.out.append(buf, static_cast<std::size_t>(n));
  for (ssize_t n; (n = ::read(err_pipe[0], buf, sizeof buf)) > 0;) r.err.append(buf, static_cast<std::size_t>(n));
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  while (!r.err.empty() && (r.err.back() == '\n' || r.err.back() == '\r')) r.err.pop_back();
  if (auto nl = r.err.rfind('\n'); nl != std::string::npos) r.err = r.err.substr(nl + 1);
  return r;
}

}  // namespace

std::string real_path(const std::string& path) {
  char* r = ::realpath(path.c_str(), nullptr);
  if (r == nullptr) return {};
  std::string s = r;
  std::free(r);
  return s;
}

Result<std::unordered_set<std::string>> git_changed_files(const std::string& ref,
                                                          const std::string& dir) {
  using R = Result<std::unordered_set<std::string>>;
  Output top = run_git({"-C", dir, "rev-parse", "--show-toplevel"});
  if (top.status != 0) {
    return R::failure(top.err.empty() ? "not inside a git repository" : top.err);
  }
  std::string root = top.out;
  while (!root.empty() && root.back() == '\n') root.pop_back();
  Output verify = run_git({"-C", root, "rev-parse", "--verify", "--quiet", ref + "^{commit}"});
  if (verify.status != 0) return R::failure("unknown git revision '" + ref + "'");
  Output diff = run_git({"-C", root, "diff", "--name-only", "-z", "--no-renames", ref, "--"});
  if (diff.status != 0) return R::failure(diff.err);
  Output untracked = run_git({"-C", root, "ls-files", "-z", "--others", "--exclude-standard"});
  if (untracked.status != 0) return R::failure(untracked.err);
  std::unordered_set<std::string> files;
  for (const std::string* list : {&diff.out, &untracked.out}) {
    std::size_t pos = 0;
    while (pos < list->size()) {
      std::size_t end = list->find('\0', pos);
      if (end == std::string::npos) end = list->size();
      if (end > pos) files.insert(root + "/" + list->substr(pos, end - pos));
      pos = end + 1;
    }
  }
  return files;
}

}  // namespace obscore::core
