// The only file that knows N-API: it unpacks JS arguments, calls the C++ core, packs results.
#include <napi.h>

#include "veritrace/version.h"

namespace {

Napi::Value CoreVersion(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), veritrace::core_version());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("coreVersion", Napi::Function::New(env, CoreVersion));
  return exports;
}

}  // namespace

NODE_API_MODULE(veritrace, Init)
