// The single Node-API binding of tsgan's native backend: exports every kernel registered with
// TSGAN_REGISTER_KERNEL (see registry.h) plus runtime information for `tsgan doctor`.
#include <napi.h>

#include "registry.h"
#include "simd.h"
#include "thread_pool.h"

namespace tsgan {

std::vector<std::pair<std::string, KernelFn>>& KernelTable() {
  static std::vector<std::pair<std::string, KernelFn>> table;
  return table;
}

namespace {

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("threads", NumThreads());
  o.Set("simd", SimdName(ActiveSimd()));
  o.Set("gemm", GemmKernelName());
#if defined(__x86_64__)
  o.Set("arch", "x86_64");
#elif defined(__aarch64__)
  o.Set("arch", "aarch64");
#else
  o.Set("arch", "other");
#endif
  o.Set("compiler", __VERSION__);
  Napi::Array kernels = Napi::Array::New(env, KernelTable().size());
  for (size_t i = 0; i < KernelTable().size(); ++i) kernels.Set(i, KernelTable()[i].first);
  o.Set("kernels", kernels);
  return o;
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), "tsgan native setNumThreads: expects a number");
  }
  SetNumThreads(info[0].As<Napi::Number>().Int32Value());
  return Napi::Number::New(info.Env(), NumThreads());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetThreads, "setNumThreads"));
  for (const auto& [name, fn] : KernelTable()) {
    exports.Set(name, Napi::Function::New(env, fn, name));
  }
  return exports;
}

}  // namespace
}  // namespace tsgan

static Napi::Object InitTsganNative(Napi::Env env, Napi::Object exports) { return tsgan::Init(env, exports); }

NODE_API_MODULE(tsgan_native, InitTsganNative)
