# Compiler flags shared by every target.
set(WCR_WARNINGS -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wpointer-arith -Wvla -Wno-missing-field-initializers)
if(WCR_WERROR)
  list(APPEND WCR_WARNINGS -Werror)
endif()
add_compile_options(${WCR_WARNINGS})

if(WIN32)
  # Windows 10 APIs; mingw's own C99 printf (supports %zu, %lld).
  add_compile_definitions(_WIN32_WINNT=0x0A00 WINVER=0x0A00 UNICODE _UNICODE
                          __USE_MINGW_ANSI_STDIO=1 WIN32_LEAN_AND_MEAN)
  # Static compiler runtime: the .exe needs only Windows' own DLLs.
  add_link_options(-static -static-libgcc)
else()
  add_compile_definitions(_POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)
endif()

if(WCR_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
