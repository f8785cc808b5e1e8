/*
 * Backtraces by frame pointers (the kernel is built with them): each frame
 * starts with the caller's frame pointer, then the return address. The walk
 * stays inside the stack it started on and stops at the zero frame pointer
 * the entry code leaves, so a corrupt chain ends the trace instead of faulting.
 * Even a known stack may be unmapped (freed by mistake while a CPU ran on
 * it): frames are read with read_kernel_nofault, and the first one that
 * cannot be read ends the trace with a note, so that a panic report is
 * always printed in full instead of faulting again inside panic().
 */
#include <pagoda/panic.h>
#include <pagoda/stacks.h>
#include <pagoda/kallsyms.h>
#include <pagoda/nofault.h>
#include <asm/processor.h>

#define MAX_FRAMES 32

static void print_frame(unsigned long pc)
{
	printk(KERN_EMERG " [<%p>] %pS\n", (void *)pc, (void *)pc);
}

/* The saved frame pointer and return address of the frame at fp. */
static bool read_frame(unsigned long fp, unsigned long *next, unsigned long *ret)
{
	const unsigned long *frame = (const unsigned long *)fp;
	return !read_kernel_nofault(next, &frame[0]) && !read_kernel_nofault(ret, &frame[1]);
}

void show_backtrace(unsigned long fp, unsigned long pc)
{
	printk(KERN_EMERG "Call Trace:\n");
	if (pc)
		print_frame(pc);
	const struct stack_info *st = stack_lookup(fp);
	unsigned long last = 0, repeats = 0;
	for (int n = 0; n < MAX_FRAMES && fp; n++) {
		if (!st || fp % sizeof(long) || fp < st->bottom || fp + 2 * sizeof(long) > st->top) {
			printk(KERN_EMERG " (frame pointer %p is outside the %s; trace ends)\n",
			       (void *)fp, st ? st->name : "known stacks");
			return;
		}
		unsigned long next, ret;
		if (!read_frame(fp, &next, &ret)) {
			printk(KERN_EMERG " (frame at %p in the %s is unreadable: not mapped; trace ends)\n",
			       (void *)fp, st->name);
			return;
		}
		if (!ret)
			break;
		/* The return address points after the call; -1 names the caller's line.
		 * Runs of the same frame (deep recursion) print once with a count. */
		if (ret == last) {
			repeats++;
		} else {
			if (repeats)
				printk(KERN_EMERG "  ... the frame above repeats %lu more times\n", repeats);
			repeats = 0;
			last = ret;
			print_frame(ret - 1);
		}
		if (next && next <= fp) {
			printk(KERN_EMERG " (frame pointer chain goes backwards; trace ends)\n");
			return;
		}
		fp = next;
	}
	if (repeats)
		printk(KERN_EMERG "  ... the frame above repeats %lu more times\n", repeats);
}

int save_stack_trace(unsigned long fp, unsigned long *entries, int max)
{
	const struct stack_info *st = stack_lookup(fp);
	int n = 0;
	while (n < max && st && fp && !(fp % sizeof(long)) && fp >= st->bottom && fp + 2 * sizeof(long) <= st->top) {
		unsigned long next, ret;
		if (!read_frame(fp, &next, &ret) || !ret)
			break;
		entries[n++] = ret - 1;
		if (next <= fp)
			break;
		fp = next;
	}
	for (int i = n; i < max; i++)
		entries[i] = 0;
	return n;
}

void print_stack_trace(const unsigned long *entries, int max)
{
	for (int i = 0; i < max && entries[i]; i++)
		print_frame(entries[i]);
}

__noinline void dump_stack(void)
{
	show_backtrace(current_frame_pointer(), 0);
}
