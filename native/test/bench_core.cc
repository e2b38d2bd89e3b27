// Developer benchmark of the core alone (no Node): reads records in the format of cli.cc into
// memory, then times verify() over all of them. Usage: bench_core < pairs.bin
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "veritrace/verify.h"

int main(int argc, char** argv) {
  bool canonical = argc > 1 && std::string(argv[1]) == "--canonical";
  int rounds = argc > 2 ? std::stoi(argv[2]) : 3;
  std::vector<std::pair<std::string, std::string>> pairs;
  int fr, strict, setrel;
  size_t gl, pl;
  while (std::cin >> fr >> strict >> setrel >> gl >> pl) {
    std::cin.get();
    std::string g(gl, '\0'), p(pl, '\0');
    std::cin.read(&g[0], static_cast<std::streamsize>(gl));
    std::cin.read(&p[0], static_cast<std::streamsize>(pl));
    pairs.emplace_back(std::move(g), std::move(p));
  }
  veritrace::Options o;
  o.canonical_forms = canonical;
  size_t correct = 0;
  for (int round = 0; round < rounds; ++round) {
    auto t0 = std::chrono::steady_clock::now();
    correct = 0;
    for (const auto& [g, p] : pairs) correct += veritrace::verify(g, p, o).status == veritrace::Status::Correct;
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << pairs.size() / s << " pairs/s (" << correct << " correct)\n";
  }
}
