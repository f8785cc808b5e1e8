/*
 * Host shim: glibc's <sys/cdefs.h> defines __always_inline differently from
 * the kernel's <pagoda/compiler.h>.  Pull glibc's in first, drop its
 * definition, then take the kernel's (cdefs.h's include guard keeps it from
 * coming back).  Guarded itself: a second inclusion would otherwise undefine
 * __always_inline after the kernel header's guard stops it coming back.
 */
#ifndef HOST_SHIM_PAGODA_COMPILER_H
#define HOST_SHIM_PAGODA_COMPILER_H
#include <sys/cdefs.h>
#undef __always_inline
#include_next <pagoda/compiler.h>
#endif
