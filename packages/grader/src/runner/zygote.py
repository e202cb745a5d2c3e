"""Kaowu grader: the fork server ("zygote") that runs inside a bubblewrap sandbox.

Trusted code, ro-bound at /opt/kaowu/zygote.py and started once per sandbox slot as
PID 1 of the sandbox's PID namespace (bwrap --as-pid-1). Three roles:

    supervisor (PID 1)  reads jobs from Node, writes the files, asks the forker for a
    │                   runner per check, watches it (output, wall clock), kills what
    │                   is left, reports. As PID 1 it cannot be killed or stopped from
    │                   inside the namespace, and it reaps every orphan. It never forks
    │                   runners itself, so it pays no copy-on-write faults for the work
    │                   it does while they run.
    └─ forker           forked from the supervisor before any job (and again, scrubbed,
       │                if a candidate kills it); forks runners on request, reports
       │                their exit. Its memory, which every runner copies, holds nothing
       │                of any candidate.
       └─ runner        one per check: closes every inherited fd, sets the limits, then
                        runs the candidate's code in-process (no exec): the entry
                        module as __main__, and/or a check script.

Why fork instead of a fresh interpreter: on this class of machine `python3 -S -c pass`
costs ~21 ms and a fresh bwrap another 11-20 ms; a fork of a small warm interpreter is
cheaper, but every page a process writes after a fork is a copy-on-write fault (tens
of microseconds on some VMs), in the child and in the parent alike. Hence a parent
that does almost nothing (the forker) and a child that touches little (the runner).

No candidate content in long-lived Python heaps. A runner is a copy of the forker's
memory; freed memory is not zeroed. The forker receives a check as a small request
(kind, limits; marshal bytes it does not even decode: the runner does) plus file
descriptors: stdin and the check script are memfds, read by the runner itself. The
supervisor receives a job as a JSON header (paths, limits) followed by raw bytes that
land in an mmap and are written to /work from slices of it; outputs are read into
another mmap and forwarded to Node as raw bytes; uploaded zips are unpacked in a
throw-away child; both buffers are dropped (MADV_DONTNEED) after every job. Expected
outputs never enter the sandbox at all: Node compares what a check printed.

Protocol with Node. stdin: one job at a time, `<header JSON>\n<blob bytes>`. stdout:
JSON lines; {"t":"ready"} once; per job {"t":"setup"}, one {"t":"check",...,
"raw":[a,b,c]} per check followed by a+b+c raw bytes (stdout, stderr tail, status
records), then {"t":"done"}; {"t":"aborted"} when a job's helper or the supervisor died.
"""

import atexit
import builtins
import errno
import gc
import json
import linecache
import marshal
import mmap
import os
import resource
import select
import signal
import socket
import stat
import sys
import time
import types

CONFIG = json.loads(sys.argv[1])
SANDBOXED = bool(CONFIG.get('sandboxed'))
WORK = CONFIG['work']
TMP = CONFIG['tmp']
SHM = CONFIG.get('shm')  # /dev/shm inside the sandbox (a small tmpfs), emptied per check
MPLCACHE = CONFIG.get('mplcache')  # prebuilt matplotlib font cache (read-only)
MPLCONFIGDIR = os.environ.get('MPLCONFIGDIR')
PRELOAD = CONFIG.get('preload') or []  # imported by the supervisor, so by every forker
HEAVY = CONFIG.get('heavy') or []  # imported by the heavy forker, made when a job needs it

PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
CHECK_FILE = '<检查脚本>'
MB = 1024 * 1024
PAGE = mmap.PAGESIZE
STDERR_KEEP = 8192
STATUS_CAP = 65536


def _vsz():
    # os.read, not open(): a runner calls this, and io objects cost it page faults.
    fd = os.open('/proc/self/statm', os.O_RDONLY | os.O_CLOEXEC)
    try:
        return int(os.read(fd, 256).split(None, 1)[0]) * PAGE
    finally:
        os.close(fd)


BASE_VSZ = _vsz()


