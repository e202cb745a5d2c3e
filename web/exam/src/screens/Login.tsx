import { useState } from 'preact/hooks';
import { errorMessage } from '../api';
import { api } from '../services';
import type { LoginResponse } from '../types';

export function LoginScreen(props: { message?: string | null; onLoggedIn(r: LoginResponse): void }) {
  const [ticketNo, setTicketNo] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(props.message || null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const t = ticketNo.trim();
    const id = idNumber.trim().toUpperCase();
    if (!t) return setError('请输入准考证号');
    if (!id) return setError('请输入身份证号');
    setBusy(true);
    setError(null);
    try {
      const r = await api.login(t, id);
      props.onLoggedIn(r.data);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <div class="page page-center">
      <form class="card login-card" onSubmit={submit} data-testid="login-form" autoComplete="off">
        <h1 class="login-title">考生登录</h1>
        <p class="muted login-sub">请使用准考证上的准考证号和本人身份证号登录</p>
        <label class="field">
          <span class="field-label">准考证号</span>
          <input
            class="input"
            data-testid="login-ticket"
            name="ticketNo"
            value={ticketNo}
            maxLength={40}
            autoFocus
            onInput={(e) => setTicketNo((e.currentTarget as HTMLInputElement).value)}
            placeholder="请输入准考证号"
          />
        </label>
        <label class="field">
          <span class="field-label">身份证号</span>
          <input
            class="input"
            data-testid="login-id"
            name="idNumber"
            value={idNumber}
            maxLength={18}
            onInput={(e) => setIdNumber((e.currentTarget as HTMLInputElement).value)}
            placeholder="请输入 18 位身份证号"
          />
        </label>
        {error ? (
          <div class="alert alert-error" role="alert" data-testid="login-error">
            {error}
          </div>
        ) : null}
        <button class="btn btn-primary btn-block" type="submit" disabled={busy} data-testid="login-submit">
          {busy ? '正在登录…' : '登录'}
        </button>
        <ul class="login-notes muted">
          <li>开考前 5 分钟可以登录，开考后方可答题。</li>
          <li>考试期间请勿刷新或关闭页面；如遇问题请举手联系监考人员。</li>
        </ul>
      </form>
    </div>
  );
}
