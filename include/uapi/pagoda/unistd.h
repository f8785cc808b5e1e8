/*
 * The system-call table: the contract between the kernel and user space.
 * User space includes this file as <pagoda/unistd.h> (user/ builds with
 * -Iinclude/uapi), the kernel as <uapi/pagoda/unistd.h>.
 *
 * Calling convention (docs/user-space.md):
 *   x86_64:      `syscall`; number in rax; arguments in rdi, rsi, rdx, r10,
 *                r8, r9; result in rax; rcx and r11 are clobbered (the CPU
 *                keeps the return address and rflags there), nothing else.
 *   i386 (+PAE): `int $0x80`; number in eax; arguments in ebx, ecx, edx,
 *                esi, edi, ebp; result in eax; nothing else clobbered.
 * A result in [-4095, -1] is -errno (<pagoda/errno.h>: Linux's numbers and
 * names); anything else is success. Pointers are user addresses; a bad one
 * gives -EFAULT, never a crash. A number with no call, or a reserved call
 * that does not exist yet, gives -ENOSYS.
 *
 * There is no open/read/write/close system call, on purpose: Pagoda is a
 * microkernel. Files, the console and disks are servers (issues #15, #16);
 * the user library turns read() and write() into IPC messages to them.
 * debug_write is the only output before the console server exists.
 *
 * Numbers are grouped in ranges, so a new call lands in its family:
 *     0 -  63  processes, time and memory
 *    64 - 127  handles and IPC (issue #15)
 *   128 - 159  device access for user-space drivers (issue #15)
 */
#ifndef _UAPI_PAGODA_UNISTD_H
#define _UAPI_PAGODA_UNISTD_H

/* ---- processes, time and memory: 0 - 63 ---- */

/* exit(int code): end the calling process; its parent's wait4 sees
 * W_EXITCODE(code & 0xff, 0) (<pagoda/wait.h>). Does not return. */
#define __NR_exit               0
/* wait4(int pid, int *status, int options, void *rusage): wait for the child
 * pid (-1: any child) to end and reap it; *status (if not NULL) gets the
 * <pagoda/wait.h> status word. options: 0 or WNOHANG. rusage must be NULL.
 * Result: the child's pid; 0 with WNOHANG if none has ended.
 * Errors: ECHILD (no such child), EFAULT, EINVAL (options, rusage). */
#define __NR_wait4              1
/* fork(void): a copy of the calling process (copy-on-write). Result: the
 * child's pid in the parent, 0 in the child. Errors: EAGAIN (process limit),
 * ENOMEM. */
#define __NR_fork               2
/* execve(const char *path, char *const argv[], char *const envp[]): replace
 * the program of the calling process with the static ELF at path (from the
 * initramfs now, from files later). Does not return on success.
 * Errors: ENOENT, ENOEXEC (the ELF checks refused it), ENOMEM, E2BIG
 * (arguments too long), EFAULT, ENAMETOOLONG. */
#define __NR_execve             3
/* getpid(void): the caller's pid. Never fails. */
#define __NR_getpid             4
/* getppid(void): the parent's pid (1, init, once the parent has ended). Never fails. */
#define __NR_getppid            5
/* kill(int pid, int sig): end process pid with signal sig (<pagoda/signal.h>;
 * no handlers: every signal ends the process; sig 0 only checks that pid
 * exists). Errors: ESRCH, EINVAL (sig), EPERM (init). */
#define __NR_kill               6
/* sched_yield(void): give the CPU to the next runnable task. Result 0. */
#define __NR_sched_yield        7
/* nanosleep(const struct timespec *req, struct timespec *rem): sleep at
 * least req (<pagoda/time.h>); rem may be NULL (and is, until signals can
 * interrupt a sleep). Errors: EFAULT, EINVAL (tv_nsec out of range, negative). */
#define __NR_nanosleep          8
/* clock_gettime(int clock, struct timespec *tp): CLOCK_MONOTONIC, time since
 * boot in ns resolution. Errors: EINVAL (clock), EFAULT. */
#define __NR_clock_gettime      9
/* debug_write(const char *buf, size_t len): write len bytes to the kernel
 * console (COM1). Result: len. Errors: EFAULT. */
#define __NR_debug_write       10
/* brk(void *addr): move the end of the heap to addr (0: just ask); the new
 * part reads as zeros. Result: the new end, or the old one if addr could not
 * be used (Linux's convention: compare with what you asked for). */
