/* The handle table of a process (kernel/ipc/handle.c): private to kernel/ipc. */
#ifndef KERNEL_IPC_HANDLE_TABLE_H
#define KERNEL_IPC_HANDLE_TABLE_H

#include <pagoda/ipc.h>

/* A handle's value: the generation above the slot. Generation 0 is never
 * used, so no handle is below 1 << HANDLE_SLOT_BITS (256, 257 ...). */
#define HANDLE_SLOT_BITS 8
#define HANDLE_GEN_MAX   0x7fffff

struct handle_entry {
	struct kobj *obj;               /* NULL: the slot is free */
	u32 rights;
	u32 gen : 31;                   /* of the handle in it, or of the next one */
	u32 lent : 1;                   /* a loan (IPC_TAG_LEND): not inherited, may only be lent on */
};

/* Changed only by its process (single-threaded) and at its exit; the lock
 * is for readers on other CPUs (the monitor) and for the exit. */
struct handle_table {
	spinlock_t lock;
	struct handle_entry e[HANDLE_MAX];
};

/* A delivered handle leaves its detached slot for good: its value dies. */
void handle_detach_done(int slot);
/* A lent handle arrives: like handle_attach, marked as a loan. */
int handle_attach_lent(struct kobj *obj, u32 rights);
/* Close every handle of t (its exit). */
void handles_exit(struct task_struct *t);

#endif
