// Kernel registry: each native/kernels/*.cc registers its entry points with TSGAN_REGISTER_KERNEL,
// and binding.cc exports every registered function on the addon object.
#pragma once
#include <napi.h>

#include <string>
#include <utility>
#include <vector>

namespace tsgan {

using KernelFn = Napi::Value (*)(const Napi::CallbackInfo&);

std::vector<std::pair<std::string, KernelFn>>& KernelTable();

struct KernelRegistration {
  KernelRegistration(const char* name, KernelFn fn) { KernelTable().emplace_back(name, fn); }
};

}  // namespace tsgan

#define TSGAN_REGISTER_KERNEL(name, fn) \
  static ::tsgan::KernelRegistration tsgan_kernel_registration_##name(#name, fn)