#define __NR_brk               11
/* mmap(void *addr, size_t len, int prot, int flags, int fd, long offset):
 * anonymous private memory (<pagoda/mman.h>: MAP_PRIVATE|MAP_ANONYMOUS,
 * MAP_FIXED; fd -1, offset 0), allocated on first touch. Result: the address.
 * Errors: EINVAL (flags, len 0, unaligned addr with MAP_FIXED), ENOMEM. */
#define __NR_mmap              12
/* munmap(void *addr, size_t len): unmap whole pages (a VMA may split).
 * Errors: EINVAL (unaligned, len 0, range not user). */
#define __NR_munmap            13
/* mprotect(void *addr, size_t len, int prot): change the protection of
 * whole pages (a VMA may split). Errors: EINVAL, ENOMEM (not all mapped). */
#define __NR_mprotect          14

/* debug_read(char *buf, size_t len): read from the kernel console (COM1)
 * until at least one byte has come, at most len; a line editor is the
 * caller's business. The console's input goes to the kernel monitor instead
 * while it runs. Result: the bytes read. Errors: EFAULT, EINTR (killed). */
#define __NR_debug_read        15
/* proc_stat(int pid, struct proc_stat *st, int flags): what ps shows of
 * process pid (<pagoda/proc.h>; pid 0: the caller). With PROC_STAT_NEXT, the
 * process with the smallest pid >= pid, so `for (pid = 1; proc_stat(pid,
 * &st, PROC_STAT_NEXT) > 0; pid = st.pid + 1)` lists them all. Result: the
 * pid described. Errors: ESRCH, EFAULT, EINVAL (flags). */
#define __NR_proc_stat         16
/* monitor(void): enter the kernel monitor (`pagoda>`) on the console; it
 * returns when the monitor's `exit` is typed. A teaching kernel's debug
 * door: any process may open it (docs/user-space.md). Result 0. */
#define __NR_monitor           17
/* getcpu(unsigned int *cpu, unsigned int *node, void *cache): the CPU the
 * caller runs on (node is 0; either pointer may be NULL; cache is ignored).
 * Errors: EFAULT. */
#define __NR_getcpu            18
/* sysinfo(struct sysinfo *info): machine-wide figures (<pagoda/proc.h>):
 * free pages, CPUs, processes, uptime; what a page-leak check and a test
 * that must use every CPU need. Errors: EFAULT. */
#define __NR_sysinfo           19
/* execve_memobj(int mo, unsigned long size, char *const argv[], char *const
 * envp[]): as execve, but the ELF file is the first size bytes of memory
 * object mo (RIGHT_READ): how the user library runs a program read from
 * a file server (issue #16). argv[0] names the program for ps and oops
 * reports. Errors: as execve, and EBADF (not a memory object), EPERM (no
 * RIGHT_READ), EINVAL (size 0 or past the object). */
#define __NR_execve_memobj     20
/* reboot(int magic1, int magic2, unsigned int cmd, void *arg): Linux's
 * reboot(2): magic1 REBOOT_MAGIC1, magic2 one of REBOOT_MAGIC2*, cmd
 * REBOOT_CMD_POWER_OFF (ACPI S5: QEMU exits with 0) or REBOOT_CMD_HALT;
 * arg is ignored. Nothing is synced: file systems are servers, and the
 * `poweroff` program syncs and unmounts them first. Does not return on
 * success. Errors: EINVAL (a magic number or cmd). */
#define __NR_reboot            21
#define REBOOT_MAGIC1          0xfee1deadU
#define REBOOT_MAGIC2          672274793
#define REBOOT_MAGIC2A         85072278
#define REBOOT_MAGIC2B         369367448
#define REBOOT_MAGIC2C         537993216
#define REBOOT_CMD_POWER_OFF   0x4321fedcU
#define REBOOT_CMD_HALT        0xcdef0123U

/* ---- handles and IPC (issue #15): 64 - 127 (<pagoda/ipc.h>, docs/ipc.md) ----
 * A handle names a kernel object with rights (RIGHT_*). Every call taking
 * one gives -EBADF for a forged, closed or wrong-type handle and -EPERM
 * for a missing right. The IPC calls share one register layout:
 *     (int h, unsigned long tag, w0, w1, w2, w3)
 * in the six argument registers; the tag holds the label (bits 0-15) and
 * flags; with IPC_TAG_EXT, w3 is a struct ipc_ext * (buffer up to 4 KiB,
 * up to 2 handles moved, a timeout in ms; without it: no buffer, no
 * handles, wait forever). A message that comes back (a reply, a received
 * one) is returned in the same registers: tag, w0..w3. More errors of
 * them all: EINVAL (unknown tag bits, bad timeout, more than 2 handles),
 * EFAULT, EMSGSIZE (buffer over IPC_BUF_MAX), ETIMEDOUT, EINTR (killed),
 * EPIPE (every receive handle of the endpoint closed: its server is gone;
 * or the server died or moved on holding our request). */
