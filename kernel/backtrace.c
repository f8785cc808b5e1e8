/*
 * Backtraces by frame pointers (the kernel is built with them): each frame
 * starts with the caller's frame pointer, then the return address. The walk
 * stays inside the stack it started on and stops at the zero frame pointer
 * the entry code leaves, so a corrupt chain ends the trace instead of faulting.
 */
#include <pagoda/panic.h>
#include <pagoda/stacks.h>
#include <pagoda/kallsyms.h>
#include <asm/processor.h>

#define MAX_FRAMES 32

static void print_frame(unsigned long pc)
{
	printk(KERN_EMERG " [<%p>] %pS\n", (void *)pc, (void *)pc);
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
		unsigned long *frame = (unsigned long *)fp;
		unsigned long ret = frame[1];
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
		if (frame[0] && frame[0] <= fp) {
			printk(KERN_EMERG " (frame pointer chain goes backwards; trace ends)\n");
			return;
		}
		fp = frame[0];
	}
	if (repeats)
		printk(KERN_EMERG "  ... the frame above repeats %lu more times\n", repeats);
}

int save_stack_trace(unsigned long fp, unsigned long *entries, int max)
{
	const struct stack_info *st = stack_lookup(fp);
	int n = 0;
	while (n < max && st && fp && !(fp % sizeof(long)) && fp >= st->bottom && fp + 2 * sizeof(long) <= st->top) {
		unsigned long *frame = (unsigned long *)fp;
		if (!frame[1])
			break;
		entries[n++] = frame[1] - 1;
		if (frame[0] <= fp)
			break;
		fp = frame[0];
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
