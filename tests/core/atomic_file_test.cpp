// Temp files: atomic replacement, and an interrupt removing every pending temp file.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "obscore/core/atomic_file.hpp"

#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using obscore::testing::TempDir;

std::vector<std::string> names(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(AtomicFile, WriteFileAtomicallyReplacesAndLeavesNoTemp) {
  TempDir tmp;
  std::string path = tmp.file("out.txt", "old");
  ASSERT_TRUE(obscore::core::write_file_atomically(path, "new contents"));
  EXPECT_EQ(slurp(path), "new contents");
  EXPECT_EQ(names(tmp.path()), std::vector<std::string>{"out.txt"});
}

// A device, FIFO or socket is written in place (-o /dev/null, -o /dev/stdout, a named pipe):
// renaming a temp file over it would replace the node itself (as root, /dev/null became a
// regular file).
TEST(AtomicFile, FifoTargetIsWrittenInPlaceNotReplaced) {
  TempDir tmp;
  const std::string fifo = tmp.path() + "/pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = slurp(fifo); });
  {
    obscore::core::AtomicFile out(fifo);
    out.write("through the pipe");
    out.commit();
  }
  reader.join();
  EXPECT_EQ(received, "through the pipe");
  struct stat st {};
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_EQ(names(tmp.path()), std::vector<std::string>{"pipe"});  // no temp file either
}

TEST(AtomicFile, WriteFileAtomicallyFailsCleanlyInAMissingDirectory) {
  TempDir tmp;
  EXPECT_FALSE(obscore::core::write_file_atomically(tmp.path() + "/no/such/dir/x", "data"));
  EXPECT_TRUE(names(tmp.path()).empty());
}

TEST(AtomicFile, TempFilesAreHiddenUniqueAndNextToTheTarget) {
  TempDir tmp;
  std::string a, b;
  int fa = obscore::core::create_temp_file(tmp.path() + "/r.json", 0644, a);
  int fb = obscore::core::create_temp_file(tmp.path() + "/r.json", 0644, b);
  ASSERT_GE(fa, 0);
  ASSERT_GE(fb, 0);
  EXPECT_NE(a, b);
  EXPECT_EQ(fs::path(a).parent_path(), fs::path(tmp.path()));
  EXPECT_EQ(fs::path(a).filename().string().rfind(".r.json.tmp.", 0), 0u) << a;
  ::close(fa);
  ::close(fb);
  ::unlink(a.c_str());
  ::unlink(b.c_str());
  obscore::core::forget_temp_file(a);
  obscore::core::forget_temp_file(b);
}

// In a child: several temp files pending at once (as when threads store cache entries while
// -o is open), one forgotten after its rename; SIGTERM must remove exactly the pending ones.
TEST(AtomicFile, InterruptRemovesEveryPendingTempFileAndExits130) {
  TempDir tmp;
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    obscore::core::install_interrupt_handlers();
    std::string kept;
    int fd = obscore::core::create_temp_file(tmp.path() + "/kept", 0644, kept);
    if (fd < 0 || ::rename(kept.c_str(), (tmp.path() + "/kept").c_str()) != 0) ::_exit(10);
    obscore::core::forget_temp_file(kept);
    for (int i = 0; i < 5; ++i) {
      std::string t;
      if (obscore::core::create_temp_file(tmp.path() + "/out" + std::to_string(i), 0644, t) < 0) {
        ::_exit(11);
      }
    }
    obscore::core::AtomicFile file(tmp.path() + "/result.json");
    file.write("partial");
    ::raise(SIGTERM);
    ::_exit(12);  // not reached
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_EQ(names(tmp.path()), std::vector<std::string>{"kept"});
}

}  // namespace
