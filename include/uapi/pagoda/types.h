/*
 * Fixed-width types for the headers user space shares with the kernel
 * (include/uapi/pagoda/). Only compiler-provided names, so the same header
 * works in the kernel, in user/lib and in any other freestanding program.
 */
#ifndef _UAPI_PAGODA_TYPES_H
#define _UAPI_PAGODA_TYPES_H

typedef __UINT8_TYPE__  __u8;
typedef __UINT16_TYPE__ __u16;
typedef __UINT32_TYPE__ __u32;
typedef unsigned long long __u64;
typedef __INT32_TYPE__  __s32;
typedef long long __s64;

#endif
