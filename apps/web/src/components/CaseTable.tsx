import { Link } from 'react-router';
import type { Schemas } from '../api/client';
import { formatDate, labelOf, RISK_LEVEL_LABELS, stateLabel, stateTagClass, waitingOn } from '../labels';
import { SlaDue, SlaTag } from './Sla';

type CaseListRow = Schemas['CaseListRow'];

export type Column = 'reference' | 'title' | 'state' | 'waiting' | 'owner' | 'department' | 'assignee' | 'risk' | 'submitted' | 'updated' | 'due' | 'sla';

const HEAD: Record<Column, string> = {
  reference: 'Reference',
  title: 'Title',
  state: 'State',
  waiting: 'Waiting on',
  owner: 'Researcher',
  department: 'Department',
  assignee: 'Officer',
  risk: 'Risk',
  submitted: 'Submitted',
  updated: 'Last change',
  due: 'Due',
  sla: 'SLA',
};

export function CaseTable({ rows, columns, caption, meId }: { rows: CaseListRow[]; columns: Column[]; caption: string; meId?: string }) {
  const cell = (r: CaseListRow, c: Column) => {
    switch (c) {
      case 'reference':
        return (
          <Link className="govuk-link" to={`/cases/${r.id}`}>
            {r.reference}
          </Link>
        );
      case 'title':
        return r.title || <span className="govuk-hint">Untitled draft</span>;
      case 'state':
        return <strong className={stateTagClass(r.state)}>{stateLabel(r.state)}</strong>;
      case 'waiting':
        return waitingOn(r.state, r.ownerId === meId);
      case 'owner':
        return r.ownerName;
      case 'department':
        return r.departmentName ?? '';
      case 'assignee':
        return r.assigneeName ?? <span className="govuk-hint">Unassigned</span>;
      case 'risk':
        return labelOf(RISK_LEVEL_LABELS, r.riskLevel);
      case 'submitted':
        return formatDate(r.submittedAt);
      case 'updated':
        return formatDate(r.updatedAt);
      case 'due':
        return <SlaDue dueAt={r.slaDueAt} paused={r.slaPaused} />;
      case 'sla':
        return <SlaTag state={r.slaState} paused={r.slaPaused} />;
    }
  };
  return (
    <table className={`govuk-table${columns.length > 8 ? ' tr-table-compact' : ''}`}>
      <caption className="govuk-table__caption govuk-table__caption--m">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          {columns.map((c) => (
            <th scope="col" className="govuk-table__header" key={c}>
              {HEAD[c]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {rows.map((r) => (
          <tr className="govuk-table__row" key={r.id}>
            {columns.map((c) => (
              <td className="govuk-table__cell" key={c}>
                {cell(r, c)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
