// Linux system calls Swift's Glibc module does not declare (they need _GNU_SOURCE).
#include <sys/syscall.h>
#include <unistd.h>

// renameat2(…, RENAME_NOREPLACE): renames only when nothing has the new name, atomically, so
// the file manager never replaces a customer's file by accident (glibc 2.28+, Linux 3.15+).
static inline int lifeline_renameat_noreplace(int old_folder, const char *old_name, int new_folder, const char *new_name) {
    return (int)syscall(SYS_renameat2, old_folder, old_name, new_folder, new_name, 1 /* RENAME_NOREPLACE */);
}

// pidfd_open and pidfd_send_signal (Linux 5.3+): a handle on one process that a later process
// with the same PID can never be mistaken for, so ending a process never hits another one.
static inline int lifeline_pidfd_open(int pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

static inline int lifeline_pidfd_send_signal(int pidfd, int signal) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, signal, (void *)0, 0);
}
