// The connect engine: non-blocking sockets on one epoll loop, deadlines in a min-heap, a token
// bucket for --rate, greetings and probes (identify.cpp) on the same loop, each probe after the
// first two on a new connection from the target's slot. Local resource errors (EMFILE, ENFILE,
// ENOBUFS, EADDRNOTAVAIL, EAGAIN) put the target back after a back-off and lower the concurrency;
// they are never reported as "closed".
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <fstream>
#include <queue>
#include <unordered_map>

#include <fmt/format.h>
#include <re2/re2.h>

#include "obscore/core/error.hpp"
#include "obscore/netscan/netscan.hpp"
#include "tls.hpp"

namespace obscore::netscan {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()).count();
}

enum class Phase { kConnecting, kReading };

// One target in flight: its socket, and while it is identified, the probe under way and what
// the earlier probes found. Each probe after the first two goes on a new connection from the
// same slot (`gen` tells a stale epoll event of the slot's previous socket from a current one).
struct Conn {
  int fd = -1;
  std::size_t index = 0;
  Phase phase = Phase::kConnecting;
  std::int64_t started_us = 0;
  std::int64_t deadline_us = 0;
  std::string data;             // the reply to the current probe
  bool live = false;
  bool identifying = false;     // a connection for a probe: the port's state is already decided
  bool fresh = true;            // nothing sent or received on this socket yet
  ProbeId probe = kProbeNull;
  std::uint32_t tried = 0;      // bit per ProbeId
  std::uint32_t gen = 0;
  std::uint32_t heap_pos = 0;
  Identity best;                // what the replies so far revealed
  const char* method = "";
  std::string greeting;         // what the service said unasked
  std::string evidence;         // the reply that identified it (or the first one)
  std::unique_ptr<tls::Session> tls;  // the tls-http probe's session
  bool tls_ready = false;       // its handshake is done
  std::string tls_version;      // "TLSv1.3" once it is
};

// The deadlines of the live connections: a binary min-heap of connection slots, each of which
// leaves it when it closes, so it never holds more than the concurrency (a heap of stale entries
// would grow with every connection started within one timeout: 65535 on a loopback scan).
class DeadlineHeap {
 public:
  explicit DeadlineHeap(std::vector<Conn>& conns) : conns_(conns) {}
  bool empty() const { return heap_.empty(); }
  std::uint32_t top() const { return heap_.front(); }
  std::int64_t top_deadline() const { return conns_[heap_.front()].deadline_us; }
  void push(std::uint32_t slot) {
    conns_[slot].heap_pos = static_cast<std::uint32_t>(heap_.size());
    heap_.push_back(slot);
    up(heap_.size() - 1);
  }
  void remove(std::uint32_t slot) {
    std::size_t pos = conns_[slot].heap_pos;
    std::uint32_t last = heap_.back();
    heap_.pop_back();
    if (pos < heap_.size()) {
      place(pos, last);
      reposition(pos);
    }
  }
  // After the slot's deadline changed.
  void reposition_slot(std::uint32_t slot) { reposition(conns_[slot].heap_pos); }

 private:
  std::int64_t key(std::size_t pos) const { return conns_[heap_[pos]].deadline_us; }
  void place(std::size_t pos, std::uint32_t slot) {
    heap_[pos] = slot;
    conns_[slot].heap_pos = static_cast<std::uint32_t>(pos);
  }
  void reposition(std::size_t pos) {
    up(pos);
    down(conns_[heap_[pos]].heap_pos);
  }
  void up(std::size_t pos) {
    std::uint32_t slot = heap_[pos];
    while (pos > 0) {
      std::size_t parent = (pos - 1) / 2;
      if (key(parent) <= conns_[slot].deadline_us) break;
      place(pos, heap_[parent]);
      pos = parent;
    }
    place(pos, slot);
  }
  void down(std::size_t pos) {
    std::uint32_t slot = heap_[pos];
    while (true) {
      std::size_t child = 2 * pos + 1;
      if (child >= heap_.size()) break;
      if (child + 1 < heap_.size() && key(child + 1) < key(child)) ++child;
      if (conns_[slot].deadline_us <= key(child)) break;
      place(pos, heap_[child]);
      pos = child;
    }
    place(pos, slot);
  }

