/* ahcid: a user process may always block. */
#ifndef AHCID_PAGODA_PREEMPT_H
#define AHCID_PAGODA_PREEMPT_H

#define might_sleep() do { } while (0)

#endif
