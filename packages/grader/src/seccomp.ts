/**
 * A small seccomp deny-list, compiled by hand to classic BPF and handed to bubblewrap
 * (`--seccomp FD`). It is a second layer under the namespaces: system calls a Python
 * exercise never needs and that either widen the kernel's attack surface (bpf,
 * io_uring, userfaultfd, perf_event_open, keyctl …) or would escape a limit (SysV and
 * POSIX IPC: a shared-memory segment outlives the process and is not counted in
 * RLIMIT_AS) fail with EPERM. Only x86_64 is described; elsewhere no filter is loaded
 * (the namespaces and limits still apply) and the grader logs it.
 */

const AUDIT_ARCH_X86_64 = 0xc000003e;
const X32_SYSCALL_BIT = 0x40000000;

const BPF_LD_W_ABS = 0x20;
const BPF_JEQ_K = 0x15;
const BPF_JGE_K = 0x35;
const BPF_RET_K = 0x06;

const RET_ALLOW = 0x7fff0000;
const RET_KILL_PROCESS = 0x80000000;
const RET_ERRNO = 0x00050000;
const EPERM = 1;
const ENOSYS = 38;

/** x86_64 numbers of the refused calls. */
export const DENIED_X86_64: Record<string, number> = {
  shmget: 29,
  shmat: 30,
  shmctl: 31,
  semget: 64,
  msgget: 68,
  ptrace: 101,
  syslog: 103,
  uselib: 134,
  pivot_root: 155,
  _sysctl: 156,
  chroot: 161,
  acct: 163,
  mount: 165,
  umount2: 166,
  swapon: 167,
  swapoff: 168,
  reboot: 169,
  sethostname: 170,
  setdomainname: 171,
  iopl: 172,
  ioperm: 173,
  init_module: 175,
  delete_module: 176,
  quotactl: 179,
  nfsservctl: 180,
  lookup_dcookie: 212,
  mq_open: 240,
  kexec_load: 246,
  add_key: 248,
  request_key: 249,
  keyctl: 250,
  unshare: 272,
  perf_event_open: 298,
  fanotify_init: 300,
  name_to_handle_at: 303,
  open_by_handle_at: 304,
  setns: 308,
  process_vm_readv: 310,
  process_vm_writev: 311,
  kcmp: 312,
  finit_module: 313,
  kexec_file_load: 320,
  bpf: 321,
  userfaultfd: 323,
  io_uring_setup: 425,
  io_uring_enter: 426,
  io_uring_register: 427,
  open_tree: 428,
  move_mount: 429,
  fsopen: 430,
  fsconfig: 431,
  fsmount: 432,
  fspick: 433,
  pidfd_getfd: 438,
  process_madvise: 440,
  mount_setattr: 442,
};

/**
 * clone3 passes its flags in memory a filter cannot read, so it answers ENOSYS and the
 * C library falls back to clone (the approach container runtimes take).
 */
const ENOSYS_X86_64: Record<string, number> = { clone3: 435 };

function insn(code: number, jt: number, jf: number, k: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16LE(code, 0);
  b.writeUInt8(jt, 2);
  b.writeUInt8(jf, 3);
  b.writeUInt32LE(k >>> 0, 4);
  return b;
}

/** The filter for this machine, or null where no syscall table is described. */
export function seccompProgram(arch: string = process.arch): Buffer | null {
  if (arch !== 'x64') return null;
  const deny = Object.values(DENIED_X86_64);
  const nosys = Object.values(ENOSYS_X86_64);
  const prog: Buffer[] = [];
  // A foreign ABI (i386 via int 0x80) would map numbers differently: kill.
  prog.push(insn(BPF_LD_W_ABS, 0, 0, 4));
  prog.push(insn(BPF_JEQ_K, 1, 0, AUDIT_ARCH_X86_64));
  prog.push(insn(BPF_RET_K, 0, 0, RET_KILL_PROCESS));
  prog.push(insn(BPF_LD_W_ABS, 0, 0, 0));
  // Layout after the comparisons: [ALLOW][EPERM][ENOSYS].
  const compares = 1 + deny.length + nosys.length;
  let idx = 0;
  // x32 numbers (bit 30 set) are refused outright.
  prog.push(insn(BPF_JGE_K, compares - idx - 1 + 1, 0, X32_SYSCALL_BIT));
  idx++;
  for (const nr of deny) {
    prog.push(insn(BPF_JEQ_K, compares - idx - 1 + 1, 0, nr));
    idx++;
  }
  for (const nr of nosys) {
    prog.push(insn(BPF_JEQ_K, compares - idx - 1 + 2, 0, nr));
    idx++;
  }
  prog.push(insn(BPF_RET_K, 0, 0, RET_ALLOW));
  prog.push(insn(BPF_RET_K, 0, 0, RET_ERRNO | EPERM));
  prog.push(insn(BPF_RET_K, 0, 0, RET_ERRNO | ENOSYS));
  if (compares > 250) throw new Error('seccomp program too long for 8-bit jumps');
  return Buffer.concat(prog);
}