  std::vector<Conn>& conns_;
  std::vector<std::uint32_t> heap_;
};

bool is_local_resource_error(int err) {
  return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM || err == EADDRNOTAVAIL ||
         err == EAGAIN;
}

std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 512)) {
    if (c == '\r') continue;
    if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// Raises the soft fd limit to the hard one; returns the usable number of sockets.
std::size_t fd_budget() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    if (rl.rlim_cur < rl.rlim_max) {
      rlimit raised = rl;
      raised.rlim_cur = rl.rlim_max;
      if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
    }
    std::size_t soft = rl.rlim_cur == RLIM_INFINITY ? 1u << 20 : static_cast<std::size_t>(rl.rlim_cur);
    return soft > 64 ? soft - 32 : std::max<std::size_t>(1, soft / 2);
  }
  return 256;
}

// Ephemeral ports available for outgoing connections (ip_local_port_range), minus a margin.
std::size_t ephemeral_budget() {
  std::ifstream f("/proc/sys/net/ipv4/ip_local_port_range");
  int lo = 0, hi = 0;
  if (f >> lo >> hi && hi > lo) return static_cast<std::size_t>(hi - lo) * 3 / 4;
  return 16000;
}

// Result::reason: an index into kReasons, or kErrnoBase + errno for other errors.
constexpr const char* kReasons[] = {"", "syn-ack", "conn-refused", "self-connect", "timeout",
                                    "host-unreach", "net-unreach", "admin-prohibited"};
constexpr std::uint8_t kErrnoBase = 64;

constexpr std::uint8_t reason_code(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kReasons); ++i) {
    if (name == kReasons[i]) return static_cast<std::uint8_t>(i);
  }
  throw "unknown reason";  // compile time: every name used is in kReasons
}

constexpr std::uint8_t kSynAck = reason_code("syn-ack");
constexpr std::uint8_t kConnRefused = reason_code("conn-refused");
constexpr std::uint8_t kSelfConnect = reason_code("self-connect");
constexpr std::uint8_t kTimeout = reason_code("timeout");
constexpr std::uint8_t kHostUnreach = reason_code("host-unreach");
constexpr std::uint8_t kNetUnreach = reason_code("net-unreach");
constexpr std::uint8_t kAdminProhibited = reason_code("admin-prohibited");

std::uint8_t errno_reason(int err) {
  return static_cast<std::uint8_t>(kErrnoBase + std::clamp(err, 0, 255 - kErrnoBase));
}

