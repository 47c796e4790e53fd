#include <vector>

namespace demo {

class Matrix {
 public:
  int trace(const std::vector<int>& v) const;
  int size() const { return n_; }

 private:
  int n_ = 0;
};

int Matrix::trace(const std::vector<int>& v) const {
  int t = 0;
  for (int x : v) {
    try {
      if (x > 0 && x < 100) {
        t += x;
      }
    } catch (...) {
      t = -1;
    }
  }
  auto clamp = [](int y) { return y > 10 ? 10 : y; };
  return clamp(t);
}

}  // namespace demo
