/*
 * Completions: "wait until this has happened once" (a count of events and
 * a wait queue). complete() lets one waiter through (or the next one to
 * come), complete_all() every waiter, now and later. Waiting: process
 * context, may sleep. Completing: any context.
 */
#ifndef PAGODA_COMPLETION_H
#define PAGODA_COMPLETION_H

#include <pagoda/wait.h>

struct completion {
	unsigned int done;              /* UINT_MAX after complete_all */
	wait_queue_head_t wait;
};

#define COMPLETION_INITIALIZER(name) { 0, __WAIT_QUEUE_HEAD_INITIALIZER((name).wait) }
#define DECLARE_COMPLETION(name) struct completion name = COMPLETION_INITIALIZER(name)

void init_completion(struct completion *c);
/* Back to "not happened" (only when nobody waits). */
void reinit_completion(struct completion *c);
void wait_for_completion(struct completion *c);
/* 0 if timeout jiffies passed first, else the jiffies left (>= 1). */
long wait_for_completion_timeout(struct completion *c, long timeout);
void complete(struct completion *c);
void complete_all(struct completion *c);
bool completion_done(struct completion *c);

#endif
