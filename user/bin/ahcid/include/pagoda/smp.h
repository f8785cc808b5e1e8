/* ahcid: one thread: always "CPU 0" (ahci_os_wake_cpus is never needed). */
#ifndef AHCID_PAGODA_SMP_H
#define AHCID_PAGODA_SMP_H

static inline int smp_processor_id(void) { return 0; }

#endif
