// Answer area of a project upload (项目上传题): a .zip file, checked against
// the size limit before it is sent; a new upload replaces the one before.

import { useRef, useState } from 'preact/hooks';
import type { AttemptSession } from '../attempt';
import { uploadZip } from './actions';
import { formatDateTime, formatSize } from '../format';
import { DEFAULT_MAX_UPLOAD_KB, uploadName, uploadProblem } from '../practical';
import type { Question, Task, UploadInfo } from '../types';

type UploadState =
  | { state: 'idle' }
  | { state: 'uploading'; name: string; size: number }
  | { state: 'done'; replaced: boolean }
  | { state: 'error'; message: string };

export function UploadWork(props: { session: AttemptSession; question: Question; task: Task }) {
  const { session, question, task } = props;
  const qid = question.id;
  const maxKb = task.maxUploadKb && task.maxUploadKb > 0 ? task.maxUploadKb : DEFAULT_MAX_UPLOAD_KB;
  const [status, setStatus] = useState<UploadState>({ state: 'idle' });
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const a = session.answer(qid);
  const current: UploadInfo | null = a && typeof a === 'object' && !Array.isArray(a) && 'upload' in a ? a.upload : null;
  const busy = status.state === 'uploading';

  const onPick = async () => {
    const el = input.current;
    const file = el && el.files && el.files[0];
    if (!el || !file) return;
    el.value = ''; // choosing the same file again uploads again
    const problem = uploadProblem(file, maxKb);
    if (problem) {
      setStatus({ state: 'error', message: problem });
      return;
    }
    const replacing = !!current;
    setStatus({ state: 'uploading', name: file.name, size: file.size });
    const out = await uploadZip(session, qid, file, uploadName(file.name));
    if (out.ok) {
      setSavedAt(out.savedAt);
      setStatus({ state: 'done', replaced: replacing });
    } else {
      setStatus({ state: 'error', message: out.message });
    }
  };

  return (
    <div class="upload-work">
      <div class="card upload-card">
        <h3>上传项目文件</h3>
        <p>
          请把整个项目文件夹打包成一个 <b>.zip</b> 文件后上传，文件不超过 <b data-testid="upload-limit">{formatSize(maxKb * 1024)}</b>。
          可以多次上传，新上传的文件会替换之前的文件，以最后一次上传的为准。
        </p>
        <label class={'btn btn-primary upload-pick' + (busy || !session.answerable ? ' is-disabled' : '')}>
          {current ? '重新选择文件上传' : '选择 .zip 文件上传'}
          <input
            ref={input}
            type="file"
            accept=".zip,application/zip,application/x-zip-compressed"
            data-testid="upload-input"
            disabled={busy || !session.answerable}
            onChange={() => void onPick()}
          />
        </label>
        <div class="upload-status" data-testid="upload-status" data-state={status.state === 'idle' ? (current ? 'done' : 'none') : status.state}>
          {status.state === 'uploading' ? (
            <p>
              <span class="spinner" /> 正在上传 {status.name}（{formatSize(status.size)}），请不要关闭页面…
            </p>
          ) : null}
          {status.state === 'error' ? (
            <p class="alert alert-error" role="alert">
              {status.message}
            </p>
          ) : null}
          {current ? (
            <div class="upload-current">
              {status.state === 'done' ? <p class="upload-ok">{status.replaced ? '上传成功，已替换之前上传的文件。' : '上传成功。'}</p> : null}
              <table class="info-table">
                <tbody>
                  <tr>
                    <th>已上传文件</th>
                    <td data-testid="upload-name">{current.name}</td>
                  </tr>
                  <tr>
                    <th>大小</th>
                    <td data-testid="upload-size">{formatSize(current.size)}</td>
                  </tr>
                  {savedAt ? (
                    <tr>
                      <th>上传时间</th>
                      <td data-testid="upload-time">{formatDateTime(savedAt)}（北京时间）</td>
                    </tr>
                  ) : null}
                </tbody>
              </table>
            </div>
          ) : status.state !== 'uploading' ? (
            <p class="muted">还没有上传文件。</p>
          ) : null}
        </div>
      </div>
    </div>
  );
}
