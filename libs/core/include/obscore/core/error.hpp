// Errors that end a whole command, the exit codes of the CLI contract, and Result<T> for
// helpers that fail routinely (member names follow std::expected so it can become an alias).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace obscore::core {

// Exit codes of docs/ARCHITECTURE.md and man/obscore.1. When several apply, the highest wins:
// kInternal, then kInput, then kGate, then kOk (kInterrupted ends the process at once).
enum class ExitCode : int {
  kOk = 0,
  kGate = 1,         // the job ran, a gate tripped (threshold exceeded, findings)
  kUsage = 2,        // bad flags or values
  kInput = 3,        // input or runtime error; partial results may have been written
  kInternal = 4,     // unexpected exception
  kInterrupted = 130,
};

// Combines two exit codes by the "highest wins" rule (4 > 3 > 1 > 0; usage is terminal).
ExitCode worst(ExitCode a, ExitCode b);

// A problem in loaded data (a rule pack, an inventory) at a JSON Pointer into it: feature
// libraries throw it, the command that loaded the document turns the pointer into file:line:col.
class DataError : public std::runtime_error {
 public:
  DataError(std::string pointer, const std::string& message, bool at_key = false)
      : std::runtime_error(message), pointer_(std::move(pointer)), at_key_(at_key) {}
  const std::string& pointer() const { return pointer_; }
  bool at_key() const { return at_key_; }  // about the key at pointer, not its value

 private:
  std::string pointer_;
  bool at_key_;
};

enum class ErrorKind { kUsage, kInput, kInternal };

// Thrown when the whole command cannot go on. Only app::run catches it.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, std::string path = {})
      : std::runtime_error(message), kind_(kind), path_(std::move(path)) {}
  // An error at a position of `path` (1-based line and column; 0 when unknown).
  Error(ErrorKind kind, const std::string& message, std::string path, int line, int column)
      : std::runtime_error(message),
        kind_(kind),
        path_(std::move(path)),
        line_(line),
        column_(column) {}
  ErrorKind kind() const { return kind_; }
  // The file the error is about, empty when none.
  const std::string& path() const { return path_; }
  int line() const { return line_; }
  int column() const { return column_; }
  ExitCode exit_code() const;

 private:
  ErrorKind kind_;
  std::string path_;
  int line_ = 0;
  int column_ = 0;
};

// Standard output's reader went away (`obscore ... | head`): the run stops, quietly and
// successfully, as ripgrep does; what the reader wanted it has.
class ReaderGone : public Error {
 public:
  ReaderGone() : Error(ErrorKind::kInput, "standard output was closed by its reader", "<stdout>") {}
};

// A value or an error message. Mirrors std::expected<T, std::string>'s member names.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  static Result failure(std::string message) {
    Result r;
    r.v_.template emplace<1>(std::move(message));
    return r;
  }
  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const { return std::get<1>(v_); }

 private:
  Result() = default;
  std::variant<T, std::string> v_;
};

}  // namespace obscore::core
