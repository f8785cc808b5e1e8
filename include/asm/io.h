/* Port I/O. */
#ifndef ASM_IO_H
#define ASM_IO_H

#include <pagoda/types.h>

static inline void outb(u8 v, u16 port) { __asm__ __volatile__("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(u16 v, u16 port) { __asm__ __volatile__("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(u32 v, u16 port) { __asm__ __volatile__("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u16 inw(u16 port) { u16 v; __asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u32 inl(u16 port) { u32 v; __asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
/*
 * Memory-mapped I/O through an ioremap() address. volatile makes the
 * compiler emit exactly one access of exactly this width, in program order
 * with the others; the "memory" clobber keeps ordinary memory accesses
 * (a DMA buffer filled before a doorbell write) on their side of it.
 * The mapping is uncached, so the CPU itself does not reorder or merge them.
 */
#define __MMIO_RW(bwl, type) \
	static inline type read##bwl(const volatile void *addr) \
	{ type v = *(const volatile type *)addr; __asm__ __volatile__("" ::: "memory"); return v; } \
	static inline void write##bwl(type v, volatile void *addr) \
	{ __asm__ __volatile__("" ::: "memory"); *(volatile type *)addr = v; }
__MMIO_RW(b, u8)
__MMIO_RW(w, u16)
__MMIO_RW(l, u32)
#ifdef __x86_64__
__MMIO_RW(q, u64)
#endif
#undef __MMIO_RW

/* A write to an unused port takes about a microsecond on real hardware. */
static inline void io_delay(void) { outb(0, 0x80); }

#endif
