/* How deep kmap_local/kmap_atomic may nest per CPU (Linux: asm-generic/kmap_size.h).
 * 16 covers a bounce copy inside a block driver inside an interrupt with room
 * to spare; each level costs one fixmap slot per CPU. */
#ifndef ASM_KMAP_SIZE_H
#define ASM_KMAP_SIZE_H
#define KM_MAX_IDX 16
#endif
