/* Boundaries of the kernel image, from linker.ld. */
#ifndef PAGODA_SECTIONS_H
#define PAGODA_SECTIONS_H

extern char _text[], _etext[], _srodata[], _erodata[], _sdata[], _edata[];
extern char __bss_start[], __bss_stop[], _end[];

#endif
