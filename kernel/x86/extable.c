/*
 * The exception table (<asm/extable.h>). It holds a handful of entries
 * (every user copy is one function in kernel/x86/usercopy.c), so a linear
 * search is as fast as a sorted one would be; Linux sorts at build time
 * because it has thousands.
 */
#include <asm/extable.h>
#include <pagoda/percpu.h>

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

/* Faults the table turned into an error return, per CPU (tests). */
DEFINE_PER_CPU(unsigned long, uaccess_fixups);

const struct exception_table_entry *search_exception_tables(unsigned long ip)
{
	for (const struct exception_table_entry *e = __start___ex_table; e < __stop___ex_table; e++)
		if (e->insn == ip)
			return e;
	return NULL;
}

bool fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *e = search_exception_tables(regs->ip);

	if (!e)
		return false;
	regs->ip = e->fixup;
	this_cpu_inc(uaccess_fixups);
	return true;
}
