// Transpose: y = x with its axes permuted, y.shape[i] = x.shape[perm[i]].
// Arguments: (x: Float32Array | Int32Array, shape: number[], perm: number[], out: same type as x).
// Fast paths (native/transpose.h): plain copy, tiled 2-D, batched 2-D (NHWC <-> NCHW).
#include "common.h"
#include "registry.h"
#include "transpose.h"

namespace tsgan {
namespace {

// The element data of a Float32Array or Int32Array argument.
uint32_t* Arg4Byte(const Napi::CallbackInfo& info, size_t i, const char* name, napi_typedarray_type* type, int64_t* size) {
  if (i >= info.Length() || !info[i].IsTypedArray()) Fail(info.Env(), "Transpose", std::string("argument '") + name + "' must be a Float32Array or Int32Array");
  auto t = info[i].As<Napi::TypedArray>();
  *type = t.TypedArrayType();
  if (*type != napi_float32_array && *type != napi_int32_array) {
    Fail(info.Env(), "Transpose", std::string("argument '") + name + "' must be a Float32Array or Int32Array");
  }
  *size = static_cast<int64_t>(t.ElementLength());
  return reinterpret_cast<uint32_t*>(static_cast<uint8_t*>(t.ArrayBuffer().Data()) + t.ByteOffset());
}

Napi::Value Transpose(const Napi::CallbackInfo& info) {
  if (info.Length() != 4) Fail(info.Env(), "Transpose", "expects (x, shape, perm, out)");
  Shape shape = ArgShape(info, 1, "Transpose", "shape");
  Shape perm = ArgShape(info, 2, "Transpose", "perm");
  napi_typedarray_type tx, ty;
  int64_t nx, ny;
  const uint32_t* x = Arg4Byte(info, 0, "x", &tx, &nx);
  uint32_t* y = Arg4Byte(info, 3, "out", &ty, &ny);
  if (tx != ty) Fail(info.Env(), "Transpose", "x and out differ in element type");
  const int64_t n = NumElements(shape);
  if (nx != n || ny != n) {
    Fail(info.Env(), "Transpose", "x has " + std::to_string(nx) + " elements and out " + std::to_string(ny) +
                                      " but shape " + ShapeStr(shape) + " needs " + std::to_string(n));
  }
  std::string why = CheckPerm(perm, shape.size());
  if (!why.empty()) Fail(info.Env(), "Transpose", why + " (shape " + ShapeStr(shape) + ", perm " + ShapeStr(perm) + ")");
  TransposeImpl(x, shape, perm, y);
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Transpose, tsgan::Transpose);
