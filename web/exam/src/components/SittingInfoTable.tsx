import type { ComponentChildren } from 'preact';
import type { CandidateInfo } from '../types';

/** The sitting and the candidate, as the end and wait screens show them; more rows may follow. */
export function SittingInfoTable(props: { sittingName?: string; candidate?: CandidateInfo | null; children?: ComponentChildren }) {
  const c = props.candidate;
  return (
    <table class="info-table">
      <tbody>
        {props.sittingName ? (
          <tr>
            <th>考试场次</th>
            <td>{props.sittingName}</td>
          </tr>
        ) : null}
        {c ? (
          <tr>
            <th>考生</th>
            <td>
              {c.name}（准考证号 {c.ticketNo}）
            </td>
          </tr>
        ) : null}
        {props.children}
      </tbody>
    </table>
  );
}
