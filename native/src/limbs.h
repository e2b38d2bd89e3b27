#pragma once
// Storage of BigInt limbs with room for two limbs inline: the numbers of typical answers fit in
// 64 bits, so most BigInts never touch the heap.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace veritrace {

class Limbs {
 public:
  Limbs() = default;
  Limbs(size_t n, uint32_t v) { assign(n, v); }
  Limbs(const Limbs& o) { copy_from(o); }
  Limbs(Limbs&& o) noexcept { move_from(o); }
  Limbs& operator=(const Limbs& o) { if (this != &o) { size_ = 0; copy_from(o); } return *this; }
  Limbs& operator=(Limbs&& o) noexcept { if (this != &o) { release(); move_from(o); } return *this; }
  ~Limbs() { release(); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  uint32_t* data() { return heap_ ? heap_ : inline_; }
  const uint32_t* data() const { return heap_ ? heap_ : inline_; }
  uint32_t& operator[](size_t i) { return data()[i]; }
  uint32_t operator[](size_t i) const { return data()[i]; }
  uint32_t& back() { return data()[size_ - 1]; }
  uint32_t back() const { return data()[size_ - 1]; }
  uint32_t* begin() { return data(); }
  uint32_t* end() { return data() + size_; }
  const uint32_t* begin() const { return data(); }
  const uint32_t* end() const { return data() + size_; }

  void push_back(uint32_t v) {
    reserve(size_ + 1);
    data()[size_++] = v;
  }
  void pop_back() { --size_; }
  void assign(size_t n, uint32_t v) {
    reserve(n);
    uint32_t* d = data();
    for (size_t i = 0; i < n; ++i) d[i] = v;
    size_ = static_cast<uint32_t>(n);
  }
  void resize(size_t n) {
    reserve(n);
    uint32_t* d = data();
    for (size_t i = size_; i < n; ++i) d[i] = 0;
    size_ = static_cast<uint32_t>(n);
  }
  void reserve(size_t n) {
    if (n <= cap_) return;
    size_t cap = cap_ * 2 > n ? cap_ * 2 : n;
    auto* mem = static_cast<uint32_t*>(std::malloc(cap * sizeof(uint32_t)));
    if (!mem) throw std::bad_alloc();
    std::memcpy(mem, data(), size_ * sizeof(uint32_t));
    if (heap_) std::free(heap_);
    heap_ = mem;
    cap_ = static_cast<uint32_t>(cap);
  }
  friend bool operator==(const Limbs& a, const Limbs& b) {
    return a.size_ == b.size_ && std::memcmp(a.data(), b.data(), a.size_ * sizeof(uint32_t)) == 0;
  }

 private:
  static constexpr uint32_t kInline = 2;
  void copy_from(const Limbs& o) {
    reserve(o.size_);
    std::memcpy(data(), o.data(), o.size_ * sizeof(uint32_t));
    size_ = o.size_;
  }
  void move_from(Limbs& o) {
    if (o.heap_) {
      heap_ = o.heap_;
      cap_ = o.cap_;
      o.heap_ = nullptr;
      o.cap_ = kInline;
    } else {
      heap_ = nullptr;
      cap_ = kInline;
      std::memcpy(inline_, o.inline_, sizeof inline_);
    }
    size_ = o.size_;
    o.size_ = 0;
  }
  void release() {
    if (heap_) std::free(heap_);
    heap_ = nullptr;
    cap_ = kInline;
    size_ = 0;
  }

  uint32_t* heap_ = nullptr;
  uint32_t size_ = 0;
  uint32_t cap_ = kInline;
  uint32_t inline_[kInline] = {0, 0};
};

}  // namespace veritrace
