// Developer driver for the core without Node: reads records "<fr> <strict> <setrel> <gold-bytes> <pred-bytes>\n"
// followed by the raw bytes of both sides, and prints one verdict line per record.
#include <iostream>
#include <string>

#include "veritrace/verify.h"

int main() {
  int fr, strict, setrel;
  size_t gl, pl;
  while (std::cin >> fr >> strict >> setrel >> gl >> pl) {
    std::cin.get();
    std::string g(gl, '\0'), p(pl, '\0');
    std::cin.read(&g[0], static_cast<std::streamsize>(gl));
    std::cin.read(&p[0], static_cast<std::streamsize>(pl));
    veritrace::Options o;
    o.float_rounding = fr;
    o.strict = strict != 0;
    o.allow_set_relation_comp = setrel != 0;
    auto r = veritrace::verify(g, p, o);
    std::cout << veritrace::status_name(r.status) << "\t" << veritrace::method_name(r.method) << "\t" << r.gold
              << "\t" << r.pred << std::endl;
  }
}
