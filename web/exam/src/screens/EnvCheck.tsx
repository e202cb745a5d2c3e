import { useEffect, useState } from 'preact/hooks';
import { browserOf, MIN_CHROME, MIN_HEIGHT, MIN_WIDTH, outsideUrlFrom, summarizeRounds, type TimeSample } from '../env-check';
import { fullscreenSupported } from '../fullscreen';

// 环境检测: any candidate machine opens /exam/#/check before the exam. It
// measures the machine, then the candidate or technician picks site, room and
// seat and sends the results; the server judges them again and keeps them.

interface Facts {
  browser: string;
  version: number | null;
  width: number;
  height: number;
  localStorage: boolean;
  fullscreen: boolean;
  clockOffsetMs: number | null;
  latencyMs: number | null;
  /** null while being tried */
  outsideReachable: boolean | null;
}

interface Room {
  id: string;
  name: string;
  seats: number;
}

interface Verdict {
  passed: boolean;
  failures: string[];
}

function localStorageWorks(): boolean {
  try {
    const k = 'kaowu.envcheck';
    window.localStorage.setItem(k, '1');
    const ok = window.localStorage.getItem(k) === '1';
    window.localStorage.removeItem(k);
    return ok;
  } catch (e) {
    return false;
  }
}

async function timeRounds(n: number): Promise<TimeSample[]> {
  const out: TimeSample[] = [];
  for (let i = 0; i < n; i++) {
    try {
      const sentAt = Date.now();
      const res = await fetch('/api/public/time', { cache: 'no-store' });
      const receivedAt = Date.now();
      if (!res.ok) continue;
      const body = (await res.json()) as { serverMs: number };
      out.push({ sentAt, receivedAt, serverMs: body.serverMs });
    } catch (e) {
      // a lost round: the others still count
    }
  }
  return out;
}

