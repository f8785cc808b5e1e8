/*
 * Per-CPU data: one copy of a variable for every CPU, each touched by its
 * own CPU without a lock (with interrupts off where a handler on that CPU
 * may touch it too). Linux's API, on Pagoda's layout:
 *
 *   DEFINE_PER_CPU(int, hits);             in a .c file (static allowed)
 *   DECLARE_PER_CPU(int, hits);            in a header
 *   this_cpu_inc(hits);                    this CPU's copy, one instruction
 *   per_cpu(hits, cpu)                     another CPU's copy (an lvalue)
 *   struct s *p = this_cpu_ptr(&var);      this CPU's copy of var (or of a
 *   struct s *q = per_cpu_ptr(&var, cpu);  field of it, or an alloc_percpu)
 *
 * Layout. DEFINE_PER_CPU puts the variable in the .data..percpu section,
 * which linker.ld gathers between __per_cpu_start and __per_cpu_end (whole
 * pages): the *template*. The linker also reserves NR_CPUS areas of that
 * size in .bss (__per_cpu_areas). setup_per_cpu_areas(), the first thing
 * start_kernel does, copies the template into every area and records
 * __per_cpu_offset[cpu] = area - __per_cpu_start. CPU n's copy of var is
 * then at &var + __per_cpu_offset[n]; the template itself is never used
 * again (code that forgets per_cpu_ptr would touch it, and no CPU would see
 * its write). Why static areas rather than allocating them once the CPU
 * count is known: the boot CPU needs its copy (its GDT, TSS, CPU number)
 * before any allocator exists, and with at most 8 CPUs the areas of absent
 * CPUs cost little (36 KiB each on x86_64 today, 16 KiB of it the
 * alloc_percpu reserve), in .bss, which costs nothing in the image.
 *
 * The fast path. Each CPU's segment base register (GS on x86_64, FS on
 * i386, <asm/percpu.h>) holds its own offset, so this_cpu_read(var) is one
 * load "seg:&var", and this_cpu_ptr(p) is p plus this CPU's this_cpu_off,
 * itself read with one such load. Before setup the base is 0: the boot CPU
 * then reads the template, so smp_processor_id() is already 0.
 *
 * Alignment. Variables are packed in the order the linker meets them.
 * DEFINE_PER_CPU_ALIGNED starts (and pads) a variable on its own cache
 * line, for data that other CPUs also write (a mailbox) or read often;
 * DEFINE_PER_CPU_PAGE_ALIGNED on its own page (stacks). Each CPU's area is
 * page-aligned, so a copy keeps the alignment of its template.
 *
 * Dynamic per-CPU data. alloc_percpu(type) hands out a zeroed copy of type
 * for every CPU from a reserve inside each area (PERCPU_DYNAMIC_SIZE bytes,
 * 64-byte granules: alignment up to 64), for per-CPU parts of objects
 * created at run time (a slab cache's per-CPU arrays); it works before the
 * page allocator, and returns NULL when the reserve is used up.
 * The result is a template-space pointer: use it only through
 * per_cpu_ptr()/this_cpu_ptr(). free_percpu() gives it back.
 *
 * Calling context: everything here works in any context once
 * setup_per_cpu_areas() ran. this_cpu_* and this_cpu_ptr() name the running
 * CPU: kernel code never migrates (a user process moves only at the user
 * boundary, <pagoda/sched.h>), so the answer stays true;
 * but another task may run on this CPU in between unless preemption is off
 * (a spinlock, preempt_disable, interrupts off) or blocked (preempt_block):
 * state kept here across a preemption point must be one of those, or per
 * task (docs/scheduler.md, "what is per-CPU"). alloc_percpu/free_percpu take a spinlock (irqsave).
 */
#ifndef PAGODA_PERCPU_H
#define PAGODA_PERCPU_H

#include <pagoda/compiler.h>
#include <pagoda/threads.h>
#include <pagoda/types.h>
#include <asm/percpu.h>

#define SMP_CACHE_BYTES 64
#define ____cacheline_aligned __aligned(SMP_CACHE_BYTES)

/* Marks a pointer into the template (per_cpu_ptr it before use). Only a
 * reminder for the reader: Pagoda has no sparse checker. */
#define __percpu

#define PER_CPU_SECTION ".data..percpu"

#define DEFINE_PER_CPU_SECTION(type, name, sec) \
	__section(PER_CPU_SECTION sec) __typeof__(type) name
#define DEFINE_PER_CPU(type, name)         DEFINE_PER_CPU_SECTION(type, name, "")
#define DEFINE_PER_CPU_ALIGNED(type, name) \
	DEFINE_PER_CPU_SECTION(type, name, "..shared_aligned") ____cacheline_aligned
#define DEFINE_PER_CPU_PAGE_ALIGNED(type, name) \
	DEFINE_PER_CPU_SECTION(type, name, "..page_aligned") __aligned(4096)
#define DECLARE_PER_CPU(type, name)         extern __typeof__(type) name
#define DECLARE_PER_CPU_ALIGNED(type, name) DECLARE_PER_CPU(type, name)

extern char __per_cpu_start[], __per_cpu_end[];
/* Where each CPU's copy is, relative to the template (read by any CPU, so
 * an array, not per-CPU data itself). */
extern unsigned long __per_cpu_offset[NR_CPUS];
/* This CPU's entry of __per_cpu_offset, in its own area: this_cpu_ptr()'s
 * one load. */
DECLARE_PER_CPU(unsigned long, this_cpu_off);

#define per_cpu_offset(cpu) (__per_cpu_offset[cpu])
#define SHIFT_PERCPU_PTR(ptr, off) \
	((__typeof__(ptr))((unsigned long)(ptr) + (off)))

/* CPU cpu's copy of what ptr points at in the template. */
#define per_cpu_ptr(ptr, cpu) SHIFT_PERCPU_PTR(ptr, per_cpu_offset(cpu))
/* The running CPU's copy. */
#define this_cpu_ptr(ptr)     SHIFT_PERCPU_PTR(ptr, arch_this_cpu_read(this_cpu_off))
/* CPU cpu's copy of var, as an lvalue. */
#define per_cpu(var, cpu)     (*per_cpu_ptr(&(var), cpu))

/* The running CPU's copy of a scalar var, each one instruction through the
 * segment base (no this_cpu_off load): safe against this CPU's interrupt
 * handlers without disabling them. */
#define this_cpu_read(var)     arch_this_cpu_read(var)
#define this_cpu_read_stable(var) arch_this_cpu_read_stable(var)
#define this_cpu_write(var, v) arch_this_cpu_write(var, v)
#define this_cpu_add(var, v)   arch_this_cpu_add(var, v)
#define this_cpu_sub(var, v)   this_cpu_add(var, -(__typeof__(var))(v))
#define this_cpu_inc(var)      this_cpu_add(var, 1)
#define this_cpu_dec(var)      this_cpu_sub(var, 1)

/* Boot CPU, first thing: copy the template into every CPU's area. */
void setup_per_cpu_areas(void);

/* Bytes of each area for alloc_percpu. */
#define PERCPU_DYNAMIC_SIZE 16384
void __percpu *__alloc_percpu(size_t size, size_t align);
#define alloc_percpu(type) \
	((__typeof__(type) __percpu *)__alloc_percpu(sizeof(type), __alignof__(type)))
void free_percpu(void __percpu *ptr);
/* Bytes of the dynamic reserve in use (ktest, monitor). */
size_t percpu_dynamic_used(void);

#endif
