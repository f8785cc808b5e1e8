/*
 * A message in and out of the kernel. The words travel in registers: the
 * sender's are read from its trapped frame, the receiver's written into
 * its own (they return to user mode in the argument registers). The
 * buffer is copied twice, in by the sender and out by the receiver, each
 * in its own address space: no process ever touches another's memory.
 * Handles are moved: out of the sender's table into the message, out of
 * the message into the receiver's.
 */
#include <pagoda/errno.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <pagoda/uaccess.h>
#include <asm/syscall.h>
#include "handle_table.h"
#include "ipc_wait.h"

long kmsg_load(struct kmsg *m, unsigned long tag, const unsigned long *w, const struct ipc_ext *ext)
{
	memset(m, 0, sizeof(*m));
	m->lent = tag & IPC_TAG_LEND;
	m->tag = (tag & IPC_LABEL_MASK) | (m->lent ? IPC_TAG_LEND : 0);
	for (int i = 0; i < IPC_WORDS; i++)
		m->w[i] = w[i];
	if (!ext)
		return 0;
	m->w[IPC_WORDS - 1] = 0;                /* it was the ipc_ext pointer */
	if (ext->send_len > IPC_BUF_MAX)
		return -EMSGSIZE;
	if (ext->send_nhandles > IPC_HANDLES_MAX)
		return -EINVAL;
	if (ext->send_len) {
		m->kbuf = kmalloc(ext->send_len, GFP_KERNEL);
		if (!m->kbuf)
			return -ENOMEM;
		if (copy_from_user(m->kbuf, (const void __user *)ext->send_buf, ext->send_len)) {
			kfree(m->kbuf);
			m->kbuf = NULL;
			return -EFAULT;
		}
		m->len = ext->send_len;
	}
	for (unsigned int i = 0; i < ext->send_nhandles; i++) {
		int err;
		if (m->lent) {
			err = handle_lend(ext->send_handles[i], &m->hobj[i], &m->hrights[i]);
			if (!err)
				m->nh = i + 1;
		} else {
			err = handle_detach(ext->send_handles[i], &m->hobj[i], &m->hrights[i], &m->hslot[i]);
			if (!err)
				m->nh = m->nslots = i + 1;
		}
		if (err) {
			kmsg_settle(m);         /* the ones detached so far go back */
			return err;
		}
	}
	return 0;
}

void kmsg_settle(struct kmsg *m)
{
	if (m->lent) {
		kmsg_free(m);           /* loans not taken: the lender never lost them */
		return;
	}
	for (unsigned int i = 0; i < m->nslots; i++) {
		if (m->nh)
			handle_restore(m->hslot[i], m->hobj[i], m->hrights[i]);
		else
			handle_detach_done(m->hslot[i]);
	}
	m->nh = m->nslots = 0;
	kfree(m->kbuf);
	m->kbuf = NULL;
}

void kmsg_take(struct kmsg *to, struct kmsg *from)
{
	to->tag = from->tag;
	memcpy(to->w, from->w, sizeof(to->w));
	to->kbuf = from->kbuf;
	to->len = from->len;
	to->nh = from->nh;
	memcpy(to->hobj, from->hobj, sizeof(to->hobj));
	memcpy(to->hrights, from->hrights, sizeof(to->hrights));
	to->nslots = 0;
	to->lent = from->lent;
	to->badge = from->badge;
	from->kbuf = NULL;
	from->nh = 0;                           /* nslots stays: kmsg_settle retires them */
}

void kmsg_free(struct kmsg *m)
{
	for (unsigned int i = 0; i < m->nh; i++)
		handle_drop(m->hobj[i], m->hrights[i]);
	m->nh = 0;
	kfree(m->kbuf);
	m->kbuf = NULL;
}

long kmsg_store(struct kmsg *m, struct pt_regs *regs, struct ipc_ext *ext, struct ipc_ext __user *uext)
{
	long err = 0;
	syscall_set_arg(regs, 1, m->tag);
	for (int i = 0; i < IPC_WORDS; i++)
		syscall_set_arg(regs, 2 + i, m->w[i]);
	if (!ext) {
		kmsg_free(m);
		return 0;
	}
	unsigned long n = m->len < ext->recv_cap ? m->len : ext->recv_cap;
	if (n && copy_to_user((void __user *)ext->recv_buf, m->kbuf, n))
		err = -EFAULT;
	ext->recv_len = m->len;
	ext->recv_nhandles = 0;
	for (unsigned int i = 0; i < m->nh; i++) {
		int h;
		if (m->lent) {
			h = handle_attach_lent(m->hobj[i], m->hrights[i]);
			if (h > 0)
				ipc_loan_add(h);
		} else {
			h = handle_attach(m->hobj[i], m->hrights[i]);
		}
		if (h > 0)
			ext->recv_handles[ext->recv_nhandles++] = h;
	}
	m->nh = 0;
	kfree(m->kbuf);
	m->kbuf = NULL;
	if (copy_to_user(uext, ext, sizeof(*ext)))
		err = -EFAULT;
	return err;
}