/* handle_close(int h): 0. */
#define __NR_handle_close      64
/* handle_dup(int h, unsigned int rights): a new handle to the same object
 * with rights, a subset of h's (more: EPERM); h needs RIGHT_DUPLICATE.
 * Errors also: EINVAL (unknown rights bits), EMFILE (table full). */
#define __NR_handle_dup        65
/* endpoint_create(void): a new endpoint, its handle with RIGHTS_ALL.
 * Errors: ENOMEM, EMFILE. */
#define __NR_endpoint_create   66
/* ipc_send(h, tag, w0..w3): a one-way message; returns 0 once a receiver
 * has taken it. h needs RIGHT_SEND. */
#define __NR_ipc_send          67
/* ipc_recv(h, tag, -, -, -, ext): wait for a message on h (RIGHT_RECEIVE);
 * only IPC_TAG_EXT of tag counts. Result: the sender's badge (0 unless it
 * sent through a handle_mint handle), the message in the registers
 * (IPC_TAG_CALL set in the tag if its sender waits for a reply: the
 * caller now holds its one-shot reply capability; an earlier one not yet
 * used is given up, its caller gets EPIPE). */
#define __NR_ipc_recv          68
/* ipc_call(h, tag, w0..w3): send (RIGHT_SEND) and wait for the reply,
 * returned in the registers. The timeout covers the whole call. */
#define __NR_ipc_call          69
/* ipc_reply_recv(h, tag, w0..w3): reply with the registers to the caller
 * whose reply capability we hold (if none, or it gave up or died, the
 * reply is dropped without an error and its handles stay ours), then
 * receive as ipc_recv. h needs RIGHT_RECEIVE. */
#define __NR_ipc_reply_recv    70
/* notify_create(void): a notification (a word of pending bits), its handle
 * with RIGHTS_ALL. Errors: ENOMEM, EMFILE. */
#define __NR_notify_create     71
/* notify_signal(int n, unsigned long bits): OR bits (below bit 31) into n;
 * never blocks. n needs RIGHT_SEND. Errors also: EINVAL (bit 31 or up). */
#define __NR_notify_signal     72
/* notify_wait(int n, long timeout_ms): the pending bits, taken (cleared),
 * waiting up to timeout_ms (0 poll, -1 forever) for some. n needs
 * RIGHT_RECEIVE. Errors also: ETIMEDOUT, EINTR, EINVAL. */
#define __NR_notify_wait       73
/* memobj_create(size_t size): a memory object of size bytes (rounded up to
 * pages; at most MEMOBJ_MAX_SIZE), zeroed, its pages allocated now and
 * never moved or freed while a handle, a mapping or a device's DMA holds
 * them. Its handle has RIGHTS_ALL. Errors: EINVAL (0, too big), ENOMEM,
 * EMFILE. */
#define __NR_memobj_create     74
/* memobj_map(int mo, void *addr, size_t len, int prot, unsigned long offset):
 * map len bytes of mo from offset (both page-aligned; len 0: to its end)
 * shared, at addr (0: the kernel picks; else MAP_FIXED's rules). mo needs
 * RIGHT_READ, and RIGHT_WRITE for PROT_WRITE. munmap unmaps it; fork
 * shares it. Mapped through a loan (IPC_TAG_LEND), it is unmapped when the
 * loan ends and fork leaves a hole there. Result: the address. Errors
 * also: EINVAL, ENOMEM, EBUSY (four loan mappings held already). */
#define __NR_memobj_map        75
/* memobj_from_user(void *addr, size_t len, int prot): a memory object made
 * of the caller's own pages at [addr, addr+len) (page-aligned), faulted in
 * and pinned (copy-on-write broken first if prot has PROT_WRITE): how a
 * client lends its buffer to a server or a device without a copy. Rights:
 * RIGHT_READ (+ RIGHT_WRITE with PROT_WRITE) | RIGHT_DUPLICATE |
 * RIGHT_TRANSFER. Errors: EINVAL, EFAULT (not mapped or not writable),
 * ENOMEM, EMFILE. */
