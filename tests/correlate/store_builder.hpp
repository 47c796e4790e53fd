// Hand-built stores for the unit tests of correlate's phases: records with interned strings, in
// input order, times in milliseconds.
#pragma once

#include <cstdint>
#include <string_view>

#include "model.hpp"

namespace obscore::correlate::testing {

struct StoreBuilder {
  Store store;

  std::uint32_t intern(std::string_view s) { return store.strings.id(s); }

  // A UI event; returns its index.
  std::uint32_t ui(std::string_view id, std::string_view session, std::int64_t t_ms,
                   std::string_view action = "tap", std::string_view element = "",
                   std::string_view thread = "", std::string_view corr = "",
                   std::string_view screen = "") {
    UiEvent u;
    u.t = t_ms * 1000;
    u.id = store.text.add(id);
    u.corr = store.text.add(corr);
    u.session = intern(session);
    u.thread = intern(thread);
    u.action = intern(action);
    u.element = intern(element);
    u.screen = intern(screen);
    u.order = static_cast<std::uint32_t>(store.ui.size());
    store.ui.push_back(u);
    return u.order;
  }

  struct Call {
    std::string_view id{}, session{};
    std::int64_t t_ms = 0;
    std::string_view method = "GET", endpoint = "/items";
    std::int32_t status = 200;
    std::int64_t end_ms = -1;  // -1: no end
    std::string_view thread{}, corr{}, initiator{}, truth{};
  };
  // An API call; returns its index.
  std::uint32_t api(const Call& c) {
    ApiCall a;
    a.t = c.t_ms * 1000;
    a.end = c.end_ms < 0 ? kNoTime : c.end_ms * 1000;
    a.id = store.text.add(c.id);
    a.corr = store.text.add(c.corr);
    a.initiator = store.text.add(c.initiator);
    a.truth = store.text.add(c.truth);
    a.session = intern(c.session);
    a.thread = intern(c.thread);
    a.method = intern(c.method);
    a.endpoint = intern(c.endpoint);
    a.status = c.status;
    a.order = static_cast<std::uint32_t>(store.api.size());
    store.any_initiator |= !c.initiator.empty();
    store.api.push_back(a);
    return a.order;
  }

  void nav(std::string_view session, std::int64_t t_ms, std::string_view to) {
    NavEvent n;
    n.t = t_ms * 1000;
    n.session = intern(session);
    n.to = intern(to);
    store.nav.push_back(n);
  }
};

}  // namespace obscore::correlate::testing
