// Reading inputs: small and mapped files, gzip (single, concatenated, corrupt, truncated),
// size limits, binary detection, size parsing.
#include "obscore/core/read.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include "temp_dir.hpp"

using obscore::core::read_input;
using obscore::core::ReadLimits;
using obscore::testing::TempDir;

namespace {

std::string gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

TEST(Read, SmallAndLargeFilesReadExactly) {
  TempDir t;
  std::string small = "line1\r\nline2\n";
  std::string large(1 << 20, 'x');
  large[12345] = 'y';
  auto a = read_input(t.file("s.txt", small), false, {});
  auto b = read_input(t.file("l.txt", large), false, {});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->bytes(), small);
  EXPECT_EQ(b->bytes(), large);
}

TEST(Read, EmptyFile) {
  TempDir t;
  auto r = read_input(t.file("e.txt", ""), false, {});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->bytes().empty());
}

TEST(Read, GzipIsInflatedTransparently) {
  TempDir t;
  std::string text = "hello\nworld\n";
  auto r = read_input(t.file("a.gz", gzip(text)), false, {});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->bytes(), text);
  EXPECT_TRUE(r->was_gzip());
  auto cat = read_input(t.file("b.gz", gzip("one\n") + gzip("two\n")), false, {});
  ASSERT_TRUE(cat);
  EXPECT_EQ(cat->bytes(), "one\ntwo\n");
}

TEST(Read, CorruptAndTruncatedGzipFail) {
  TempDir t;
  std::string z = gzip(std::string(10000, 'a') + "tail");
  auto truncated = read_input(t.file("t.gz", z.substr(0, z.size() / 2)), false, {});
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.error().find("gzip"), std::string::npos);
  std::string bad = z;
  bad[12] = static_cast<char>(bad[12] ^ 0x55);
  bad[13] = static_cast<char>(bad[13] ^ 0x55);
  auto corrupt = read_input(t.file("c.gz", bad), false, {});
  EXPECT_FALSE(corrupt);
}

TEST(Read, SizeLimitAppliesToDecompressedBytes) {
  TempDir t;
  ReadLimits limits;
  limits.max_bytes = 100;
  auto big = read_input(t.file("big.txt", std::string(200, 'a')), false, limits);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().find("larger than 100 bytes"), std::string::npos);
  auto bomb = read_input(t.file("bomb.gz", gzip(std::string(100000, 'a'))), false, limits);
  ASSERT_FALSE(bomb);
  EXPECT_NE(bomb.error().find("decompressed"), std::string::npos);
}

TEST(Read, MissingAndDirectory) {
  TempDir t;
  auto missing = read_input(t.path() + "/nope", false, {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), "no such file or directory");
  auto dir = read_input(t.path(), false, {});
  ASSERT_FALSE(dir);
  EXPECT_EQ(dir.error(), "is a directory");
}

TEST(Read, BinaryDetection) {
  EXPECT_TRUE(obscore::core::looks_binary(std::string("abc\0def", 7)));
  EXPECT_FALSE(obscore::core::looks_binary("plain text\xff\xfe not utf-8"));
  EXPECT_FALSE(obscore::core::looks_binary(""));
}

TEST(Read, ParseSize) {
  EXPECT_EQ(*obscore::core::parse_size("4M"), 4u << 20);
  EXPECT_EQ(*obscore::core::parse_size("512k"), 512u << 10);
  EXPECT_EQ(*obscore::core::parse_size("1GiB"), 1ull << 30);
  EXPECT_EQ(*obscore::core::parse_size("100"), 100u);
  EXPECT_FALSE(obscore::core::parse_size("lots"));
  EXPECT_FALSE(obscore::core::parse_size("5T"));
  EXPECT_FALSE(obscore::core::parse_size("99999999999999999999"));
}

TEST(InputStream, StreamsGzipInPiecesAndReportsTruncation) {
  TempDir t;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i) + "\n";
  std::string z = gzip(text) + gzip("tail\n");
  auto s = obscore::core::InputStream::open(t.file("a.gz", z), false);
  ASSERT_TRUE(s) << s.error();
  EXPECT_TRUE((*s)->gzip());
  std::string out;
  char buf[777];
  for (;;) {
    auto n = (*s)->read(buf, sizeof buf);
    ASSERT_TRUE(n) << n.error();
    if (*n == 0) break;
    out.append(buf, *n);
  }
  EXPECT_EQ(out, text + "tail\n");
  auto cut = obscore::core::InputStream::open(t.file("b.gz", z.substr(0, z.size() / 3)), false);
  ASSERT_TRUE(cut);
  std::string partial;
  obscore::core::Result<std::size_t> n = std::size_t{0};
  while ((n = (*cut)->read(buf, sizeof buf)) && *n > 0) partial.append(buf, *n);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error(), "truncated gzip data");
  EXPECT_FALSE(partial.empty());
  auto plain = obscore::core::InputStream::open(t.file("p.txt", "ab"), false);
  ASSERT_TRUE(plain);
  EXPECT_FALSE((*plain)->gzip());
  EXPECT_FALSE(obscore::core::InputStream::open(t.path() + "/missing", false));
}

namespace {

// A mapped file truncated while it is read (log rotation by copytruncate, a file rewritten in
// place): the bytes past the new end read as zeros and the content says so, where a plain
// mapping would kill the process with SIGBUS.
TEST(Read, MappedFileThatShrinksReadsZerosAndIsMarked) {
  TempDir tmp;
  std::string path = tmp.file("grows.log", std::string(4u << 20, 'x'));
  auto content = read_input(path, false, ReadLimits{});
  ASSERT_TRUE(content);
  EXPECT_FALSE(content->truncated());
  ASSERT_EQ(::truncate(path.c_str(), 1u << 20), 0);
  std::string_view bytes = content->bytes();
  ASSERT_EQ(bytes.size(), 4u << 20);
  EXPECT_EQ(bytes[(1u << 20) - 1], 'x');
  std::size_t zeros = 0;
  for (std::size_t i = 1u << 20; i < bytes.size(); i += 4096) zeros += bytes[i] == '\0';
  EXPECT_EQ(zeros, (3u << 20) / 4096);
  EXPECT_TRUE(content->truncated());
  EXPECT_THROW(obscore::core::throw_if_changed(*content, path), obscore::core::Error);
}

TEST(Read, ShrinkingOneMappingLeavesOthersUnmarked) {
  TempDir tmp;
  std::string a = tmp.file("a.log", std::string(1u << 20, 'a'));
  std::string b = tmp.file("b.log", std::string(1u << 20, 'b'));
  auto ca = read_input(a, false, ReadLimits{});
  auto cb = read_input(b, false, ReadLimits{});
  ASSERT_TRUE(ca && cb);
  ASSERT_EQ(::truncate(a.c_str(), 0), 0);
  EXPECT_EQ(ca->bytes()[0], '\0');
  EXPECT_EQ(cb->bytes()[(1u << 20) - 1], 'b');
  EXPECT_TRUE(ca->truncated());
  EXPECT_FALSE(cb->truncated());
  // A later mapping in the freed slot starts unmarked.
  ca = read_input(b, false, ReadLimits{});
  ASSERT_TRUE(ca);
  EXPECT_FALSE(ca->truncated());
}

}  // namespace