class Engine {
 public:
  Engine(const TargetList& targets, const ScanOptions& o, ScanResults& out, ScanStats& stats, const ResultCallback& done)
      : targets_(targets), o_(o), results_(out.results), banners_(out.banners), stats_(stats), done_(done) {
    epfd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epfd_ < 0) throw core::Error(core::ErrorKind::kInput, "epoll_create1 failed: " + std::string(std::strerror(errno)));
    limit_ = std::max<std::size_t>(1, std::min({o.concurrency, fd_budget(), ephemeral_budget()}));
    stats_.effective_concurrency = limit_;
    conns_.resize(std::min(limit_, targets.size()) + 1);
  }
  ~Engine() {
    for (auto& c : conns_) {
      if (c.live && c.fd >= 0) ::close(c.fd);
    }
    ::close(epfd_);
  }

  void run() {
    std::vector<epoll_event> events(256);
    next_slot_us_ = now_us();
    while (has_pending() || active_ > 0 || !delayed_.empty()) {
      std::int64_t now = now_us();
      while (!delayed_.empty() && delayed_.top().first <= now) {
        paused_.push_back(delayed_.top().second);
        delayed_.pop();
      }
      start_more(now);
      if (active_ == 0 && !has_pending() && delayed_.empty()) break;  // all answered at once
      int wait_ms = next_wait_ms(now_us());
      int n = ::epoll_wait(epfd_, events.data(), static_cast<int>(events.size()), wait_ms);
      if (n < 0 && errno != EINTR) throw core::Error(core::ErrorKind::kInput, "epoll_wait failed");
      // Each event's own time: a socket's latency runs from its connect() call to the moment its
      // event is read, not to the end of the pass over the batch.
      for (int k = 0; k < n; ++k) {
        Conn& c = conns_[static_cast<std::uint32_t>(events[k].data.u64)];
        if (c.live && c.gen == static_cast<std::uint32_t>(events[k].data.u64 >> 32)) handle(c, events[k].events, now_us());
      }
      expire(now_us());
    }
  }

 private:
  int timeout_for(std::size_t i) const {
    const Service* svc = targets_.service(i);
    return svc && svc->timeout_ms > 0 ? svc->timeout_ms : o_.timeout_ms;
  }

  // Targets to start: those back from a local-error pause first, then the untried ones in order,
  // then timed-out ones for another attempt. Only indices of the few in flight are queued.
  bool has_pending() const { return !paused_.empty() || next_fresh_ < targets_.size() || !retry_.empty(); }
  std::size_t take_pending() {
    std::deque<std::uint32_t>& q = !paused_.empty() ? paused_ : retry_;
    if (&q == &retry_ && next_fresh_ < targets_.size()) return next_fresh_++;
    std::size_t i = q.front();
    q.pop_front();
    return i;
  }

  // At most kStartBatch connects per pass: the events of those already started are read between
  // batches, so a socket's latency is not inflated by a thousand connect() calls made after it.
  static constexpr int kStartBatch = 64;
  void start_more(std::int64_t now) {
    for (int n = 0; n < kStartBatch && active_ < limit_ && has_pending(); ++n) {
      if (o_.rate > 0) {
        if (now < next_slot_us_) return;
        next_slot_us_ = std::max(next_slot_us_, now - 1'000'000) + 1'000'000 / o_.rate;
      }
      start(take_pending(), now);
    }
  }

  void start(std::size_t i, std::int64_t now) {
    const Address& target = targets_.address(i);
    sockaddr_storage addr = target.addr;
    if (addr.ss_family == AF_INET) {
      reinterpret_cast<sockaddr_in*>(&addr)->sin_port = htons(targets_.port(i));
    } else {
      reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port = htons(targets_.port(i));
    }
    int fd = ::socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      local_backoff(i, errno, now);
      return;
    }
    linger lg{1, 0};  // RST on close: no TIME_WAIT pile-up
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    now = now_us();  // this socket's own start
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), target.len);
    if (rc != 0 && errno != EINPROGRESS) {
      int err = errno;
      ::close(fd);
      if (is_local_resource_error(err)) {
        local_backoff(i, err, now);
        return;
      }
      ++results_[i].attempts;
      finish_connect_error(i, err, now, now_us());
      return;
    }
    ++results_[i].attempts;
    std::uint32_t slot = free_slot();
    Conn& c = conns_[slot];
    std::uint32_t gen = c.gen + 1;
    c = Conn{};  // (drops a TLS session the slot's last target left)
    c.gen = gen;
    c.fd = fd;
    c.index = i;
    c.started_us = now;
    c.deadline_us = now + std::int64_t{timeout_for(i)} * 1000;
    c.live = true;
    ++active_;
    watch(c, EPOLL_CTL_ADD, EPOLLOUT);
    heap_.push(slot);
  }

  void watch(Conn& c, int op, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = (std::uint64_t{c.gen} << 32) | static_cast<std::uint32_t>(&c - conns_.data());
    ::epoll_ctl(epfd_, op, c.fd, &ev);
  }

  // A socket for the next probe, a new connection from the same slot. False when none can be
  // opened (the identification then ends with what is known).
  bool reconnect(Conn& c, std::int64_t now) {
    c.tls.reset();
    c.tls_ready = false;
    ::epoll_ctl(epfd_, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
    const Address& target = targets_.address(c.index);
    sockaddr_storage addr = target.addr;
    if (addr.ss_family == AF_INET) {
      reinterpret_cast<sockaddr_in*>(&addr)->sin_port = htons(targets_.port(c.index));
    } else {
      reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port = htons(targets_.port(c.index));
    }
    c.fd = ::socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) return false;
    linger lg{1, 0};
    ::setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    int one = 1;
    ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ++c.gen;
    c.phase = Phase::kConnecting;
    c.identifying = true;
    c.fresh = true;
    c.data.clear();
    if (::connect(c.fd, reinterpret_cast<sockaddr*>(&addr), target.len) != 0 && errno != EINPROGRESS) return false;
    c.deadline_us = now + std::int64_t{timeout_for(c.index)} * 1000;
    heap_.reposition_slot(static_cast<std::uint32_t>(&c - conns_.data()));
    watch(c, EPOLL_CTL_ADD, EPOLLOUT);
    return true;
  }

  std::uint32_t free_slot() {
    for (std::size_t k = 0; k < conns_.size(); ++k) {
      std::size_t s = (cursor_ + k) % conns_.size();
      if (!conns_[s].live) {
        cursor_ = s + 1;
        return static_cast<std::uint32_t>(s);
      }
    }
    conns_.emplace_back();
    return static_cast<std::uint32_t>(conns_.size() - 1);
  }

  void local_backoff(std::size_t i, int err, std::int64_t now) {
    ++stats_.local_retries;
    // Fewer sockets at once from here on; the target comes back after a pause.
    if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
      limit_ = std::max<std::size_t>(1, std::min(limit_, active_ > 8 ? active_ - 4 : active_ + 1));
      stats_.effective_concurrency = std::min(stats_.effective_concurrency, limit_);
    }
    delayed_.push({now + 20'000, static_cast<std::uint32_t>(i)});
  }

  void finish(std::size_t i, State state, std::uint8_t reason, std::int64_t started, std::int64_t now) {
    Result& r = results_[i];
    r.state = state;
    r.reason = reason;
    r.latency_us = static_cast<std::uint32_t>(std::clamp<std::int64_t>(now - started, 0, UINT32_MAX));
    if (state != State::kOpen || !o_.banner) complete(i);  // else final once the banner is in
  }

  // A result is final: judge its health, hand it out.
  void complete(std::size_t i) {
    Result& r = results_[i];
    if (r.state == State::kOpen) {
      const Service* svc = targets_.service(i);
      if (!svc || svc->expect.empty()) {
        r.healthy = true;
      } else {
        auto& re = patterns_[svc];
        if (!re) re = std::make_unique<RE2>(svc->expect, RE2::Quiet);
        r.healthy = re->ok() && r.banner != 0 && RE2::PartialMatch(banners_[r.banner - 1].text, *re);
      }
    }
    if (done_) done_(i, r, r.banner == 0 ? nullptr : &banners_[r.banner - 1]);
  }

  void finish_connect_error(std::size_t i, int err, std::int64_t started, std::int64_t now) {
    switch (err) {
      case ECONNREFUSED: finish(i, State::kClosed, kConnRefused, started, now); break;
      case EHOSTUNREACH: finish(i, State::kUnreachable, kHostUnreach, started, now); break;
      case ENETUNREACH: finish(i, State::kUnreachable, kNetUnreach, started, now); break;
      case ETIMEDOUT: finish(i, State::kFiltered, kTimeout, started, now); break;
      case EACCES:
      case EPERM: finish(i, State::kFiltered, kAdminProhibited, started, now); break;
      default: finish(i, State::kError, errno_reason(err), started, now); break;
    }
  }

  void close_conn(Conn& c) {
    heap_.remove(static_cast<std::uint32_t>(&c - conns_.data()));
    c.tls.reset();
    if (c.fd >= 0) {
      ::epoll_ctl(epfd_, EPOLL_CTL_DEL, c.fd, nullptr);
      ::close(c.fd);
    }
    c.live = false;
    --active_;
  }

  bool self_connected(const Conn& c) {
    sockaddr_storage local{};
    socklen_t len = sizeof local;
    if (::getsockname(c.fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) return false;
    const sockaddr_storage& peer = targets_.address(c.index).addr;
    std::uint16_t port = targets_.port(c.index);
    if (local.ss_family != peer.ss_family) return false;
    if (local.ss_family == AF_INET) {
      auto* l = reinterpret_cast<sockaddr_in*>(&local);
      auto* p = reinterpret_cast<const sockaddr_in*>(&peer);
      return ntohs(l->sin_port) == port && l->sin_addr.s_addr == p->sin_addr.s_addr;
    }
    auto* l = reinterpret_cast<sockaddr_in6*>(&local);
    auto* p = reinterpret_cast<const sockaddr_in6*>(&peer);
    return ntohs(l->sin6_port) == port && std::memcmp(&l->sin6_addr, &p->sin6_addr, 16) == 0;
  }

  void handle(Conn& c, std::uint32_t ev, std::int64_t now) {
    if (!c.live) return;
    if (c.phase == Phase::kConnecting) {
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (c.identifying) {  // a connection for the next probe
        if (err == 0 && (ev & EPOLLOUT) != 0) {
          c.phase = Phase::kReading;
          watch(c, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
          if (c.probe == kProbeTlsHttp) {
            c.tls = std::make_unique<tls::Session>(c.fd);
            c.deadline_us = now + std::int64_t{o_.banner_timeout_ms} * 1000;
            heap_.reposition_slot(static_cast<std::uint32_t>(&c - conns_.data()));
            if (!c.tls->ok()) {
              reply(c, true, false, now);
              return;
            }
            drive_tls(c, now);
          } else {
            send_probe(c, now);
          }
        } else {
          finish_identification(c);
        }
        return;
      }
      if (err == 0 && (ev & EPOLLOUT) != 0) {
        if (self_connected(c)) {  // loopback simultaneous open onto our own port: nobody listens
          finish(c.index, State::kClosed, kSelfConnect, c.started_us, now);
          close_conn(c);
          return;
        }
        finish(c.index, State::kOpen, kSynAck, c.started_us, now);
        if (!o_.banner) {
          close_conn(c);
          return;
        }
        c.phase = Phase::kReading;
        c.probe = kProbeNull;  // first, listen: many services greet
        c.tried = 1u << kProbeNull;
        c.deadline_us = now + std::int64_t{o_.banner_timeout_ms} * 1000;
        watch(c, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
        heap_.reposition_slot(static_cast<std::uint32_t>(&c - conns_.data()));
        return;
      }
      std::size_t i = c.index;
      std::int64_t started = c.started_us;
      close_conn(c);
      if (is_local_resource_error(err)) {
        --results_[i].attempts;  // not an answer from the target: the attempt does not count
        local_backoff(i, err, now);
        return;
      }
      finish_connect_error(i, err, started, now);
      return;
    }
    if (c.tls) {
      drive_tls(c, now);
      return;
    }
    // Reading a greeting or a probe's reply.
    char buf[2048];
    bool closed = false;
    while (c.data.size() < kReplyLimit) {
      ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
      if (n > 0) {
        c.data.append(buf, static_cast<std::size_t>(n));
        c.fresh = false;
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) closed = true;
      break;
    }
    if (!closed && (ev & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0 && c.data.empty()) closed = true;
    reply(c, closed, false, now);
  }

  static constexpr std::size_t kReplyLimit = 8192;

  // The wait for a reply. The greeting, the HTTP probe and follow-ups (sent to a service already
  // recognised) wait --banner-timeout; the protocol probes a silent port goes through wait
  // max(50 ms, 10 x this port's connect time), at most --banner-timeout: a server that understood
  // the request answers within a few round trips, and a port silent to all of them costs
  // 2 x --banner-timeout + 12 short waits instead of 14 long ones.
  std::int64_t probe_wait_us(const Conn& c) const {
    std::int64_t full = std::int64_t{o_.banner_timeout_ms} * 1000;
    if (c.probe == kProbeNull || c.probe == kProbeHttp || c.probe > kProbeZookeeper) return full;
    return std::min(full, std::max<std::int64_t>(50'000, 10 * std::int64_t{results_[c.index].latency_us}));
  }

  // The tls-http probe: handshake, then the HTTP request inside, then its reply.
  void drive_tls(Conn& c, std::int64_t now) {
    if (!c.tls_ready) {
      switch (c.tls->handshake()) {
        case tls::Session::Step::kWantRead: watch(c, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP); return;
        case tls::Session::Step::kWantWrite: watch(c, EPOLL_CTL_MOD, EPOLLOUT); return;
        case tls::Session::Step::kFailed: reply(c, true, false, now); return;
        case tls::Session::Step::kDone: break;
      }
      c.tls_ready = true;
      c.fresh = false;
      c.tls_version = c.tls->version();
      watch(c, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
      if (!c.tls->write(probe_payload(kProbeTlsHttp))) {
        reply(c, true, false, now);
        return;
      }
    }
    bool closed = c.tls->read(c.data, kReplyLimit) == tls::Session::Step::kDone;
    reply(c, closed, false, now);
  }

  // Sends the current probe's bytes and waits for the reply.
  void send_probe(Conn& c, std::int64_t now) {
    std::string_view payload = probe_payload(c.probe);
    c.deadline_us = now + probe_wait_us(c);
    heap_.reposition_slot(static_cast<std::uint32_t>(&c - conns_.data()));
    if (!payload.empty()) {
      c.fresh = false;
      if (::send(c.fd, payload.data(), payload.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(payload.size())) {
        reply(c, true, false, now);
      }
    }
  }

  // Takes `probe` next: on this socket when it is still fresh (or the follow-up belongs to this
  // conversation), else on a new connection.
  void next_probe(Conn& c, ProbeId probe, bool same_connection, std::int64_t now) {
    c.probe = probe;
    c.tried |= 1u << probe;
    c.data.clear();
    if (same_connection || c.fresh) {
      send_probe(c, now);
      return;
    }
    if (!reconnect(c, now)) finish_identification(c);
  }

  // Folds a recognition into what is known: a follow-up about the same service refines it, a
  // more confident one about another replaces it, TLS under a plain-HTTP complaint makes https.
  static void adopt(Conn& c, const Identity& id, const char* method) {
    Identity& b = c.best;
    if (id.service == "https" && b.service == "tls") {  // HTTP inside the TLS the port spoke
      std::string tls_info = b.info;
      b = id;
      if (!tls_info.empty() && id.info.find("TLS") == std::string::npos) b.info = b.info.empty() ? tls_info : b.info + "; " + tls_info;
      c.method = method;
      return;
    }
    if (b.service.empty() || id.confidence > b.confidence || id.service == b.service ||
        (id.service == "http" && b.service == "https")) {
      if (!b.service.empty() && (id.service == b.service || (id.service == "http" && b.service == "https"))) {
        if (!id.product.empty()) b.product = id.product;
        if (!id.version.empty()) b.version = id.version;
        if (!id.info.empty()) b.info = id.info;
        b.confidence = std::max(b.confidence, id.confidence);
      } else {
        b = id;
      }
      c.method = method;
    } else if (id.service == "tls" && b.service == "http") {
      b.service = "https";
      if (!id.info.empty()) b.info = b.info.empty() ? id.info : b.info + "; " + id.info;
    }
  }

  void reply(Conn& c, bool closed, bool timed_out, std::int64_t now) {
    std::uint16_t port = targets_.port(c.index);
    Recognition r = recognize(c.data, c.probe, port);
    bool final = closed || timed_out || c.data.size() >= kReplyLimit || (r.complete && !r.id.service.empty());
    if (!final) return;  // a reply cut short: wait for the rest (until the deadline)
    if (!c.data.empty()) {
      if (c.probe == kProbeNull) c.greeting = c.data;
      if (c.evidence.empty()) c.evidence = c.data;
    }
    if (c.probe == kProbeTlsHttp && r.id.service == "http") {
      r.id.service = "https";
      if (!c.tls_version.empty()) r.id.info = r.id.info.empty() ? c.tls_version : r.id.info + "; " + c.tls_version;
    }
    if (!r.id.service.empty()) {
      adopt(c, r.id, probe_name(c.probe));
      if (c.method == probe_name(c.probe) && !c.data.empty()) c.evidence = c.data;
    }
    if (!o_.probes) {  // --no-probes: the greeting is all there is
      finish_identification(c);
      return;
    }
    // (libssl is opened only when a port spoke TLS.)
    if (r.next >= 0 && (c.tried & (1u << r.next)) == 0 && (r.next != kProbeTlsHttp || tls::available()) &&
        (!r.same_connection || !closed)) {
      next_probe(c, static_cast<ProbeId>(r.next), r.same_connection, now);
      return;
    }
    if (!c.best.service.empty()) {
      finish_identification(c);
      return;
    }
    // Nothing recognised yet: the next probe of the plan not tried.
    for (ProbeId p : probe_plan(port)) {
      if ((c.tried & (1u << p)) != 0) continue;
      if (closed && c.fresh) c.fresh = false;
      next_probe(c, p, false, now);
      return;
    }
    finish_identification(c);
  }

  void finish_identification(Conn& c) {
    Result& r = results_[c.index];
    const std::string& shown = !c.greeting.empty() ? c.greeting : c.evidence;
    if (!shown.empty() || !c.best.service.empty()) {
      Banner b;
      b.text = printable(shown);
      b.service = !c.best.service.empty() ? c.best.service : shown.empty() ? "" : "unknown";
      b.product = c.best.product;
      b.version = c.best.version;
      b.info = c.best.info;
      b.confidence = c.best.confidence;
      b.method = c.best.service.empty() ? "" : c.method;
      banners_.push_back(std::move(b));
      r.banner = static_cast<std::uint32_t>(banners_.size());
    }
    std::size_t i = c.index;
    close_conn(c);
    complete(i);
  }

  // Deadlines: connect timeouts (retry or filtered), banner waits (probe or give up).
  void expire(std::int64_t now) {
    while (!heap_.empty() && heap_.top_deadline() <= now) {
      std::uint32_t slot = heap_.top();
      Conn& c = conns_[slot];
      if (c.phase == Phase::kConnecting && c.identifying) {  // a probe's connection did not open in time
        finish_identification(c);
        continue;
      }
      if (c.phase == Phase::kConnecting) {
        std::size_t i = c.index;
        std::int64_t started = c.started_us;
        close_conn(c);
        if (results_[i].attempts <= o_.retries) {
          retry_.push_back(static_cast<std::uint32_t>(i));
        } else {
          finish(i, State::kFiltered, kTimeout, started, now);
        }
        continue;
      }
      if (!o_.probes) {
        finish_identification(c);
        continue;
      }
      reply(c, false, true, now);  // the wait for a greeting or reply is over
      // The slot is either closed or waits on a later deadline now.
    }
  }

  int next_wait_ms(std::int64_t now) const {
    std::int64_t next = now + 200'000;
    if (!heap_.empty()) next = std::min(next, heap_.top_deadline());
    if (!delayed_.empty()) next = std::min(next, delayed_.top().first);
    if (o_.rate > 0 && has_pending() && active_ < limit_) next = std::min(next, next_slot_us_);
    if (has_pending() && active_ < limit_ && o_.rate == 0) return 0;
    std::int64_t ms = (next - now + 999) / 1000;
    return static_cast<int>(std::clamp<std::int64_t>(ms, 0, 200));
  }

  const TargetList& targets_;
  const ScanOptions& o_;
  std::vector<Result>& results_;
  std::vector<Banner>& banners_;
  ScanStats& stats_;
  const ResultCallback& done_;
  std::unordered_map<const Service*, std::unique_ptr<RE2>> patterns_;  // inventory `expect`s, compiled once
  int epfd_ = -1;
  std::size_t limit_ = 1;
  std::size_t active_ = 0;
  std::size_t cursor_ = 0;
  std::vector<Conn> conns_;
  DeadlineHeap heap_{conns_};
  std::deque<std::uint32_t> paused_;
  std::size_t next_fresh_ = 0;
  std::deque<std::uint32_t> retry_;
  std::priority_queue<std::pair<std::int64_t, std::uint32_t>, std::vector<std::pair<std::int64_t, std::uint32_t>>,
                      std::greater<>>
      delayed_;
  std::int64_t next_slot_us_ = 0;
};

}  // namespace

const char* to_string(State s) {
  switch (s) {
    case State::kOpen: return "open";
    case State::kClosed: return "closed";
    case State::kFiltered: return "filtered";
    case State::kUnreachable: return "unreachable";
    default: return "error";
  }
}

ScanResults scan(const TargetList& targets, const ScanOptions& options, ScanStats* stats, const ResultCallback& done) {
  ScanResults results;
  results.results.resize(targets.size());
  ScanStats local;
  ScanOptions o = options;
  o.retries = std::clamp(o.retries, 0, 100);  // Result::attempts is 8 bits
  if (!targets.empty()) {
    Engine engine(targets, o, results, stats != nullptr ? *stats : local, done);
    engine.run();
  }
  return results;
}

const char* reason_text(std::uint8_t reason) {
  if (reason < std::size(kReasons)) return kReasons[reason];
  if (reason < kErrnoBase) return "";
  const char* d = ::strerrordesc_np(reason - kErrnoBase);
  return d != nullptr ? d : "unknown error";
}

Json to_json(const TargetList& targets, std::size_t i, const Result& r, const Banner* banner) {
  const Address& a = targets.address(i);
  const Service* svc = targets.service(i);
  Json j = Json::object();
  j["host"] = a.host;
  j["address"] = a.text;
  j["port"] = targets.port(i);
  j["state"] = to_string(r.state);
  j["latency_us"] = r.latency_us;
  j["reason"] = reason_text(r.reason);
  j["banner"] = banner != nullptr ? Json(banner->text) : Json(nullptr);
  j["service"] = banner != nullptr && !banner->service.empty() ? Json(banner->service) : Json(nullptr);
  auto text_or_null = [](const std::string& t) { return t.empty() ? Json(nullptr) : Json(t); };
  bool named = banner != nullptr && banner->confidence > 0;
  j["product"] = named ? text_or_null(banner->product) : Json(nullptr);
  j["version"] = named ? text_or_null(banner->version) : Json(nullptr);
  j["info"] = named ? text_or_null(banner->info) : Json(nullptr);
  j["confidence"] = named ? Json(banner->confidence / 100.0) : Json(nullptr);
  j["method"] = named ? Json(banner->method) : Json(nullptr);
  if (svc != nullptr) {
    j["name"] = svc->name;
    j["healthy"] = r.healthy;
  }
  return j;
}

core::View make_view(bool all_states) {
  core::View v;
  v.columns = {{"address", false}, {"port", true}, {"state", false}, {"service", false}, {"product", false},
               {"latency_ms", true}, {"banner", false}};
  v.rows_title = "ports";
  v.rows = [all_states](const Json& r, std::vector<Json>& rows) {
    if (!all_states && r["state"] != "open") return;
    std::string banner = r["banner"].is_string() ? r["banner"].get<std::string>() : "";
    if (auto nl = banner.find('\n'); nl != std::string::npos) banner = banner.substr(0, nl);
    std::string service = r["service"].is_string() ? r["service"].get<std::string>() : "";
    std::string product;
    if (r["product"].is_string()) product = r["product"].get<std::string>();
    if (r["version"].is_string()) product += (product.empty() ? "" : " ") + r["version"].get<std::string>();
    if (r.contains("name")) service = r["name"].get<std::string>() + (r["healthy"].get<bool>() ? " (healthy)" : " (UNHEALTHY)");
    rows.push_back(Json::array({r["address"], r["port"], r["state"], service, product,
                                fmt::format("{:.3f}", r["latency_us"].get<double>() / 1000.0), banner}));
  };
  v.footer = [](const Json& s) {
    return fmt::format("{} targets: {} open, {} closed, {} filtered, {} unreachable; {} ms", s["targets"].get<std::size_t>(),
                       s["open"].get<std::size_t>(), s["closed"].get<std::size_t>(), s["filtered"].get<std::size_t>(),
                       s["unreachable"].get<std::size_t>(), s["duration_ms"].get<long long>());
  };
  return v;
}

}  // namespace obscore::netscan