def harden():
    """no_new_privs, and not dumpable: /proc/<pid>/{fd,mem,environ} of the forker and
    the supervisor become inaccessible to the candidate's processes although they run under the same
    uid, and ptrace is refused. Runners inherit it (their own /proc/self still works:
    the kernel always lets a process see itself; an exec() makes a program dumpable
    again). ctypes is dropped afterwards so that children do not carry it around."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    del libc
    for name in [m for m in sys.modules if m == 'ctypes' or m.startswith('ctypes.') or m == '_ctypes']:
        del sys.modules[name]


def write_all(fd, data):
    view = memoryview(data)
    while view:
        try:
            n = os.write(fd, view)
        except InterruptedError:
            continue
        view = view[n:]


def emit(obj, raw=()):
    """One JSON line to Node, then raw byte ranges (memoryviews) it announced."""
    line = ('\n' if obj.get('t') == 'aborted' else '') + json.dumps(obj, ensure_ascii=True, separators=(',', ':')) + '\n'
    write_all(1, line.encode('ascii'))
    for part in raw:
        if len(part):
            write_all(1, part)


def log(msg):
    try:
        os.write(2, ('[zygote] ' + msg + '\n').encode('utf-8', 'replace'))
    except OSError:
        pass


# ---------------------------------------------------------------- buffers

class Buffers:
    """Two anonymous mappings holding everything of a job the candidate wrote or will read."""

    def __init__(self):
        self.blob = mmap.mmap(-1, 32 * MB)
        self.blob_used = 0
        # stdout (up to outputKb, at most 4 MB) | stderr (64 KB, a tail is kept) |
        # status records (64 KB) | scratch for reads past a cap (64 KB)
        self.out = mmap.mmap(-1, 4 * MB + 3 * 65536)
        self.view = memoryview(self.blob)
        self.oview = memoryview(self.out)

    def ensure_blob(self, n):
        if n > len(self.blob):
            self.view.release()
            self.blob.close()
            self.blob = mmap.mmap(-1, (n + MB - 1) // MB * MB)
            self.view = memoryview(self.blob)

    def scrub(self):
        """Drop the pages: the next touch maps fresh zero pages."""
        used = (self.blob_used + PAGE - 1) // PAGE * PAGE
        if used:
            self.blob.madvise(mmap.MADV_DONTNEED, 0, min(used, len(self.blob)))
        self.out.madvise(mmap.MADV_DONTNEED)
        self.blob_used = 0


BUF = None  # the supervisor's, created in supervisor_main
STDIO = None  # the runner's sys.stdin/stdout/stderr, made once in the forker (fewer pages touched per fork)


def read_exact(fd, view):
    got = 0
    n = len(view)
    while got < n:
        try:
            k = os.readv(fd, [view[got:]])
        except InterruptedError:
            continue
        if k == 0:
            return got
        got += k
    return got


def read_job():
    """The header (parsed) with the blob in BUF.blob; None on EOF."""
    hv = BUF.oview[:65536 * 16]  # the stdout region doubles as the header's landing place
    filled = 0
    while True:
        try:
            k = os.readv(0, [hv[filled:]])
        except InterruptedError:
            continue
        if k == 0:
            return None
        # mmap.find looks in place: no copy of what may already be file contents.
        nl = BUF.out.find(b'\n', filled, filled + k)
        filled += k
        if nl >= 0:
            end = nl
            break
        if filled >= len(hv):
            raise ValueError('job header too long')
    header = json.loads(bytes(hv[:end]))
    size = int(header.get('blob') or 0)
    BUF.ensure_blob(size)
    have = filled - end - 1
    if have > size:
        raise ValueError('more bytes than announced')
    BUF.view[:have] = hv[end + 1:filled]
    BUF.blob_used = size
    if read_exact(0, BUF.view[have:size]) != size - have:
        return None
    return header


def blob(ref):
    off, n = ref
    return BUF.view[off:off + n]


# ---------------------------------------------------------------- process hygiene

def reap_children(spare=()):
    """Collect dead children; as PID 1, the orphans of killed leftovers. Children in
    `spare` (the forker) are left for whoever waits for them by pid."""
    if not spare:
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            except InterruptedError:
                continue
            if pid == 0:
                return
    for pid in proc_pids():
        if pid not in spare:
            try:
                os.waitpid(pid, os.WNOHANG)
            except (ChildProcessError, OSError):
                pass


def proc_pids():
    return [int(n) for n in os.listdir('/proc') if n.isdigit()]


def live_pids():
    """Processes that are not zombies (a zombie is dead; PID 1 reaps it in due course)."""
    out = []
    for pid in proc_pids():
        try:
            with open('/proc/%d/stat' % pid, 'rb') as f:
                st = f.read()
        except OSError:
            continue
        if st[st.rfind(b')') + 2:st.rfind(b')') + 3] != b'Z':
            out.append(pid)
    return out


def kill_all(runner_pid=None, keep=(), limit_s=3.0):
    """Kill every process of the sandbox but PID 1, ourselves and `keep` (the forker).

    Every process listed in /proc is killed, whatever session or group it moved to, so
    a fork bomb that setsid()s cannot hide; repeat until /proc shows nobody else alive
    (a process with SIGKILL pending cannot complete a fork, and RLIMIT_NPROC bounds how
    many there are). Zombies are dead; PID 1 reaps them. Outside a sandbox
    (benchmark-only mode) only the runner's process group is killed.
    """
    if not SANDBOXED:
        if runner_pid:
            try:
                os.killpg(runner_pid, signal.SIGKILL)
            except OSError:
                pass
        reap_children()
        return True
    spare = {1, os.getpid(), *keep}
    end = time.monotonic() + limit_s
    while True:
        for pid in proc_pids():
            if pid not in spare:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        reap_children(spare)
        if all(pid in spare for pid in live_pids()):
            return True
        if time.monotonic() > end:
            return False
        time.sleep(0.0005)


def wipe(path):
    """Empty a directory the candidate could write to, whatever permissions they set."""
    if not path or not os.path.isdir(path):
        return
    stack = [path]
    dirs = []
    while stack:
        d = stack.pop()
        if d != path:
            try:
                os.chmod(d, 0o700)
            except OSError:
                pass
        dirs.append(d)
        try:
            entries = list(os.scandir(d))
        except OSError:
            continue
        for e in entries:
            try:
                if e.is_dir(follow_symlinks=False):
                    stack.append(e.path)
                else:
                    os.unlink(e.path)
            except OSError:
                pass
    for d in reversed(dirs):
        if d != path:
            try:
                os.rmdir(d)
            except OSError:
                pass


# ---------------------------------------------------------------- files

def safe_rel(p):
    """A relative path that stays inside the working folder, or None."""
    if not isinstance(p, str) or not p or len(p) > 200 or '\x00' in p or '\\' in p or p.startswith('/'):
        return None
    for part in p.split('/'):
        if part in ('', '.', '..'):
            return None
    return p


def write_file(rel, data, mode=0o644):
    dest = os.path.join(WORK, rel)
    parent = os.path.dirname(dest)
    if parent != WORK:
        os.makedirs(parent, exist_ok=True)
    try:
        if stat.S_ISDIR(os.lstat(dest).st_mode):
            wipe(dest)
            os.rmdir(dest)
        else:
            os.unlink(dest)
    except FileNotFoundError:
        pass
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        write_all(fd, data)
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


class SetupError(Exception):
    def __init__(self, code, detail=''):
        super().__init__(code)
        self.code = code
        self.detail = detail


def extract_zip(raw, entry, max_bytes, max_files):
    """Runs in a throw-away child (see extract_in_child)."""
    import io
    import zipfile
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except Exception:
        raise SetupError('zip-bad')
    files = []
    for info in infos:
        name = info.filename
        if name.startswith('__MACOSX/') or name == '.DS_Store' or name.endswith('/.DS_Store'):
            continue
        if info.is_dir():
            if name.startswith('/') or '..' in name.split('/') or '\\' in name:
                raise SetupError('zip-unsafe', name[:200])
            continue
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise SetupError('zip-unsafe', name[:200])  # a symbolic link
        rel = safe_rel(name)
        if rel is None:
            raise SetupError('zip-unsafe', name[:200])
        files.append((rel, info))
    if len(files) > max_files:
        raise SetupError('zip-too-many', str(len(files)))
    # A zip of a folder ("project/main.py"): strip the single top folder when the entry
    # module is not at the top level.
    names = [r for r, _ in files]
    if names and entry not in names and all('/' in r for r in names):
        tops = {r.split('/', 1)[0] for r in names}
        if len(tops) == 1:
            cut = len(tops.pop()) + 1
            files = [(r[cut:], i) for r, i in files]
    total = 0
    for rel, info in files:
        dest = os.path.join(WORK, rel)
        parent = os.path.dirname(dest)
        if parent != WORK:
            os.makedirs(parent, exist_ok=True)
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        try:
            with zf.open(info) as src:
                while True:
                    chunk = src.read(65536)
                    if not chunk:
                        break
                    total += len(chunk)  # what is written counts, not what the header claims
                    if total > max_bytes:
                        raise SetupError('zip-too-big', str(max_bytes))
                    write_all(fd, chunk)
        except (SetupError, OSError):
            raise
        except RuntimeError:
            raise SetupError('zip-encrypted')
        except Exception:  # BadZipFile, zlib.error, EOFError, NotImplementedError …
            raise SetupError('zip-bad')
        finally:
            os.close(fd)


def extract_in_child(ref, entry, max_bytes, max_files):
    """Unpack an uploaded zip in a child: the archive is untrusted, and whatever Python
    objects parsing it creates die with the child instead of lingering in the supervisor."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.close(r)
            resource.setrlimit(resource.RLIMIT_CPU, (8, 9))
            resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
            extract_zip(blob(ref), entry, max_bytes, max_files)
            msg = {'ok': True}
        except SetupError as e:
            msg = {'ok': False, 'code': e.code, 'detail': e.detail}
        except OSError as e:
            msg = {'ok': False, 'code': 'no-space' if e.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) else 'zip-bad'}
        except BaseException:
            msg = {'ok': False, 'code': 'zip-bad'}
        try:
            write_all(w, json.dumps(msg).encode())
        except BaseException:
            code = 1
        os._exit(code)
    os.close(w)
    data = b''
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    try:
        msg = json.loads(data)
    except ValueError:
        msg = {'ok': False, 'code': 'zip-bad'}
    if not msg.get('ok'):
        raise SetupError(str(msg.get('code')), str(msg.get('detail') or ''))


