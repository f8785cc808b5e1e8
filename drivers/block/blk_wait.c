/*
 * Waiting for bios in the kernel: halt until the completion interrupt (or
 * a wake IPI from the CPU that took it) has run the bio's bi_end_io.
 */
#include <pagoda/blkdev.h>
#include <pagoda/preempt.h>
#include <asm/processor.h>

void bio_wait_count(const volatile unsigned int *count, unsigned int n)
{
	might_sleep();                  /* it halts until the completions: not in atomic context */
	/* Test with interrupts off, then sti;hlt: a completion cannot slip in
	 * between the test and the halt. */
	for (;;) {
		local_irq_disable();
		if (__atomic_load_n(count, __ATOMIC_ACQUIRE) >= n)
			break;
		safe_halt();
	}
	local_irq_enable();
}

static void wake_waiter(struct bio *bio)
{
	__atomic_fetch_add((unsigned int *)bio->bi_private, 1, __ATOMIC_RELEASE);
}

int submit_bio_wait(struct bio *bio)
{
	volatile unsigned int done = 0;
	might_sleep();                  /* before submitting: nothing is issued from atomic context */
	bio->bi_private = (void *)&done;
	bio->bi_end_io = wake_waiter;
	submit_bio(bio);
	blk_flush_plug();               /* a plug would hold it back forever */
	bio_wait_count(&done, 1);       /* the completion interrupt or a polling driver */
	return bio->bi_status;
}
