/* Lookups in the symbol table that scripts/kallsyms.py embeds (kallsyms.h). */
#include <pagoda/kallsyms.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>

extern const u64 kallsyms_num;
extern const u64 kallsyms_addrs[];
extern const u64 kallsyms_sizes[];
extern const u32 kallsyms_name_offs[];
extern const char kallsyms_names[];

unsigned long kallsyms_count(void)
{
	return (unsigned long)kallsyms_num;
}

const char *kallsyms_lookup(unsigned long addr, unsigned long *offset, unsigned long *size)
{
	/* Binary search for the last symbol starting at or below addr. */
	u64 lo = 0, hi = kallsyms_num;
	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;
		if (kallsyms_addrs[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	u64 i = lo - 1;
	if (addr - kallsyms_addrs[i] >= kallsyms_sizes[i])
		return NULL;
	if (offset)
		*offset = addr - kallsyms_addrs[i];
	if (size)
		*size = kallsyms_sizes[i];
	return &kallsyms_names[kallsyms_name_offs[i]];
}

unsigned long kallsyms_lookup_name(const char *name)
{
	for (u64 i = 0; i < kallsyms_num; i++)
		if (!strcmp(&kallsyms_names[kallsyms_name_offs[i]], name))
			return (unsigned long)kallsyms_addrs[i];
	return 0;
}

int sprint_symbol(char *buf, size_t size, unsigned long addr)
{
	unsigned long off, sz;
	const char *name = kallsyms_lookup(addr, &off, &sz);
	if (!name)
		return snprintf(buf, size, "0x%lx", addr);
	return snprintf(buf, size, "%s+0x%lx/0x%lx", name, off, sz);
}
