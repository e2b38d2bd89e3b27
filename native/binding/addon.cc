// The only file that knows N-API: it unpacks JS arguments, calls the C++ core, packs results.
// Batches cross once: UTF-8 bytes in one Uint8Array plus a Uint32Array of offsets in, typed arrays
// out (DESIGN.md "Measured facts": per-element N-API access is slow).
#include <napi.h>

#include <cstring>
#include <string>
#include <vector>

#include "veritrace/verify.h"
#include "veritrace/version.h"

namespace {

veritrace::Options read_options(const Napi::CallbackInfo& info, size_t first) {
  veritrace::Options o;
  if (info.Length() > first && info[first].IsNumber()) o.float_rounding = info[first].As<Napi::Number>().Int32Value();
  if (info.Length() > first + 1 && info[first + 1].IsNumber()) {
    uint32_t flags = info[first + 1].As<Napi::Number>().Uint32Value();
    o.strict = (flags & 1u) != 0;
    o.allow_set_relation_comp = (flags & 2u) != 0;
  }
  return o;
}

Napi::Value CoreVersion(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), veritrace::core_version());
}

// verifyOne(gold: string, pred: string, floatRounding: number, flags: number)
//   -> [status, method, goldCanonical, predCanonical]
Napi::Value VerifyOne(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsString())
    throw Napi::TypeError::New(env, "verifyOne(gold: string, pred: string, floatRounding, flags)");
  std::string gold = info[0].As<Napi::String>().Utf8Value();
  std::string pred = info[1].As<Napi::String>().Utf8Value();
  veritrace::Result r = veritrace::verify(gold, pred, read_options(info, 2));
  Napi::Array out = Napi::Array::New(env, 4);
  out.Set(0u, Napi::Number::New(env, static_cast<int>(r.status)));
  out.Set(1u, Napi::Number::New(env, static_cast<int>(r.method)));
  out.Set(2u, Napi::String::New(env, r.gold));
  out.Set(3u, Napi::String::New(env, r.pred));
  return out;
}

// verifyPacked(bytes: Uint8Array, offsets: Uint32Array (2n+1: gold_i = [o[2i], o[2i+1]), pred_i =
//   [o[2i+1], o[2i+2])), floatRounding, flags, wantCanonical: boolean)
//   -> { status: Uint8Array, method: Uint8Array, canonical?: Uint8Array, canonicalOffsets?: Uint32Array }
Napi::Value VerifyPacked(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsTypedArray() || !info[1].IsTypedArray())
    throw Napi::TypeError::New(env, "verifyPacked(bytes: Uint8Array, offsets: Uint32Array, floatRounding, flags, wantCanonical)");
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  Napi::Uint32Array offsets = info[1].As<Napi::Uint32Array>();
  veritrace::Options options = read_options(info, 2);
  bool want_canonical = info.Length() > 4 && info[4].ToBoolean().Value();
  options.canonical_forms = want_canonical;
  size_t n_offsets = offsets.ElementLength();
  if (n_offsets < 1 || n_offsets % 2 != 1) throw Napi::RangeError::New(env, "offsets must hold 2n+1 entries");
  size_t n = (n_offsets - 1) / 2;
  const char* data = reinterpret_cast<const char*>(bytes.Data());
  const uint32_t* off = offsets.Data();
  size_t size = bytes.ByteLength();
  for (size_t i = 0; i + 1 < n_offsets; ++i)
    if (off[i] > off[i + 1] || off[i + 1] > size) throw Napi::RangeError::New(env, "offsets out of order or out of range");

  Napi::Uint8Array status = Napi::Uint8Array::New(env, n);
  Napi::Uint8Array method = Napi::Uint8Array::New(env, n);
  std::string canon;
  std::vector<uint32_t> canon_offsets;
  if (want_canonical) canon_offsets.reserve(2 * n + 1), canon_offsets.push_back(0);
  for (size_t i = 0; i < n; ++i) {
    std::string_view gold(data + off[2 * i], off[2 * i + 1] - off[2 * i]);
    std::string_view pred(data + off[2 * i + 1], off[2 * i + 2] - off[2 * i + 1]);
    veritrace::Result r = veritrace::verify(gold, pred, options);
    status[i] = static_cast<uint8_t>(r.status);
    method[i] = static_cast<uint8_t>(r.method);
    if (want_canonical) {
      canon += r.gold;
      canon_offsets.push_back(static_cast<uint32_t>(canon.size()));
      canon += r.pred;
      canon_offsets.push_back(static_cast<uint32_t>(canon.size()));
    }
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("status", status);
  out.Set("method", method);
  if (want_canonical) {
    Napi::Uint8Array cb = Napi::Uint8Array::New(env, canon.size());
    if (!canon.empty()) std::memcpy(cb.Data(), canon.data(), canon.size());
    Napi::Uint32Array co = Napi::Uint32Array::New(env, canon_offsets.size());
    std::memcpy(co.Data(), canon_offsets.data(), canon_offsets.size() * sizeof(uint32_t));
    out.Set("canonical", cb);
    out.Set("canonicalOffsets", co);
  }
  return out;
}

// canonical(answer: string, floatRounding, flags) -> string
Napi::Value Canonical(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(env, "canonical(answer: string)");
  std::string answer = info[0].As<Napi::String>().Utf8Value();
  return Napi::String::New(env, veritrace::canonical(answer, read_options(info, 1)));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("coreVersion", Napi::Function::New(env, CoreVersion));
  exports.Set("verifyOne", Napi::Function::New(env, VerifyOne));
  exports.Set("verifyPacked", Napi::Function::New(env, VerifyPacked));
  exports.Set("canonical", Napi::Function::New(env, Canonical));
  return exports;
}

}  // namespace

NODE_API_MODULE(veritrace, Init)
