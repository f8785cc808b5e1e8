#!/usr/bin/env python3
"""Write the seed corpus of fuzz_slab into corpus/slab/.

An input is one byte (bit 0: slab_debug; the rest sizes the fuzz cache),
then (op, arg) byte pairs: op & 7 is 0/1 kmalloc (1: zeroed; op & 0x38 ==
0x38: GFP_DMA) into slot arg % 64, 2 kfree, 3 krealloc, 4 kmem_cache_alloc,
5 shrink every cache, 6 kcalloc, 7 the NULL / ZERO_SIZE_PTR / highmem
answers. op >> 6 picks the size range: tiny, up to 2 KiB, up to 8 KiB,
large (through the buddy allocator). Rerun after changing.
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "slab")


def pairs(first, *ops):
    return bytes([first]) + bytes(b for op in ops for b in op)


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {}
    # Every size range, then free in reverse; plain and with slab_debug.
    classes = [(r << 6 | s << 3, a) for r in range(4) for s, a in ((0, 7), (3, 200), (7, 255))]
    allocs = [(op, (a & 0xc0) | i) for i, (op, a) in enumerate(classes)]
    frees = [(2, i) for i in reversed(range(len(classes)))]
    seeds["classes"] = pairs(0, *allocs, *frees)
    seeds["classes-debug"] = pairs(1, *allocs, *frees)
    # Grow and shrink one object through every range with krealloc.
    seeds["krealloc"] = pairs(0, (0, 5), *[(3 | r << 6 | 7 << 3, 5) for r in (0, 1, 2, 3, 2, 1, 0)], (2, 5))
    # Cache churn with shrinks in between, DMA and zeroed allocations.
    seeds["cache-churn"] = pairs(6, *[(4, i) for i in range(40)], (5, 0), *[(2, i) for i in range(0, 40, 3)],
                                 (5, 0), *[(0x39, i) for i in range(40, 50)], *[(6, i) for i in range(50, 60)], (7, 9))
    rnd = random.Random(1234)
    seeds["random"] = bytes([0]) + bytes(rnd.randrange(256) for _ in range(600))
    seeds["random-debug"] = bytes([1]) + bytes(rnd.randrange(256) for _ in range(600))
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