#define __NR_memobj_from_user  76
/* memobj_size(int mo): its size in bytes. */
#define __NR_memobj_size       77
/* ipc_reply_save(void): turn the reply capability the caller holds (from
 * its last ipc_recv) into a handle of type HANDLE_TYPE_REPLY (RIGHT_SEND |
 * RIGHT_TRANSFER), so a server can answer later, out of order, with many
 * requests in flight. Closing it unanswered wakes the caller with EPIPE.
 * Errors: ENOENT (no reply capability held), EMFILE. */
#define __NR_ipc_reply_save    78
/* ipc_reply(int r, tag, w0..w3): answer through the saved reply handle r
 * (consumed, even on an error); never blocks. 0 also if the caller has
 * gone (the reply is dropped). Same tag and ext rules as ipc_send. */
#define __NR_ipc_reply         79
/* handle_info(int h, struct handle_info *info): h's type, rights and
 * flags (HANDLE_INFO_LENT: a loan; <pagoda/ipc.h>). Errors: EBADF, EFAULT. */
#define __NR_handle_info       80
/* handle_mint(int ep, unsigned int rights, unsigned long badge): a new
 * handle that sends to ep's endpoint stamped with badge (1 to
 * IPC_BADGE_MAX): what a server gives each client, so that one endpoint
 * serves many and knows who sent (seL4's badged capabilities). rights: a
 * subset of RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER, with RIGHT_SEND,
 * and of ep's; ep needs RIGHT_DUPLICATE. A minted handle cannot be minted
 * again (EPERM). ipc_recv and ipc_reply_recv return the badge of the
 * handle the message came through (0: an unminted one). Errors: EINVAL,
 * EBADF, EPERM, ENOMEM, EMFILE. When the last handle of a minted alias
 * is closed (by its holders, by exit), the endpoint's receiver gets one
 * message from the kernel: label IPC_LABEL_NO_SENDERS, that badge, no
 * words, no reply expected (Mach's no-senders notification): how a file
 * server learns that an open file is closed everywhere (issue #16). */
#define __NR_handle_mint       81
/* pipe(int h[2]): a kernel pipe of PIPE_BUF_SIZE bytes: h[0] the read end,
 * h[1] the write end, each a kernel-served endpoint speaking the file
 * protocol (<pagoda/fs.h>: FS_READ, FS_WRITE, FS_FSTAT as S_IFIFO; other
 * requests EBADF, FS_LSEEK ESPIPE), with RIGHT_SEND | RIGHT_DUPLICATE |
 * RIGHT_TRANSFER. FS_READ waits for data and returns 0 once every write
 * handle is closed and the pipe is empty; FS_WRITE waits for room and
 * answers EPIPE once every read handle is closed; a waiting call ends
 * with EINTR when its process is killed, and with ETIMEDOUT when the
 * caller's ipc_ext timeout runs out (IPC_POLL: a read or write that does
 * not wait, the fd layer's O_NONBLOCK). Writes of up to 4096 bytes are
 * atomic (POSIX PIPE_BUF). Errors: EFAULT, ENOMEM, EMFILE. */
#define __NR_pipe              82

/* ---- devices for user-space drivers (issue #15): 128 - 159 ----
 * (<pagoda/device.h>, docs/drivers-in-user-space.md). The device root is
 * the handle the kernel gives pid 1; a device handle names one PCI
 * function that no kernel driver owns. */
/* device_list(int root, struct device_info *buf, unsigned int n): describe
 * up to n PCI functions into buf. Result: how many there are (may be > n).
 * root needs RIGHT_READ. Errors: EBADF, EPERM, EFAULT. */
#define __NR_device_list      128
/* device_open(int root, unsigned int bdf): a handle to PCI function bdf
 * (bus << 8 | dev << 3 | fn) with RIGHTS_ALL; enables its memory space and
 * bus mastering. root needs RIGHT_WRITE. Errors: ENODEV, EBUSY (a kernel
 * driver or another handle's holder owns it), EMFILE. */
#define __NR_device_open      129
/* device_map_bar(int dev, int bar, void *addr): map memory BAR bar
 * uncached into the caller, at addr (0: the kernel picks). Needs
 * RIGHT_READ|RIGHT_WRITE. Result: the address. Errors: EINVAL (no such
 * memory BAR, or one that is RAM), ENOMEM. */