def snapshot(path):
    """(path, inode, ctime, mode, size) of everything under path: cheap change detection."""
    out = []
    stack = [path]
    while stack:
        d = stack.pop()
        try:
            entries = list(os.scandir(d))
        except OSError:
            out.append((d, -1, 0, 0, 0))
            continue
        for e in entries:
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue
            out.append((e.path, st.st_ino, st.st_ctime_ns, st.st_mode, st.st_size))
            if stat.S_ISDIR(st.st_mode):
                stack.append(e.path)
    out.sort()
    return out


class Job:
    def __init__(self, header):
        self.h = header
        self.entry = safe_rel(header.get('entry') or 'main.py') or 'main.py'
        self.limits = header['limits']
        self.checks = header['checks']
        self.clean = None  # snapshot of /work right after setup
        self.mpl = None

    def prepare_tmp(self):
        wipe(TMP)
        wipe(SHM)
        if MPLCACHE and MPLCONFIGDIR:
            # matplotlib rebuilds its font list (~1 s) in an empty config dir: copy the
            # prebuilt one in, per check, so no candidate can poison another's.
            try:
                if self.mpl is None:
                    self.mpl = {}
                    if os.path.isdir(MPLCACHE):
                        for name in os.listdir(MPLCACHE):
                            if name.endswith('.json'):
                                with open(os.path.join(MPLCACHE, name), 'rb') as f:
                                    self.mpl[name] = f.read()
                if self.mpl:
                    os.makedirs(MPLCONFIGDIR, exist_ok=True)
                    for name, data in self.mpl.items():
                        with open(os.path.join(MPLCONFIGDIR, name), 'wb') as f:
                            f.write(data)
            except OSError:
                pass

    def setup(self):
        wipe(WORK)
        h = self.h
        try:
            for rel, ref in h.get('files') or []:
                r = safe_rel(rel)
                if r is None:
                    raise SetupError('bad-path', str(rel)[:200])
                write_file(r, blob(ref))
            if h.get('zip'):
                extract_in_child(h['zip'], self.entry, int(h.get('zipMaxBytes') or 64 * MB), int(h.get('zipMaxFiles') or 1000))
            # Data files last, mode 0444: they replace any candidate file of that name.
            for rel, ref in h.get('data') or []:
                r = safe_rel(rel)
                if r is None:
                    raise SetupError('bad-path', str(rel)[:200])
                write_file(r, blob(ref), 0o444)
        except SetupError:
            raise
        except OSError as e:
            if e.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
                raise SetupError('no-space')
            raise SetupError('io', '%s: %s' % (type(e).__name__, e.strerror))
        self.prepare_tmp()
        if len(self.checks) > 1:
            self.clean = snapshot(WORK)

    def reset_if_dirty(self):
        """Each check starts from the same files: redo the setup if the last one changed any."""
        if snapshot(WORK) != self.clean:
            self.setup()
        else:
            self.prepare_tmp()


# ---------------------------------------------------------------- the runner (child)

