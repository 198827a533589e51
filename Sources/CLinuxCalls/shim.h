// Linux system calls Swift's Glibc module does not declare (they need _GNU_SOURCE).
#include <sys/syscall.h>
#include <unistd.h>

// renameat2(…, RENAME_NOREPLACE): renames only when nothing has the new name, atomically, so
// the file manager never replaces a customer's file by accident (glibc 2.28+, Linux 3.15+).
static inline int lifeline_renameat_noreplace(int old_folder, const char *old_name, int new_folder, const char *new_name) {
    return (int)syscall(SYS_renameat2, old_folder, old_name, new_folder, new_name, 1 /* RENAME_NOREPLACE */);
}

// syncfs (Linux 2.6.39+; errors of the writeback reported since 5.8): makes everything written to
// one file system durable at once — a bundle of small files synced together, not file by file.
static inline int lifeline_syncfs(int descriptor) {
    return (int)syscall(SYS_syncfs, descriptor);
}

// pidfd_open and pidfd_send_signal (Linux 5.3+): a handle on one process that a later process
// with the same PID can never be mistaken for, so ending a process never hits another one.
static inline int lifeline_pidfd_open(int pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

static inline int lifeline_pidfd_send_signal(int pidfd, int signal) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, signal, (void *)0, 0);
}

// The script runner (N2): orphans of the script (a daemon that double-forks) are re-parented to
// the runner rather than to init, so it can find and end them; and the runner gets SIGTERM when
// the applet that started it dies, so nothing the script started outlives the applet.
#include <sys/prctl.h>
#include <signal.h>

static inline int lifeline_become_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

static inline int lifeline_signal_when_parent_dies(int signal) {
    return prctl(PR_SET_PDEATHSIG, signal, 0, 0, 0);
}

// Linux-PAM's conversation types (security/pam_appl.h; a stable ABI), declared here so the applet
// builds without libpam's headers: libpam.so.0 itself is opened with dlopen when an unattended
// connection's credentials are checked (F5).
struct lifeline_pam_message {
    int msg_style;
    const char *msg;
};

struct lifeline_pam_response {
    char *resp;
    int resp_retcode;
};

typedef int (*lifeline_pam_conversation)(int num_msg, const struct lifeline_pam_message **msg,
                                         struct lifeline_pam_response **resp, void *appdata_ptr);

struct lifeline_pam_conv {
    lifeline_pam_conversation conv;
    void *appdata_ptr;
};
