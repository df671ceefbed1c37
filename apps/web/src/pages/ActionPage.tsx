import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import { useAuth } from '../auth';
import { ErrorSummary, Spinner, usePageTitle } from '../components/govuk';
import { SchemaForm, type Option } from '../components/SchemaForm';
import {
  EXPORT_REVIEW_OUTCOME_LABELS,
  formatDate,
  REJECTION_CATEGORY_LABELS,
  RISK_LEVEL_LABELS,
  stateLabel,
  SUSPENSION_REASON_LABELS,
  TRIAGE_ROUTE_LABELS,
} from '../labels';
import { DecisionBlock, loadCase, type CaseBundle } from './CasePage';
import { AnswerChanges } from './Questionnaire';
import { END_USE_CONCERN_LABELS, EXEMPTION_LABELS, LICENCE_TYPE_LABELS } from '@app/domain/export-control';

const ENUM_LABELS: Record<string, Record<string, string>> = {
  // reject and suspend both take a reasonCategory; their values do not overlap.
  reasonCategory: { ...REJECTION_CATEGORY_LABELS, ...SUSPENSION_REASON_LABELS } as Record<string, string>,
  riskLevel: RISK_LEVEL_LABELS,
  route: TRIAGE_ROUTE_LABELS,
  outcome: EXPORT_REVIEW_OUTCOME_LABELS,
  resolution: { false_positive: 'False positive', resolved: 'Resolved' },
  'licence.type': LICENCE_TYPE_LABELS,
  'exemptions.exemption': EXEMPTION_LABELS,
  'endUseConcern.kind': END_USE_CONCERN_LABELS,
};
const WARNING_ACTIONS = new Set(['reject', 'withdraw', 'decline', 'suspend', 'revoke']);

export function ActionPage() {
  const { id, action } = useParams();
  const { me, has } = useAuth();
  const navigate = useNavigate();
  const [bundle, setBundle] = useState<CaseBundle | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (id) loadCase(id).then(setBundle, (e) => setError(errorMessage(e)));
  }, [id]);
  // The staff directory (staff only): colleagues are picked by name, never by a pasted id.
  const [staff, setStaff] = useState<Schemas['StaffMember'][]>([]);
  const isStaffUser = has('rsdo_officer', 'rsdo_lead', 'export_control', 'admin');
  useEffect(() => {
    if (isStaffUser)
      unwrap(api.GET('/api/staff', { params: { query: {} } })).then(
        (r) => setStaff(r.items),
        () => undefined,
      );
  }, [isStaffUser]);
  const found = bundle?.actions.find((a) => a.name === action);
  // Answers changed while replying to a request for information (respond's `changes`).
  const [changes, setChanges] = useState<Record<string, unknown>>({});
  usePageTitle(found?.label ?? 'Action');

  if (error) return <ErrorSummary errors={[{ href: '', message: error }]} />;
  if (!bundle) return <Spinner />;
  const { c } = bundle;
  if (!found) {
    return (
      <>
        <h1 className="govuk-heading-l">You cannot do that now</h1>
        <p className="govuk-body">
          This action is not open to you on case {c.reference} in its current state ({stateLabel(c.state)}).{' '}
          <Link className="govuk-link" to={`/cases/${c.id}`}>
            Back to the case
          </Link>
          .
        </p>
      </>
    );
  }

  const choices: Record<string, Option[]> = {};
  const withRole = (...roles: string[]) =>
    staff.filter((p) => p.id !== me?.id && p.roles.some((r) => roles.includes(r))).map((p) => ({ value: p.id, label: `${p.name} (${p.email})` }));
  if (me && has('rsdo_officer', 'rsdo_lead')) choices.assigneeId = [{ value: me.id, label: `Me (${me.name})` }, ...withRole('rsdo_officer', 'rsdo_lead')];
  const reviewers = withRole('export_control');
  if (reviewers.length) choices.reviewerId = reviewers;
  const openFlags = (c.flags ?? []).filter((f) => !f.resolvedAt);
  if (openFlags.length) choices.flagId = openFlags.map((f) => ({ value: f.id, label: f.reason }));
  const conditions = c.decision?.conditions ?? [];
  if (conditions.length) choices.conditionIndex = conditions.map((x, i) => ({ value: String(i), label: x.text })).filter((_, i) => !conditions[i].metAt);

  const submit = async (body: Record<string, unknown>) => {
    const r = await unwrap(
      api.POST('/api/cases/{id}/actions/{action}', {
        params: { path: { id: c.id, action: found.name as never } },
        body: { ...body, expectedVersion: c.version } as never,
      }),
    );
    // Withdrawing a draft deletes it (the API calls it "Delete draft"): back to my cases.
    if (found.name === 'withdraw' && c.state === 'draft') void navigate('/cases/mine', { state: { success: `Draft ${c.reference} deleted.` } });
    else void navigate(`/cases/${c.id}`, { state: { success: `${found.label}: done. The case is now ${stateLabel(r.case.state).toLowerCase()}.` } });
  };

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link className="govuk-back-link" to={`/cases/${c.id}`}>
          Back to the case
        </Link>
        <span className="govuk-caption-l">
          {c.reference} · {c.title}
        </span>
        <h1 className="govuk-heading-l">{found.label}</h1>
        {found.schema.description && <p className="govuk-body-l">{found.schema.description}</p>}
        {found.name === 'respond' && c.informationRequest && (
          <div className="govuk-inset-text">
            <p className="govuk-body">
              <strong>The research office asked:</strong>
            </p>
            <p className="govuk-body tr-pre">{c.informationRequest.question}</p>
            {c.informationRequest.replyBy && <p className="govuk-body">Reply by {formatDate(c.informationRequest.replyBy)}.</p>}
          </div>
        )}
        {(found.name === 'endorse' || found.name === 'decline') && c.proposedDecision && <DecisionBlock title="The proposed decision" d={c.proposedDecision} />}
        {found.name === 'respond' && <AnswerChanges c={c} changes={changes} onChange={setChanges} />}
        <SchemaForm
          id={`action-${found.name}`}
          schema={found.schema}
          submitLabel={found.label}
          choices={choices}
          enumLabels={ENUM_LABELS}
          warning={WARNING_ACTIONS.has(found.name)}
          onSubmit={(body) => submit(found.name === 'respond' && Object.keys(changes).length ? { ...body, changes } : body)}
        />
      </div>
    </div>
  );
}