def set_limits(lim, cpu_sec, others):
    def setl(res, soft, hard=None):
        try:
            resource.setrlimit(res, (soft, soft if hard is None else hard))
        except (ValueError, OSError):
            pass
    setl(resource.RLIMIT_CORE, 0)
    cpu = max(1, int(-(-cpu_sec // 1)))
    # Soft limit: SIGXCPU; the hard limit one second later is a SIGKILL.
    setl(resource.RLIMIT_CPU, cpu, cpu + 1)
    setl(resource.RLIMIT_NOFILE, int(lim['openFiles']))
    setl(resource.RLIMIT_FSIZE, int(lim['fileSizeMb']) * MB)
    if SANDBOXED:
        # Counted per user inside this sandbox's user namespace, where the forker, the
        # supervisor (and a job helper) are `others`; the runner itself is the first
        # of the program's `processes`.
        setl(resource.RLIMIT_NPROC, int(lim['processes']) + others)
    # The address-space limit is for what the candidate's program allocates: all that
    # is mapped before it starts (the interpreter, the zygote's buffers, libraries
    # preloaded or pre-imported for it) is not charged, so a program gets the same
    # allowance in a light slot and in one with numpy and pandas loaded.
    setl(resource.RLIMIT_AS, int(lim['memoryMb']) * MB + max(0, _vsz() - BASE_VSZ))


# The records every passing check writes, encoded once here rather than by json in
# each runner (its first json.dumps costs ~30 page faults).
DONE_RECORD = b'{"done": true}\n'
ENTRY_DONE_RECORD = b'{"entryDone": true}\n'


def status_raw(record):
    try:
        os.write(3, record)
    except Exception:
        pass


def status(obj):
    try:
        os.write(3, (json.dumps(obj, ensure_ascii=True) + '\n').encode('ascii')[:60000])
    except Exception:
        pass


def describe_exc(e, where):
    import traceback
    frames = [fs for fs in traceback.extract_tb(e.__traceback__) if fs.filename != __file__ and not fs.filename.startswith('<frozen')]
    in_script = bool(frames) and frames[-1].filename == CHECK_FILE
    lines = traceback.format_list(frames[-6:]) + traceback.format_exception_only(type(e), e)
    if frames:
        lines.insert(0, 'Traceback (most recent call last):\n')
    text = ''.join(lines).replace(WORK + '/', '')
    if len(text) > 3000:
        text = '…' + text[-3000:]
    info = {'type': type(e).__name__, 'msg': str(e)[:1000], 'tb': text, 'where': where, 'inScript': in_script}
    if isinstance(e, OSError) and e.errno is not None:
        info['errno'] = e.errno
    if in_script:
        info['line'] = frames[-1].lineno
        info['src'] = (frames[-1].line or '')[:300]
    return info


MEMORY_ERROR_RECORDS = {
    w: ('{"exc": {"type": "MemoryError", "msg": "", "tb": "", "where": "%s", "inScript": false}}\n' % w).encode('ascii')
    for w in ('entry', 'script')
}


def run_as_main(path):
    """What `python path` does with a file: compile it and run it as module __main__.
    Not runpy: its first use imports pkgutil, typing and more — tens of ms per check."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        src = read_fd(fd)
    finally:
        os.close(fd)
    code = compile(src, path, 'exec', dont_inherit=True)
    mod = types.ModuleType('__main__')
    mod.__file__ = path
    mod.__builtins__ = builtins
    mod.__cached__ = None
    sys.modules['__main__'] = mod
    exec(code, mod.__dict__)


def finish(code):
    """Flush like an interpreter exit would (non-daemon threads, atexit, stdio), then _exit."""
    try:
        if 'threading' in sys.modules:
            sys.modules['threading']._shutdown()
    except BaseException:
        pass
    try:
        atexit._run_exitfuncs()
    except BaseException:
        pass
    for s in (sys.stdout, sys.stderr):
        try:
            s.flush()
        except BaseException:
            pass
    os._exit(code)


def read_fd(fd):
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b''.join(chunks)
        chunks.append(chunk)


def runner_main(req, fds):
    """req: kind, runEntry, cpuSec, entry, limits; fds: stdin, stdout, stderr, status
    [, check script] — all made by the supervisor, passed through the forker."""
    os.setsid()
    script = read_fd(fds[4]).decode('utf-8', 'replace') if len(fds) > 4 else None
    os.dup2(fds[0], 0)
    os.dup2(fds[1], 1)
    os.dup2(fds[2], 2)
    os.dup2(fds[3], 3)
    # Nothing else the forker holds (its socket, pidfds) stays open here.
    os.closerange(4, 1 << 16)
    if not SANDBOXED:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        os.chdir(WORK)
    except OSError:
        pass
    sys.stdin, sys.stdout, sys.stderr = sys.__stdin__, sys.__stdout__, sys.__stderr__ = STDIO
    # Every runner is a copy of the same parent: reseed the generators it inherited.
    if 'random' in sys.modules:
        sys.modules['random'].seed()
    if 'numpy' in sys.modules:
        try:
            sys.modules['numpy'].random.seed()
        except Exception:
            pass
    entry = req['entry']
    entry_path = os.path.join(WORK, entry)
    set_limits(req['limits'], req['cpuSec'], req['others'])
    where = 'entry'
    ns = None
    try:
        if req['kind'] == 'stdout' or req.get('runEntry'):
            sys.argv = [entry]
            sys.path[0] = os.path.dirname(entry_path)
            try:
                run_as_main(entry_path)
            except SystemExit as e:
                code = e.code
                if code not in (None, 0):
                    if not isinstance(code, int):
                        print(code, file=sys.stderr)
                        code = 1
                    status({'exit': code, 'where': 'entry'})
                    finish(code & 0xFF or 1)
            if req['kind'] == 'stdout':
                status_raw(DONE_RECORD)
                finish(0)
            status_raw(ENTRY_DONE_RECORD)
        where = 'script'
        linecache.cache[CHECK_FILE] = (len(script), None, script.splitlines(True), CHECK_FILE)
        sys.argv = ['check.py']
        sys.path[0] = WORK
        code_obj = compile(script, CHECK_FILE, 'exec', dont_inherit=True)
        ns = {'__name__': '__main__', '__builtins__': builtins}
        try:
            exec(code_obj, ns)
        except SystemExit as e:
            if e.code not in (None, 0):
                status({'exit': e.code if isinstance(e.code, int) else 1, 'msg': '' if isinstance(e.code, int) else str(e.code)[:1000], 'where': 'script'})
                finish(1)
        status_raw(DONE_RECORD)
        finish(0)
    except BaseException as e:  # everything the candidate can raise
        if isinstance(e, MemoryError):
            # Reported first with bytes that already exist (nothing to allocate), then
            # the program's globals are dropped so that the details can follow.
            try:
                os.write(3, MEMORY_ERROR_RECORDS[where])
                main = sys.modules.get('__main__')
                if main is not None and main.__dict__ is not globals():
                    main.__dict__.clear()
                if ns is not None:
                    ns.clear()
            except BaseException:
                pass
        try:
            info = describe_exc(e, where)
            status({'exc': info})
            # What `python main.py` would print, without the zygote's own frames.
            sys.stderr.write(info['tb'] if info['tb'].endswith('\n') else info['tb'] + '\n')
        except BaseException:
            status({'exc': {'type': type(e).__name__, 'msg': '', 'tb': '', 'where': where, 'inScript': False}})
        finish(1)


# ---------------------------------------------------------------- supervising one check

class Sink:
    """Bytes from one pipe into a region of BUF.out: the first `cap` bytes kept (or, with
    tail, the last STDERR_KEEP), the total counted. No Python bytes object is made."""

    def __init__(self, start, size, cap, tail=False):
        self.start = start
        self.size = size
        self.cap = cap
        self.tail = tail
        self.len = 0
        self.total = 0

    def read(self, fd):
        o = BUF.oview
        if self.tail and self.len == self.size:
            # Full: keep the last STDERR_KEEP bytes at the front, read on after them.
            o[self.start:self.start + STDERR_KEEP] = o[self.start + self.size - STDERR_KEEP:self.start + self.size]
            self.len = STDERR_KEEP
        room = min(self.size, self.cap) - self.len
        if room > 0:
            target = o[self.start + self.len:self.start + self.len + room]
        else:
            target = o[SCRATCH:SCRATCH + 65536]  # past the cap: count, do not keep
        k = os.readv(fd, [target])
        if room > 0:
            self.len += k
        self.total += k
        return k

    def view(self):
        if self.tail and self.len > STDERR_KEEP:
            return BUF.oview[self.start + self.len - STDERR_KEEP:self.start + self.len]
        return BUF.oview[self.start:self.start + self.len]


OUT_START = 0
ERR_START = 4 * MB
ST_START = ERR_START + 65536
SCRATCH = ST_START + 65536


def _exit_record(pid, wstatus, ru):
    return {'t': 'exit', 'pid': pid, 'status': wstatus, 'cpuMs': (ru.ru_utime + ru.ru_stime) * 1000, 'rssKb': ru.ru_maxrss, 'faults': ru.ru_minflt}


def _exit_record_json(pid, wstatus, ru):
    """_exit_record as the forker sends it: JSON made by one bytes formatting, not by
    the json module, whose Python code dirties ~15 of the forker's pages per check."""
    return b'{"t":"exit","pid":%d,"status":%d,"cpuMs":%.3f,"rssKb":%d,"faults":%d}' % (
        pid, wstatus, (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_maxrss, ru.ru_minflt)


class ForkerGone(Exception):
    pass


class Forker:
    """The supervisor's handle on one forker process.

    The supervisor watches each runner through a pidfd the forker opened for it: if
    the candidate kills the forker mid-check (it is the runner's parent), the runner is
    adopted by PID 1 — the supervisor — and waited for directly, and the check still
    completes. A dead forker is replaced before the next check.
    """

    def __init__(self, pid, sock, loaded):
        self.pid = pid
        self.sock = sock
        self.loaded = set(loaded)
        self.fd = None

    def alive(self):
        try:
            return os.waitpid(self.pid, os.WNOHANG)[0] == 0
        except ChildProcessError:
            # Not (or no longer) our child: a forker made by another forker is adopted
            # by PID 1 only once its intermediate parent is gone; ask the kernel.
            try:
                os.kill(self.pid, 0)
                return True
            except OSError:
                return False

    def discard(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self.sock.close()

    def recv(self, timeout, with_fds=False):
        if not select.select([self.sock], [], [], timeout)[0]:
            return (None, []) if with_fds else None
        data, fds, _, _ = socket.recv_fds(self.sock, 4096, 2)
        msg = json.loads(data) if data else None
        if with_fds:
            return msg, fds
        for f in fds:
            os.close(f)
        return msg

    def start(self, req, fds):
        """Forks a runner; returns its pid (its pidfd is in self.fd)."""
        try:
            # 'R' + marshal: the forker passes the bytes on to the runner it forks, which
            # decodes them before any candidate code runs in it. marshal, not json: one C
            # call, where json.loads would dirty ~30 more pages of a runner (or of the
            # forker). Safe here because only the supervisor ever writes to this socket.
            socket.send_fds(self.sock, [b'R' + marshal.dumps(req)], fds)
            msg, got = self.recv(10.0, with_fds=True)
        except (OSError, ValueError):
            msg, got = None, []
        if msg and msg.get('t') == 'pid' and len(got) == 1:
            # A pidfd the forker opened before it could reap the runner: it stays
            # valid (and readable) however fast the runner ends.
            self.fd = got[0]
            return msg['pid']
        for f in got:
            os.close(f)
        raise ForkerGone()

    def exit_info(self, pid, timeout):
        """The runner's wait status and rusage: from the forker, which reaps it, or —
        if the forker is gone — from our own wait4 of the adopted runner."""
        end = time.monotonic() + timeout
        info = None
        while self.alive():
            try:
                msg = self.recv(max(0.0, min(0.2, end - time.monotonic())))
            except OSError:
                break
            if msg and msg.get('t') == 'exit' and msg.get('pid') == pid:
                info = msg
                break
            if time.monotonic() > end:
                break
        if info is None:
            try:
                rpid, wstatus, ru = os.wait4(pid, os.WNOHANG)
                if rpid == pid:
                    info = _exit_record(pid, wstatus, ru)
            except ChildProcessError:
                pass
        os.close(self.fd)
        self.fd = None
        return info

    def spawn_forker(self, preload, timeout=120.0, warm=False):
        """A new forker, forked from this one (never from the supervisor: a forker's
        memory must hold nothing of any job), that imports `preload` first (and, with
        `warm`, runs warm_up_heavy: for the long-lived heavy forker, not a job's helper)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            socket.send_fds(self.sock, [b'F' + json.dumps({'t': 'forker', 'preload': preload, 'warm': warm}).encode()], [theirs.fileno()])
        finally:
            theirs.close()
        child = Forker(None, ours, ())
        msg = child.recv(timeout)
        if not msg or msg.get('t') != 'ready':
            ours.close()
            raise ForkerGone()
        child.pid = msg['pid']
        child.loaded = set(msg['loaded'])
        return child


class Forkers:
    """The supervisor's forkers: `light` (a bare interpreter, made before any job),
    `heavy` (numpy and pandas imported, made by `light` when a job first needs them),
    and per job a `helper` made by either for libraries a job imports in several checks."""

    def __init__(self):
        self.light = None
        self.heavy = None
        self.helper = None

    def pids(self):
        return tuple(f.pid for f in (self.light, self.heavy, self.helper) if f is not None)

    def get_light(self):
        if self.light is not None and not self.light.alive():
            self.light.discard()
            self.light = None
        if self.light is None:
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            pid = os.fork()
            if pid == 0:
                ours.close()
                try:
                    forker_main(theirs, scrub=True)
                finally:
                    os._exit(0)
            theirs.close()
            self.light = Forker(pid, ours, LOADED)
        return self.light

    def get_heavy(self):
        if self.heavy is not None and not self.heavy.alive():
            self.heavy.discard()
            self.heavy = None
        if self.heavy is None:
            self.heavy = self.get_light().spawn_forker(HEAVY, warm=True)
        return self.heavy

    def for_job(self, header):
        """The forker for this job's checks."""
        base = self.get_heavy() if header.get('heavy') and HEAVY else self.get_light()
        missing = [m for m in header.get('preimport') or [] if m not in base.loaded]
        if missing and len(header['checks']) > 1:
            try:
                self.helper = base.spawn_forker(missing)
                return self.helper
            except ForkerGone:
                self.helper = None
        return base

    def end_job(self):
        if self.helper is not None:
            self.helper.discard()
            self.helper = None

    def replace(self, forker):
        """After a check: a forker the candidate killed is replaced (a helper by its base)."""
        if forker.alive():
            return forker
        forker.discard()
        if forker is self.helper:
            self.helper = None
            return self.get_heavy() if self.heavy is not None and forker.loaded >= set(HEAVY) else self.get_light()
        if forker is self.heavy:
            self.heavy = None
            return self.get_heavy()
        self.light = None
        return self.get_light()


def run_check(job, i, check, forker, keep):
    lim = job.limits
    out_cap = int(lim['outputKb']) * 1024
    entry_path = os.path.join(WORK, job.entry)
    if (check['kind'] == 'stdout' or check.get('runEntry')) and not os.path.isfile(entry_path):
        emit({'t': 'check', 'i': i, 'outcome': 'no-entry'})
        return True
    # stdin and the check script travel as memfds: their contents never become Python
    # objects here or in the forker, only in the runner that reads them.
    child_fds = [os.memfd_create('stdin', 0)]
    if check['kind'] == 'stdout' and check.get('stdin'):
        write_all(child_fds[0], blob(check['stdin']))
        os.lseek(child_fds[0], 0, os.SEEK_SET)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    st_r, st_w = os.pipe()
    child_fds += [out_w, err_w, st_w]
    if check['kind'] == 'script':
        script_fd = os.memfd_create('script', 0)
        write_all(script_fd, blob(check['script']))
        os.lseek(script_fd, 0, os.SEEK_SET)
        child_fds.append(script_fd)
    # Processes already counted against the runner's RLIMIT_NPROC: everyone alive now.
    others = len(live_pids()) if SANDBOXED else 0
    req = {'kind': check['kind'], 'runEntry': bool(check.get('runEntry')), 'cpuSec': check['cpuSec'], 'entry': job.entry, 'limits': lim, 'others': others}
    t0 = time.monotonic()
    try:
        pid = forker.start(req, child_fds)
    finally:
        for fd in child_fds:
            os.close(fd)
    sinks = {
        out_r: Sink(OUT_START, 4 * MB, out_cap),
        err_r: Sink(ERR_START, 65536, 65536 * 1024, tail=True),
        st_r: Sink(ST_START, STATUS_CAP, STATUS_CAP),
    }
    out, err = sinks[out_r], sinks[err_r]
    for fd in sinks:
        os.set_blocking(fd, False)
    poller = select.poll()
    for fd in sinks:
        poller.register(fd, select.POLLIN)
    runner_fd = forker.fd
    poller.register(runner_fd, select.POLLIN)
    open_fds = set(sinks)

    def drain(fd):
        try:
            if sinks[fd].read(fd) == 0:
                poller.unregister(fd)
                open_fds.discard(fd)
        except BlockingIOError:
            pass
        except OSError:
            poller.unregister(fd)
            open_fds.discard(fd)

    deadline = t0 + float(check['wallSec'])
    stopped = None  # 'wall' | 'output'
    exited = False
    while not exited:
        left = deadline - time.monotonic()
        if left <= 0:
            stopped = 'wall'
            break
        try:
            events = poller.poll(left * 1000)
        except InterruptedError:
            continue
        for fd, _ in events:
            if fd == runner_fd:
                exited = True
            elif fd in open_fds:
                drain(fd)
        if out.total + err.total > out_cap:
            stopped = 'output'
            break
    if stopped:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    poller.unregister(runner_fd)
    wall_ms = (time.monotonic() - t0) * 1000
    info = forker.exit_info(pid, 5.0)
    code = sig = None
    if info:
        wstatus = info['status']
        if os.WIFSIGNALED(wstatus):
            sig = os.WTERMSIG(wstatus)
        elif os.WIFEXITED(wstatus):
            code = os.WEXITSTATUS(wstatus)
    clean = kill_all(pid, keep()) and info is not None
    # Every writer is dead now: take what is left in the pipes.
    end = time.monotonic() + 0.5
    while open_fds and time.monotonic() < end:
        for fd, _ in poller.poll(20):
            if fd in open_fds:
                drain(fd)
        if (out.total + err.total > out_cap) and not stopped:
            stopped = 'output'
    for fd in sinks:
        os.close(fd)
    parts = [out.view(), err.view(), sinks[st_r].view()]
    emit({
        't': 'check',
        'i': i,
        'outcome': stopped or ('signaled' if sig is not None else 'exited'),
        'code': code,
        'signal': sig,
        'cpuMs': round(info['cpuMs'], 1) if info else 0,
        'wallMs': round(wall_ms, 1),
        'maxRssKb': info['rssKb'] if info else 0,
        'faults': info['faults'] if info else 0,
        'stdoutBytes': out.total,
        'stderrBytes': err.total,
        'clean': clean,
        'raw': [len(p) for p in parts],
    }, parts)
    return clean


def run_job(header, t0, forkers):
    job = Job(header)
    try:
        job.setup()
    except SetupError as e:
        emit({'t': 'setup', 'ok': False, 'code': e.code, 'detail': e.detail})
        emit({'t': 'done', 'ms': round((time.monotonic() - t0) * 1000, 1), 'dirty': False})
        return
    try:
        forker = forkers.for_job(header)
        emit({'t': 'setup', 'ok': True, 'preimported': sorted(forker.loaded)})
        clean = True
        for i, check in enumerate(job.checks):
            if i > 0:
                job.reset_if_dirty()
                forker = forkers.replace(forker)
            if not run_check(job, i, check, forker, forkers.pids):
                clean = False
                break
    finally:
        forkers.end_job()
    emit({'t': 'done', 'ms': round((time.monotonic() - t0) * 1000, 1), 'dirty': not clean})


LOADED = []
ORIG_STDIO = None

# ---------------------------------------------------------------- warm-up before forking
#
# Whatever a runner is the first in its process to do, it pays for in page faults:
# one-time initialisations write fresh memory, and every shared page written is a
# copy. Done once in the parent before any fork, that work is inherited instead. Only
# our own code and made-up data run here: no candidate content, nothing printed,
# no file touched; caches it fills are ones a runner would fill the same way.

# A small program with the constructs candidates' programs use. Compiling and running
# it leaves the compiler initialised (a runner's first compile() costs ~165 faults
# more in a cold process, ~0.6 ms here).
WARM_SRC = """
def f(n, step=1, *rest, **kw):
    out = [x * x for x in range(0, n, step) if x % 2] + list(rest)
    return sorted(out, key=lambda v: -v), {k: v for k, v in kw.items()}
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return f"Point({self.x!r}, {self.y:.2f})"
words = "the cat and the hat".split()
counts = {}
for w in words:
    counts[w] = counts.get(w, 0) + 1
nums = list(map(int, "3 1 2".split()))
text = "%s %d" % (max(counts, key=counts.get), sum(nums)) + " {}".format(repr(Point(1, 2.5)))
try:
    {}["missing"]
except KeyError as e:
    text += str(e)
f(10, 2, 7, a=1)
"""


def warm_up():
    """The light warm-up, in the supervisor before the light forker is made."""
    for _ in range(2):
        exec(compile(WARM_SRC, '<warm-up>', 'exec', dont_inherit=True), {'__name__': '__warm__', '__builtins__': builtins})


# A typical exam pandas program on an in-memory CSV: reading, filtering, grouping,
# sorting, indexing, printing (repr). Its first run in a process fills pandas' lazy
# caches (most of the gain), later runs let the interpreter specialise pandas' code
# (Python 3.11 rewrites a function's bytecode after a few calls); a runner doing that
# itself writes to those shared pages. Measured: a pandas check's faults −17 % with 3
# runs (2 runs: −15 %; 10 runs: no better, and ~70 ms more to make the forker). The
# first pandas job of a slot is no slower: it would have paid the lazy imports itself.
WARM_PANDAS = """
import io
import numpy as np
import pandas as pd
df = pd.read_csv(io.StringIO("region,product,amount,price\\n" + "".join(
    "%s,p%d,%d,%.1f\\n" % ("abc"[i % 3], i % 7, (i * 37) % 101, i / 3) for i in range(60))))
sub = df[df.region == "a"]
s = sub.groupby("product")["amount"].sum().sort_index().sort_values(ascending=False, kind="stable")
s.index[0], int(s.iloc[0]), s.head(3).to_dict()
g = df.groupby(["region", "product"]).agg(total=("amount", "sum"), avg=("price", "mean")).reset_index()
df["value"] = df["amount"] * df["price"]
df.loc[df["amount"] > 50, "product"].value_counts()
df.sort_values(["region", "amount"], ascending=[True, False]).iloc[:5]
df.describe()
repr(df.head()), repr(s), str(g), df.to_string(max_rows=5)
a = np.arange(12, dtype=float).reshape(3, 4)
float(a.mean()), a.sum(axis=0).tolist(), np.round(a / 7, 2)
"""


def warm_up_heavy(loaded):
    """In the heavy forker (numpy, pandas imported), before it forks any runner."""
    if 'pandas' not in loaded:
        return
    try:
        code = compile(WARM_PANDAS, '<warm-up>', 'exec', dont_inherit=True)
        for _ in range(3):
            exec(code, {'__name__': '__warm__', '__builtins__': builtins})
    except Exception as e:  # a missing piece costs speed, not correctness
        log('pandas warm-up failed: %s: %s' % (type(e).__name__, e))


def supervisor_main():
    """PID 1 of the sandbox (see the module's docstring)."""
    global STDIO, BUF, ORIG_STDIO
    if SANDBOXED and os.getpid() != 1:
        emit({'t': 'fatal', 'msg': 'sandboxed zygote must be PID 1'})
        sys.exit(2)
    harden()
    os.chdir('/')
    # sys.path: /opt/kaowu (read-only) and the interpreter's own directories, never the
    # working folder — a trusted import must not pick up a candidate's numpy.py.
    sys.path[:] = [p for p in sys.path if p and not p.startswith(WORK) and not p.startswith(TMP)]
    # The runners' sys.stdin/stdout/stderr, bound to fd numbers 0-2, which each runner
    # points at its own memfd and pipes before using them; nobody else uses them.
    STDIO = (
        open(0, 'r', encoding='utf-8', closefd=False),
        open(1, 'w', encoding='utf-8', closefd=False),
        open(2, 'w', encoding='utf-8', errors='backslashreplace', closefd=False, buffering=1),
    )
    # The interpreter's own std streams, kept alive: each runner replaces them with
    # STDIO, and without this reference their teardown would run in every runner
    # (~50 page faults per check).
    ORIG_STDIO = (sys.stdin, sys.stdout, sys.stderr)
    t = time.monotonic()
    for name in PRELOAD:
        try:
            __import__(name)
            LOADED.append(name)
        except Exception as e:
            log('preload %s failed: %s' % (name, e))
    preload_ms = round((time.monotonic() - t) * 1000, 1)
    wipe(WORK)
    wipe(TMP)
    warm_up()
    gc.collect()
    gc.freeze()  # collections in the children leave these objects (and pages) alone
    forkers = Forkers()
    forkers.get_light()  # forked before any job has been read
    BUF = Buffers()
    if not SANDBOXED:
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    emit({'t': 'ready', 'pid': os.getpid(), 'python': sys.version.split()[0], 'preloaded': LOADED, 'preloadMs': preload_ms})
    while True:
        header = read_job()
        if header is None:
            for f in (forkers.light, forkers.heavy):
                if f is not None:
                    f.discard()
            kill_all()
            os._exit(0)
        t0 = time.monotonic()
        try:
            run_job(header, t0, forkers)
        except ForkerGone:
            emit({'t': 'aborted', 'why': 'no forker'})
            os._exit(71)
        finally:
            BUF.scrub()
            header = None
        if SANDBOXED:
            reap_children(forkers.pids())


def forker_main(sock, scrub=False, preload=(), warm=False):
    """Forks runners (and other forkers) on the supervisor's request. No signal
    handlers (a runner would have to undo them): each runner is watched via a pidfd."""
    global BUF
    if scrub and BUF is not None:
        # A replacement forker is a copy of the supervisor mid-job: drop the job.
        BUF.blob.madvise(mmap.MADV_DONTNEED)
        BUF.out.madvise(mmap.MADV_DONTNEED)
        BUF = None
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)  # only the supervisor speaks to Node
    os.close(devnull)
    loaded = list(LOADED)
    for name in preload:
        try:
            __import__(name)
            loaded.append(name)
        except Exception as e:
            log('forker preload %s failed: %s' % (name, e))
    if preload:
        if warm:
            warm_up_heavy(loaded)
        gc.collect()
        gc.freeze()
        sock.send(json.dumps({'t': 'ready', 'pid': os.getpid(), 'loaded': loaded}).encode())
    poller = select.poll()
    poller.register(sock.fileno(), select.POLLIN)
    runner = runner_fd = None
    while True:
        try:
            events = poller.poll()
        except InterruptedError:
            continue
        for fd, _ in events:
            if fd == runner_fd:
                poller.unregister(runner_fd)
                os.close(runner_fd)
                try:
                    _, wstatus, ru = os.wait4(runner, 0)
                    sock.send(_exit_record_json(runner, wstatus, ru))
                except OSError:
                    pass
                runner = runner_fd = None
            elif fd == sock.fileno():
                try:
                    data, fds, _, _ = socket.recv_fds(sock, 4096, 8)
                except OSError:
                    os._exit(0)
                if not data:
                    os._exit(0)  # the supervisor is gone, or done with this forker
                # b'F' + JSON: make a forker; b'R' + marshal: fork a runner, which decodes
                # its request itself (see Forker.start): nothing here parses it.
                if data[:1] == b'F':
                    req = json.loads(data[1:])
                    spawn_forker_child(sock, fds[0], req.get('preload') or [], bool(req.get('warm')))
                    continue
                pid = os.fork()
                if pid == 0:
                    try:
                        runner_main(marshal.loads(data[1:]), fds)
                    finally:
                        os._exit(98)
                for f in fds:
                    os.close(f)
                runner = pid
                runner_fd = os.pidfd_open(pid)  # before any wait4: the pid cannot be gone
                poller.register(runner_fd, select.POLLIN)
                try:
                    socket.send_fds(sock, [b'{"t":"pid","pid":%d}' % pid], [runner_fd])  # JSON, as _exit_record_json
                except OSError:
                    os._exit(0)


def spawn_forker_child(sock, new_fd, preload, warm):
    """Double fork: the new forker is adopted by PID 1 (the supervisor), not ours."""
    pid = os.fork()
    if pid == 0:
        try:
            if os.fork() == 0:
                sock.close()
                forker_main(socket.socket(fileno=new_fd), preload=preload, warm=warm)
        finally:
            os._exit(0)
    os.close(new_fd)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


if __name__ == '__main__':
    try:
        supervisor_main()
    except BaseException:
        import traceback
        traceback.print_exc()
        os._exit(70)
