{
  # The native CPU backend of tsgan. Every C++ file under native/kernels/ is compiled in;
  # files named *_avx2.cc are built with AVX2+FMA enabled and only called after a runtime CPU check;
  # files named *_avx512.cc likewise with AVX-512F (native/ only).
  "targets": [
    {
      "target_name": "tsgan_native",
      "sources": [
        "native/binding.cc",
        "native/thread_pool.cc",
        "native/simd.cc",
        "<!@(node -p \"require('fs').readdirSync('native').filter(f=>f.endsWith('.cc')&&!f.endsWith('_avx2.cc')&&!f.endsWith('_avx512.cc')&&!['binding.cc','thread_pool.cc','simd.cc'].includes(f)).map(f=>'native/'+f).join(' ')\")",
        "<!@(node -p \"require('fs').readdirSync('native/kernels').filter(f=>f.endsWith('.cc')&&!f.endsWith('_avx2.cc')).map(f=>'native/kernels/'+f).join(' ')\")"
      ],
      "dependencies": ["tsgan_avx2", "tsgan_avx512"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions"],
      "ldflags": ["-pthread"]
    },
    {
      "target_name": "tsgan_avx2",
      "type": "static_library",
      "sources": [
        "<!@(node -p \"[...require('fs').readdirSync('native').filter(f=>f.endsWith('_avx2.cc')).map(f=>'native/'+f), ...require('fs').readdirSync('native/kernels').filter(f=>f.endsWith('_avx2.cc')).map(f=>'native/kernels/'+f)].join(' ')\")"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-mavx2", "-mfma", "-fPIC"]
    },
    {
      # files named *_avx512.cc: built with AVX-512F and called only after a runtime CPU check (UseAvx512Gemm).
      "target_name": "tsgan_avx512",
      "type": "static_library",
      "sources": [
        "<!@(node -p \"require('fs').readdirSync('native').filter(f=>f.endsWith('_avx512.cc')).map(f=>'native/'+f).join(' ')\")"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-mavx512f", "-mavx2", "-mfma", "-fPIC"]
    }
  ]
}
