// A module with a named arrow function, a class and a top-level callback.
const pick = (items, key) => {
  if (!items) return null;
  return items.filter((i) => i[key] ?? false).map((i) => (i.ok ? i : null));
};

class Store {
  constructor(state) {
    this.state = state || {};
  }

  get(key, fallback) {
    for (const k in this.state) {
      if (k === key) {
        return this.state[k];
      }
    }
    return fallback;
  }
}

describe("store", () => {
  it("works", () => {
    if (new Store().get("a") !== undefined) throw new Error("x");
  });
});
