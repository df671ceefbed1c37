import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, errorMessage, unwrap } from '../api/client';
import type { CaseView } from '../api/types';
import { useAuth } from '../auth';
import { ErrorSummary, Spinner, usePageTitle } from '../components/govuk';
import { SchemaForm, type Option } from '../components/SchemaForm';
import { formatDate, REJECTION_CATEGORY_LABELS, stateLabel } from '../labels';
import { DecisionBlock, loadCase, type CaseBundle } from './CasePage';

const ENUM_LABELS: Record<string, Record<string, string>> = {
  reasonCategory: REJECTION_CATEGORY_LABELS as Record<string, string>,
  riskLevel: { low: 'Low', medium: 'Medium', high: 'High' },
  route: { officer_approval: 'Officer approval', head_sign_off: 'Head of department sign-off', export_review_then_sign_off: 'Export-control review, then sign-off' },
  outcome: { no_licence_required: 'No licence required', ogel: 'Open general export licence (OGEL)', licence_required: 'Licence required', licence_granted: 'Licence granted', not_listed: 'Not listed on the control lists' },
  resolution: { false_positive: 'False positive', resolved: 'Resolved' },
};
const WARNING_ACTIONS = new Set(['reject', 'withdraw', 'decline']);

export function ActionPage() {
  const { id, action } = useParams();
  const { me, has } = useAuth();
  const navigate = useNavigate();
  const [bundle, setBundle] = useState<CaseBundle | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (id) loadCase(id).then(setBundle, (e) => setError(errorMessage(e)));
  }, [id]);
  const found = bundle?.actions.find((a) => a.name === action);
  usePageTitle(found?.label ?? 'Action');

  if (error) return <ErrorSummary errors={[{ href: '', message: error }]} />;
  if (!bundle) return <Spinner />;
  const { c } = bundle;
  if (!found) {
    return (
      <>
        <h1 className="govuk-heading-l">You cannot do that now</h1>
        <p className="govuk-body">This action is not open to you on case {c.reference} in its current state ({stateLabel(c.state)}). <Link className="govuk-link" to={`/cases/${c.id}`}>Back to the case</Link>.</p>
      </>
    );
  }

  const choices: Record<string, Option[]> = {};
  if (me && has('rsdo_officer', 'rsdo_lead')) choices.assigneeId = [{ value: me.id, label: `Me (${me.name})` }];
  const openFlags = (c.flags ?? []).filter((f) => !f.resolvedAt);
  if (openFlags.length) choices.flagId = openFlags.map((f) => ({ value: f.id, label: f.reason }));
  const conditions = c.decision?.conditions ?? [];
  if (conditions.length) choices.conditionIndex = conditions.map((x, i) => ({ value: String(i), label: x.text })).filter((_, i) => !conditions[i].metAt);

  const submit = async (body: Record<string, unknown>) => {
    const r = await unwrap<{ case: CaseView }>(
      api.POST('/api/cases/{id}/actions/{action}', { params: { path: { id: c.id, action: found.name as never } }, body: { ...body, expectedVersion: c.version } as never }),
    );
    void navigate(`/cases/${c.id}`, { state: { success: `${found.label}: done. The case is now ${stateLabel(r.case.state).toLowerCase()}.` } });
  };

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link className="govuk-back-link" to={`/cases/${c.id}`}>Back to the case</Link>
        <span className="govuk-caption-l">{c.reference} · {c.title}</span>
        <h1 className="govuk-heading-l">{found.label}</h1>
        {found.schema.description && <p className="govuk-body-l">{found.schema.description}</p>}
        {found.name === 'respond' && c.informationRequest && (
          <div className="govuk-inset-text">
            <p className="govuk-body"><strong>The research office asked:</strong></p>
            <p className="govuk-body tr-pre">{c.informationRequest.question}</p>
            {c.informationRequest.replyBy && <p className="govuk-body">Reply by {formatDate(c.informationRequest.replyBy)}.</p>}
          </div>
        )}
        {(found.name === 'endorse' || found.name === 'decline') && c.proposedDecision && <DecisionBlock title="The proposed decision" d={c.proposedDecision} />}
        <SchemaForm id={`action-${found.name}`} schema={found.schema} submitLabel={found.label} choices={choices} enumLabels={ENUM_LABELS}
          warning={WARNING_ACTIONS.has(found.name)} onSubmit={submit} />
      </div>
    </div>
  );
}
