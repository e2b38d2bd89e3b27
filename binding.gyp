# node-gyp build of the same addon. The core source list is read from native/sources.txt,
# the one list that CMakeLists.txt reads too.
{
  "targets": [
    {
      "target_name": "veritrace",
      "sources": [
        "native/binding/addon.cc",
        "<!@(node -e \"process.stdout.write(require('fs').readFileSync('native/sources.txt','utf8').split(/\\r?\\n/).filter(Boolean).join(' '))\")"
      ],
      "include_dirs": [
        "native/include",
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions", "-O2"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-O2"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "GCC_OPTIMIZATION_LEVEL": "3"
      },
      "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 1 } }
    }
  ]
}
