#pragma once
// Version of the C++ core; the binding reports it so that a stale build is easy to spot.
namespace veritrace {
const char* core_version();
}
