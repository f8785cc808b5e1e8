/*
 * Kernel timers: call a function from the timer tick once jiffies reaches
 * `expires`. Each CPU keeps its own list, sorted by expiry, run by its own
 * tick; a timer runs on the CPU that added it (and a sleeping task is never
 * moved, so its timeout fires on its own CPU). The function runs in
 * interrupt context: it must not sleep.
 *
 * Calling context: any (the per-CPU list lock is taken irqsave).
 * Resolution: one tick (1/HZ s); a timer never fires early.
 */
#ifndef PAGODA_TIMER_H
#define PAGODA_TIMER_H

#include <pagoda/list.h>
#include <pagoda/time.h>
#include <pagoda/types.h>

struct timer_list {
	struct list_head entry;
	unsigned long expires;                  /* in jiffies */
	void (*function)(struct timer_list *);
	int cpu;                                /* whose list it is on */
	bool pending;
};

static inline void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *))
{
	INIT_LIST_HEAD(&t->entry);
	t->function = fn;
	t->pending = false;
	t->cpu = -1;
}
/* Queue t on this CPU's list (t->expires set by the caller). */
void add_timer(struct timer_list *t);
/* Take t off its list if still pending; true if it was. Does not wait for
 * a running callback on another CPU: the owner of t must know it is not
 * running (as schedule_timeout does: the callback runs on its own CPU). */
bool del_timer(struct timer_list *t);

/* ms -> jiffies, rounded up. */
static inline unsigned long msecs_to_jiffies(unsigned int ms)
{
	return ((unsigned long)ms * HZ + 999) / 1000;
}

#endif
