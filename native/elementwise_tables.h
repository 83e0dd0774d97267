// The loop tables of the ops in native/elementwise_loops.h, in the order of the enums in
// native/elementwise.h. No include guard: included right after elementwise_loops.h (and any SIMD
// specializations of its loops) inside namespace tsgan::portable or tsgan::avx2.

#define TSGAN_BINARY_LOOPS(Op, Out) \
  BinaryLoopSet { &LoopVV<Op, Out>, &LoopSV<Op, Out>, &LoopVS<Op, Out>, sizeof(Out) == 1 }

// In the order of tsgan::BinaryOp.
const BinaryLoopSet* BinaryLoopTable() {
  static const BinaryLoopSet table[static_cast<int>(BinaryOp::kCount)] = {
      TSGAN_BINARY_LOOPS(AddF, float),           TSGAN_BINARY_LOOPS(SubF, float),
      TSGAN_BINARY_LOOPS(MulF, float),           TSGAN_BINARY_LOOPS(DivF, float),
      TSGAN_BINARY_LOOPS(MaximumF, float),       TSGAN_BINARY_LOOPS(MinimumF, float),
      TSGAN_BINARY_LOOPS(SquaredDifferenceF, float), TSGAN_BINARY_LOOPS(PowF, float),
      TSGAN_BINARY_LOOPS(PreluF, float),
      TSGAN_BINARY_LOOPS(GreaterF, uint8_t),     TSGAN_BINARY_LOOPS(GreaterEqualF, uint8_t),
      TSGAN_BINARY_LOOPS(LessF, uint8_t),        TSGAN_BINARY_LOOPS(LessEqualF, uint8_t),
      TSGAN_BINARY_LOOPS(EqualF, uint8_t),       TSGAN_BINARY_LOOPS(NotEqualF, uint8_t),
  };
  return table;
}
#undef TSGAN_BINARY_LOOPS

// In the order of tsgan::UnaryOp. Cheap ops split into tasks of 32k elements, transcendental ones of 4k.
const UnaryLoopSet* UnaryLoopTable() {
  constexpr int64_t kCheap = 1 << 15;
  constexpr int64_t kCostly = 1 << 12;
  static const UnaryLoopSet table[static_cast<int>(UnaryOp::kCount)] = {
      {&UnaryLoop<ReluF>::Run, kCheap},     {&UnaryLoop<Relu6F>::Run, kCheap},  {&UnaryLoop<LeakyReluF>::Run, kCheap},
      {&UnaryLoop<EluF>::Run, kCostly},     {&UnaryLoop<SeluF>::Run, kCostly},  {&UnaryLoop<SigmoidF>::Run, kCostly},
      {&UnaryLoop<TanhF>::Run, kCostly},    {&UnaryLoop<SoftplusF>::Run, kCostly}, {&UnaryLoop<ExpF>::Run, kCostly},
      {&UnaryLoop<LogF>::Run, kCostly},     {&UnaryLoop<SqrtF>::Run, kCheap},   {&UnaryLoop<RsqrtF>::Run, kCheap},
      {&UnaryLoop<SquareF>::Run, kCheap},   {&UnaryLoop<NegF>::Run, kCheap},    {&UnaryLoop<AbsF>::Run, kCheap},
      {&UnaryLoop<StepF>::Run, kCheap},     {&UnaryLoop<ReciprocalF>::Run, kCheap}, {&UnaryLoop<ErfF>::Run, kCostly},
  };
  return table;
}
