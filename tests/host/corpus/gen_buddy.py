#!/usr/bin/env python3
"""Write the seed corpus of fuzz_buddy into corpus/buddy/.

An input is (op, arg) byte pairs: op & 7 in 0..2 allocates into slot
arg % 64 (order from op >> 3, any order up to 10 when op & 0x80, zeroed when
op & 0x40, gfp from arg >> 6: KERNEL, DMA, DMA32, HIGHUSER), 3..5 frees a
slot, 6 drains the per-CPU cache, 7 resizes it. Rerun after changing.
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "buddy")


def pairs(*ops):
    return bytes(b for op in ops for b in op)


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {}
    # Every order once, each zone, then free in reverse.
    seeds["every-order"] = pairs(*[(0x80 | (o << 3), s | (s % 4) << 6) for s, o in enumerate(range(11))],
                                 *[(3, s) for s in reversed(range(11))])
    # Order-0 churn through the per-CPU cache, with a drain in the middle.
    seeds["pcp-churn"] = pairs(*[(0, s) for s in range(40)], (6, 0), *[(4, s) for s in range(0, 40, 2)],
                               *[(0, s) for s in range(0, 40, 2)])
    # Tiny per-CPU cache: every page through the buddy lists.
    seeds["pcp-tiny"] = pairs((7, 0x00), *[(1, s) for s in range(20)], *[(5, s) for s in range(20)], (7, 0x80))
    # Zeroed allocations reusing dirty pages.
    seeds["zeroed"] = pairs(*[(0x40 | (o << 3), s) for s, o in enumerate([0, 1, 2, 3] * 4)],
                            *[(3, s) for s in range(16)], *[(0x40 | (o << 3), s) for s, o in enumerate([3, 2, 1, 0] * 4)])
    # Exhaust DMA (4 MiB) with order-2 blocks.
    seeds["dma-exhaust"] = pairs(*[(0x10, 0x40 | s) for s in range(64)])
    rnd = random.Random(1)
    seeds["random"] = bytes(rnd.randrange(256) for _ in range(600))
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