#define __NR_device_map_bar   130
/* device_dma_alloc(int dev, size_t size, int addr_bits): a memory object of
 * physically contiguous pages below 2^addr_bits (32 or 64), for
 * descriptor tables and bounce buffers. Needs RIGHT_WRITE. Errors: EINVAL,
 * ENOMEM, EMFILE. */
#define __NR_device_dma_alloc 131
/* device_dma_addr(int dev, int mo, unsigned long offset, struct dma_seg *seg):
 * the bus address of byte offset of memory object mo as dev sees it, and
 * how many bytes from there are contiguous (to the end of the page at
 * least). The only way a driver learns a bus address, and only of memory
 * it holds. dev needs RIGHT_WRITE; mo needs RIGHT_READ or RIGHT_WRITE (a
 * device may only do what the memory's rights allow). Errors: EINVAL
 * (offset), EFAULT. */
#define __NR_device_dma_addr  132
/* device_irq_bind(int dev, int notification, unsigned long bits): each
 * interrupt of dev (MSI if it has it, else its INTx line) masks the
 * interrupt and signals bits on the notification. Needs RIGHT_RECEIVE on
 * dev and RIGHT_SEND on the notification. Errors: EBUSY (bound), EINVAL. */
#define __NR_device_irq_bind  133
/* device_irq_ack(int dev): the driver has dealt with the device: unmask
 * its interrupt. Needs RIGHT_RECEIVE. Errors: EINVAL (not bound). */
#define __NR_device_irq_ack   134
/* device_config_read(int dev, unsigned int offset, int size): read size
 * (1, 2 or 4) bytes of dev's PCI configuration space. Needs RIGHT_READ.
 * Result: the value. Errors: EINVAL. */
#define __NR_device_config_read 135
/* blkdev_open(int root, unsigned int index): an endpoint served by the
 * kernel's own block layer (the blk=kernel back end) for disk index
 * (0: the first, as the monitor's `disks` lists them), speaking the block
 * protocol of <pagoda/blk.h>; its handle has RIGHT_SEND | RIGHT_DUPLICATE |
 * RIGHT_TRANSFER. root needs RIGHT_WRITE. Errors: ENODEV, EMFILE. */
#define __NR_blkdev_open      136

/* ---- names and files (issue #16): 160 - 191 (<pagoda/fs.h>, docs/filesystem.md) ----
 * The kernel keeps one mount table: absolute paths ("/mnt/sda", "/") each
 * naming the endpoint of the server that speaks the file protocol
 * (<pagoda/fs.h>) for everything under it. The kernel never walks a path
 * further: the user library asks for the mount and talks to its server. */

/* mount(const char *path, int ep, const char *source, const char *fstype,
 * unsigned long flags): put endpoint ep (RIGHT_SEND; the kernel keeps a
 * copy of the handle) at path, an absolute path of at most MOUNT_PATH_MAX
 * - 1 bytes with no "." or ".." components and no trailing '/' (but "/"
 * itself). source ("sda") and fstype ("ext2") are what `mount` lists
 * (MOUNT_NAME_MAX - 1 bytes at most); flags: MOUNT_RDONLY. Errors: EBUSY
 * (path is mounted already), ENOSPC (MOUNT_MAX mounts), EINVAL, EBADF,
 * EPERM, EFAULT, ENAMETOOLONG. */
#define __NR_mount            160
/* umount(const char *path): take path out of the table (the server is not
 * told: the `umount` utility sends FS_UNMOUNT first). Errors: ENOENT (not
 * a mount point), EINVAL, EFAULT. */
#define __NR_umount           161
/* mount_open(const char *path, char *rest, size_t size): the mount with
 * the longest path that is path or a leading run of its components. The
 * result is a new handle to its endpoint (RIGHT_SEND | RIGHT_DUPLICATE |
 * RIGHT_TRANSFER); rest gets the rest of path, without a leading '/', ""
 * for the mount point itself. path must be absolute; the library has
 * already made it canonical. Errors: ENOENT (no mount covers path),
 * ENAMETOOLONG (rest does not fit size), EINVAL, EFAULT, EMFILE. */
#define __NR_mount_open       162
/* mount_list(unsigned int index, struct mount_info *mi): the index-th
 * mount (0, 1, ... in the order they were made) into *mi
 * (<pagoda/fs.h>). Errors: ENOENT (past the last), EFAULT. */
#define __NR_mount_list       163

/* One past the highest number: the size of the kernel's table. */
#define __NR_syscalls         192

#endif