/** Whether `url` answers within `timeoutMs`: on an exam network it must not. */
function reachable(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const ctl = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = setTimeout(() => {
      if (ctl) ctl.abort();
      resolve(false);
    }, timeoutMs);
    fetch(url, { mode: 'no-cors', cache: 'no-store', signal: ctl ? ctl.signal : undefined }).then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

function Row(props: { label: string; value: string; ok: boolean | null; testid: string }) {
  return (
    <tr data-testid={props.testid} class={props.ok === false ? 'envcheck-fail' : ''}>
      <td>{props.label}</td>
      <td>{props.value}</td>
      <td>{props.ok === null ? '检测中…' : props.ok ? '通过' : '不通过'}</td>
    </tr>
  );
}

export function EnvCheckScreen() {
  const [facts, setFacts] = useState<Facts | null>(null);
  const [measuring, setMeasuring] = useState(true);
  const [siteCode, setSiteCode] = useState('');
  const [rooms, setRooms] = useState<Room[] | null>(null);
  const [siteName, setSiteName] = useState('');
  const [roomId, setRoomId] = useState('');
  const [seatNo, setSeatNo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [verdict, setVerdict] = useState<Verdict | null>(null);

  useEffect(() => {
    let alive = true;
    const b = browserOf(navigator.userAgent);
    const base: Facts = {
      browser: b.browser, version: b.version, width: window.screen.width, height: window.screen.height,
      localStorage: localStorageWorks(), fullscreen: fullscreenSupported(), clockOffsetMs: null, latencyMs: null, outsideReachable: null,
    };
    setFacts(base);
    const outside = outsideUrlFrom(window.location.hash);
    Promise.all([timeRounds(5), reachable(outside, 3000)]).then(([samples, out]) => {
      if (!alive) return;
      const s = summarizeRounds(samples);
      setFacts({ ...base, clockOffsetMs: s ? s.clockOffsetMs : null, latencyMs: s ? s.latencyMs : null, outsideReachable: out });
      setMeasuring(false);
    });
    return () => {
      alive = false;
    };
  }, []);

  const loadRooms = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setRooms(null);
    setRoomId('');
    try {
      const res = await fetch('/api/public/env-check/rooms?siteCode=' + encodeURIComponent(siteCode.trim()));
      const body = await res.json();
      if (!res.ok) return setError((body && body.error && body.error.message) || '查询失败');
      setSiteName(body.site.name);
      setRooms(body.rooms);
      if (body.rooms.length) setRoomId(body.rooms[0].id);
    } catch (err) {
      setError('网络连接失败，请检查网络');
    }
  };

  const submit = async () => {
    if (!facts || measuring) return;
    const seat = Number(seatNo);
    if (!roomId) return setError('请选择考场');
    if (!Number.isInteger(seat) || seat < 1) return setError('请填写座位号');
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/public/env-check', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          siteCode: siteCode.trim(), roomId, seatNo: seat, screen: { width: facts.width, height: facts.height },
          localStorage: facts.localStorage, fullscreen: facts.fullscreen, clockOffsetMs: facts.clockOffsetMs, latencyMs: facts.latencyMs,
          outsideReachable: facts.outsideReachable,
        }),
      });
      const body = await res.json();
      if (!res.ok) setError((body && body.error && body.error.message) || '提交失败');
      else setVerdict({ passed: body.passed, failures: body.failures });
    } catch (err) {
      setError('网络连接失败，请检查网络');
    } finally {
      setBusy(false);
    }
  };

  const f = facts;
  return (
    <div class="page page-center">
      <div class="card envcheck-card" data-testid="envcheck">
        <h1 class="login-title">考试环境检测</h1>
        <p class="muted">检测本机是否满足考试要求，并把结果提交给考点技术人员。</p>
        {f ? (
          <table class="envcheck-table">
            <tbody>
              <Row testid="envcheck-browser" label="浏览器" value={f.browser + (f.version === null ? '' : ' ' + f.version)} ok={f.browser === 'Chrome' && f.version !== null && f.version >= MIN_CHROME} />
              <Row testid="envcheck-screen" label="屏幕分辨率" value={f.width + '×' + f.height} ok={f.width >= MIN_WIDTH && f.height >= MIN_HEIGHT} />
              <Row testid="envcheck-storage" label="本地存储" value={f.localStorage ? '可用' : '不可用'} ok={f.localStorage} />
              <Row testid="envcheck-fullscreen" label="全屏" value={f.fullscreen ? '支持' : '不支持'} ok={f.fullscreen} />
              <Row
                testid="envcheck-clock"
                label="与服务器时间差"
                value={f.clockOffsetMs === null ? (measuring ? '—' : '无法测量') : Math.round(f.clockOffsetMs / 1000) + ' 秒'}
                ok={measuring ? null : f.clockOffsetMs !== null && Math.abs(f.clockOffsetMs) <= 300000}
              />
              <Row
                testid="envcheck-latency"
                label="网络延迟"
                value={f.latencyMs === null ? (measuring ? '—' : '无法测量') : f.latencyMs + ' 毫秒'}
                ok={measuring ? null : f.latencyMs !== null && f.latencyMs <= 1000}
              />
              <Row
                testid="envcheck-outside"
                label="外网访问限制"
                value={f.outsideReachable === null ? '—' : f.outsideReachable ? '可以访问白名单以外的地址' : '无法访问外网'}
                ok={f.outsideReachable === null ? null : !f.outsideReachable}
              />
            </tbody>
          </table>
        ) : null}

        <form class="envcheck-form" onSubmit={loadRooms}>
          <label class="field">
            <span class="field-label">考核站点代码</span>
            <input class="input" data-testid="envcheck-site" value={siteCode} maxLength={4} placeholder="4 位数字" onInput={(e) => setSiteCode((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <button class="btn" type="submit" data-testid="envcheck-load">查询考场</button>
        </form>
        {rooms ? (
          <div>
            <p class="muted">{siteName}</p>
            <label class="field">
              <span class="field-label">考场</span>
              <select class="input" data-testid="envcheck-room" value={roomId} onChange={(e) => setRoomId((e.currentTarget as HTMLSelectElement).value)}>
                {rooms.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}（{r.seats} 座）
                  </option>
                ))}
              </select>
            </label>
            <label class="field">
              <span class="field-label">座位号</span>
              <input class="input" data-testid="envcheck-seat" value={seatNo} maxLength={3} onInput={(e) => setSeatNo((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <button class="btn btn-primary btn-block" type="button" disabled={busy || measuring} onClick={() => void submit()} data-testid="envcheck-submit">
              {measuring ? '正在检测…' : busy ? '正在提交…' : '提交检测结果'}
            </button>
          </div>
        ) : null}
        {error ? (
          <div class="alert alert-error" role="alert" data-testid="envcheck-error">
            {error}
          </div>
        ) : null}
        {verdict ? (
          <div class={verdict.passed ? 'alert' : 'alert alert-error'} role="status" data-testid="envcheck-verdict">
            {verdict.passed ? '已提交：本机满足考试要求。' : '已提交：本机不满足考试要求——' + verdict.failures.join('；')}
          </div>
        ) : null}
      </div>
    </div>
  );
}
