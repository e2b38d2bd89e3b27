#include "veritrace/version.h"

namespace veritrace {
const char* core_version() { return "0.1.0"; }
}  // namespace veritrace
