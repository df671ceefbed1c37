import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import type { JsonSchema } from '@app/domain/action-schemas';
import type { MatchExplanation } from '@app/domain/name-matching';
import { useAuth, STAFF_ROLES } from '../auth';
import { ErrorSummary, InfoBanner, Radios, Spinner, SuccessBanner, useFlash, SummaryList, Textarea, usePageTitle, type FieldError } from '../components/govuk';
import {
  EXEMPTION_LABELS,
  EXPORT_REVIEW_OUTCOME_LABELS,
  formatDate,
  formatDateTime,
  humanise,
  labelOf,
  LICENCE_TYPE_LABELS,
  OUTCOME_LABELS,
  REJECTION_CATEGORY_LABELS,
  RISK_FACTOR_LABELS,
  RISK_LEVEL_LABELS,
  stateLabel,
  stateTagClass,
  TRIAGE_ROUTE_LABELS,
  waitingOn,
} from '../labels';
import { AnswerDiff, CaseAnswerSections } from './Questionnaire';
import { Documents } from '../components/Documents';
import { assessmentTriggerWords, CASE_EVENT_LABELS, TIMER_KIND_LABELS, wordsFor } from '@app/domain/case-event-labels';
import { ActorLine } from '../components/Actor';
import { HitDecision, type HitDecisionContext } from '../components/HitDecision';
import { SCREENING_SUBJECT_KIND_LABELS } from '@app/domain/list-change-kinds';
import { SlaPanel } from '../components/Sla';
import { countryName } from '../countries';
import { PeoplePanel, PrecedentPanel } from './CaseParties';

/** The document types an action's `schema` as an object; it is that action's JSON Schema (libs/domain action-schemas). */
type AvailableAction = Omit<Schemas['AvailableAction'], 'schema'> & { schema: JsonSchema };
type CaseEvent = Schemas['CaseEvent'];
type CaseListRow = Schemas['CaseListRow'];
type CaseView = Schemas['CaseView'];
type Decision = Schemas['Decision'];
type Note = Schemas['Note'];

export interface CaseBundle {
  c: CaseView;
  actions: AvailableAction[];
  /** Actions this person could take here but that are blocked now, with the API's sentence. */
  blocked: Schemas['BlockedAction'][];
}

export async function loadCase(id: string): Promise<CaseBundle> {
  const [c, actions] = await Promise.all([
    unwrap(api.GET('/api/cases/{id}', { params: { path: { id } } })),
    unwrap(api.GET('/api/cases/{id}/actions', { params: { path: { id } } })),
  ]);
  return { c, actions: actions.items as AvailableAction[], blocked: actions.blocked };
}

export function DecisionBlock({ title, d }: { title: string; d: Decision }) {
  return (
    <>
      <h2 className="govuk-heading-m">{title}</h2>
      <div className="govuk-inset-text">
        <p className="govuk-body tr-pre">{d.decisionText ?? d.text}</p>
        {d.conditions && d.conditions.length > 0 && (
          <>
            <h3 className="govuk-heading-s">Conditions</h3>
            <ol className="govuk-list govuk-list--number">
              {d.conditions.map((x, i) => (
                <li key={i}>
                  {x.text}
                  {x.dueDate ? ` (due ${formatDate(x.dueDate)})` : ''}
                  {x.metAt ? ` – met ${formatDate(x.metAt)}` : ''}
                </li>
              ))}
            </ol>
          </>
        )}
        {d.reviewDate && <p className="govuk-body">Review date: {formatDate(d.reviewDate)}</p>}
      </div>
    </>
  );
}

/** The computed risk assessment (libs/domain risk.ts): tier, score, every factor with its reasons, hard flags, route, rules version. */
export function RiskPanel({ r }: { r: Schemas['RiskAssessment'] }) {
  return (
    <section aria-labelledby="risk-heading" className="tr-risk-panel">
      <h2 className="govuk-heading-m" id="risk-heading">
        Risk assessment
      </h2>
      <p className="govuk-body">
        <strong className="govuk-tag">{labelOf(RISK_LEVEL_LABELS, r.level)} risk</strong> Score {r.score} of {r.maxScore}
      </p>
      <SummaryList
        rows={[
          { key: 'Proposed route', value: labelOf(TRIAGE_ROUTE_LABELS, r.route) },
          { key: 'Export-control review indicated', value: r.exportIndicator ? `Yes: ${r.exportReasons.join('; ')}` : 'No' },
          { key: 'Rules version', value: r.rulesVersion },
          { key: 'Assessed', value: `${formatDateTime(r.at)} (${assessmentTriggerWords(r.trigger)}, questionnaire version ${r.questionnaireVersion})` },
        ]}
      />
      {r.hardFlags.length > 0 && (
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <div className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            Hard flags:{' '}
            <ul className="govuk-list">
              {r.hardFlags.map((f) => (
                <li key={f.code}>{f.reason}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--s">Factors that scored</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Factor
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Score (0 to 3)
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Points
            </th>
            <th scope="col" className="govuk-table__header">
              Why
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {r.factors.map((f) => (
            <tr className="govuk-table__row" key={f.factor}>
              <th scope="row" className="govuk-table__header">
                {labelOf(RISK_FACTOR_LABELS, f.factor)}
              </th>
              <td className="govuk-table__cell govuk-table__cell--numeric">{f.score}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{f.points}</td>
              <td className="govuk-table__cell">{f.reasons.join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Every screening hit: the case's name, the list entry, the alias matched, the score, the list and its version. */
export function ScreeningHits({ hits, decide }: { hits: Schemas['ScreeningHit'][]; decide?: HitDecisionContext }) {
  return (
    <section aria-labelledby="hits-heading">
      <h2 className="govuk-heading-m" id="hits-heading">
        Screening hits
      </h2>
      <table className="govuk-table">
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Name on the case
            </th>
            <th scope="col" className="govuk-table__header">
              List entry
            </th>
            <th scope="col" className="govuk-table__header">
              Name matched
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Score
            </th>
            <th scope="col" className="govuk-table__header">
              List
            </th>
            <th scope="col" className="govuk-table__header">
              Flag
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {hits.flatMap((h, i) => [
            <tr className="govuk-table__row" key={h.id}>
              <td className="govuk-table__cell">
                {h.subject}
                <br />
                <span className="govuk-hint">{SCREENING_SUBJECT_KIND_LABELS[h.subjectKind]}</span>
              </td>
              <td className="govuk-table__cell">
                {h.entryName}
                {h.programmes?.length ? ` (${h.programmes.join(', ')})` : ''}
              </td>
              <td className="govuk-table__cell">
                {h.matchedName}
                {h.matchedName !== h.entryName ? ` (${humanise(h.matchedNameType)})` : ''}
              </td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{Math.round(h.score * 100)}%</td>
              <td className="govuk-table__cell">
                {h.sourceList}
                <br />
                <span className="govuk-hint">list version {h.listVersionId.slice(0, 8)}</span>
              </td>
              <td className="govuk-table__cell">
                <HitDecision hit={h} ctx={decide} n={i} />
              </td>
            </tr>,
            h.explanation ? (
              <tr className="govuk-table__row" key={`${h.id}-why`}>
                <td className="govuk-table__cell" colSpan={6}>
                  <HitBreakdown hit={h} />
                </td>
              </tr>
            ) : null,
          ])}
        </tbody>
      </table>
    </section>
  );
}

/** The export-control assessment in full: outcome, items, exemptions, end use, licence. */
export function ExportAssessmentBlock({ a }: { a: Schemas['ExportAssessment'] }) {
  const rows = [
    { key: 'Outcome', value: labelOf(EXPORT_REVIEW_OUTCOME_LABELS, a.outcome) },
    { key: 'Assessment', value: a.assessment },
    ...(a.items?.length ? [{ key: 'Items', value: a.items.map((i) => [i.description, i.controlEntry].filter(Boolean).join(': ')).join('; ') }] : []),
    ...(a.exemptions?.length
      ? [
          {
            key: 'Exemptions',
            value: a.exemptions
              .map((x) => `${labelOf(EXEMPTION_LABELS, x.exemption)}: ${x.applies ? 'applies' : 'does not apply'} (${x.reasoning})`)
              .join('; '),
          },
        ]
      : []),
    ...(a.endUseConcern
      ? [{ key: 'End-use concern', value: a.endUseConcern.concern ? `Yes${a.endUseConcern.kind ? `: ${humanise(a.endUseConcern.kind)}` : ''}` : 'No' }]
      : []),
    ...(a.ogelName
      ? [{ key: 'Open general licence', value: `${a.ogelName}${a.ogelRegistrationReference ? ` (registration ${a.ogelRegistrationReference})` : ''}` }]
      : []),
    ...(a.ecjuAdviceReference ? [{ key: 'ECJU advice reference', value: a.ecjuAdviceReference }] : []),
    ...(a.licence
      ? [
          {
            key: 'Licence',
            value: [
              a.licence.type ? labelOf(LICENCE_TYPE_LABELS, a.licence.type) : '',
              a.licence.reference ? `reference ${a.licence.reference}` : '',
              a.licence.expiresOn ? `expires ${formatDate(a.licence.expiresOn)}` : '',
            ]
              .filter(Boolean)
              .join(', '),
          },
        ]
      : []),
    { key: 'Recorded', value: formatDateTime(a.at) },
  ];
  return (
    <>
      <h2 className="govuk-heading-m">Export-control assessment</h2>
      <SummaryList rows={rows} />
    </>
  );
}

const PAYLOAD_KEYS: [string, string][] = [
  ['question', 'Question'],
  ['replyBy', 'Reply by'],
  ['message', 'Answer'],
  ['comment', 'Comment'],
  ['reason', 'Reason'],
  ['note', 'Note'],
  ['riskLevel', 'Risk level'],
  ['route', 'Route'],
  ['assessment', 'Assessment'],
  ['outcome', 'Outcome'],
  ['decisionText', 'Decision'],
  ['reasonText', 'Reason'],
  ['body', 'Note'],
];

function eventDetails(e: CaseEvent): { k: string; v: string }[] {
  const p = e.payload ?? {};
  const out: { k: string; v: string }[] = [];
  for (const [key, label] of PAYLOAD_KEYS) {
    const v = p[key];
    if (typeof v === 'string' && v)
      out.push({
        k: label,
        v:
          key === 'riskLevel'
            ? labelOf(RISK_LEVEL_LABELS, v)
            : key === 'route'
              ? labelOf(TRIAGE_ROUTE_LABELS, v)
              : key === 'outcome'
                ? labelOf({ ...OUTCOME_LABELS, ...EXPORT_REVIEW_OUTCOME_LABELS }, v)
                : v,
      });
  }
  const dec = (p.decision ?? p.proposedDecision) as Decision | undefined;
  if (dec?.decisionText) out.push({ k: 'Decision', v: dec.decisionText });
  if (typeof p.exportControlRelevant === 'boolean') out.push({ k: 'Export control relevant', v: p.exportControlRelevant ? 'Yes' : 'No' });
  return out;
}

export function Timeline({ events, meId }: { events: CaseEvent[]; meId?: string }) {
  return (
    <ol className="tr-timeline" aria-label="Timeline of the case">
      {[...events].reverse().map((e) => (
        <li key={e.id}>
          <h3 className="govuk-heading-s govuk-!-margin-bottom-1">
            {wordsFor(CASE_EVENT_LABELS, e.action)}
            {e.fromState !== e.toState && e.toState ? (
              <span className="govuk-body-s">
                {' '}
                · {e.fromState ? `${stateLabel(e.fromState)} → ` : ''}
                {stateLabel(e.toState)}
              </span>
            ) : null}
          </h3>
          <p className="govuk-body-s govuk-!-margin-bottom-1">
            {formatDateTime(e.createdAt)}
            <ActorLine id={e.actorId} name={e.actorName} role={e.actorRole} meId={meId} />
          </p>
          {eventDetails(e).map((d, i) => (
            <p className="govuk-body-s govuk-!-margin-bottom-1 tr-pre" key={i}>
              <strong>{d.k}:</strong> {d.v}
            </p>
          ))}
          {e.action === 'respond' && e.payload?.diff ? <AnswerDiff diff={e.payload.diff as Record<string, { from: unknown; to: unknown }>} /> : null}
        </li>
      ))}
    </ol>
  );
}

function NotesSection({ caseId, staff, meId }: { caseId: string; staff: boolean; meId?: string }) {
  const [notes, setNotes] = useState<Note[]>([]);
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState(staff ? 'internal' : 'researcher');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [done, setDone] = useState('');
  const load = () =>
    unwrap(api.GET('/api/cases/{id}/notes', { params: { path: { id: caseId } } })).then(
      (r) => setNotes(r.items),
      () => undefined,
    );
  useEffect(() => {
    void load();
  }, [caseId]);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setDone('');
    if (!body.trim()) return setErrors([{ href: 'note-body', message: staff ? 'Enter the note' : 'Enter your reply' }]);
    try {
      await unwrap(
        api.POST('/api/cases/{id}/notes', {
          params: { path: { id: caseId } },
          body: { body: body.trim(), visibility: visibility as 'internal' | 'researcher' },
        }),
      );
      setBody('');
      setErrors([]);
      setDone(staff ? 'Note added.' : 'Reply sent to the research office.');
      await load();
    } catch (err) {
      setErrors([{ href: 'note-body', message: errorMessage(err) }]);
    }
  };
  return (
    <section aria-labelledby="notes-heading">
      <h2 className="govuk-heading-m" id="notes-heading">
        Notes and messages
      </h2>
      {notes.length === 0 && <p className="govuk-body">No notes yet.</p>}
      {notes.map((n) => (
        <div className="govuk-inset-text" key={n.id}>
          <p className="govuk-body-s govuk-!-margin-bottom-1">
            {formatDateTime(n.createdAt)} · {n.visibility === 'internal' ? 'Internal note' : 'Message to the researcher'}
            <ActorLine id={n.authorId} name={n.authorName} role={n.authorRole} meId={meId} />
          </p>
          <p className="govuk-body tr-pre">{n.body}</p>
        </div>
      ))}
      {
        <form onSubmit={add} noValidate>
          <ErrorSummary errors={errors} />
          {done && (
            <p className="govuk-body" role="status">
              {done}
            </p>
          )}
          <Textarea
            id="note-body"
            label={staff ? 'Add a note' : 'Reply to the research office'}
            value={body}
            onChange={setBody}
            rows={3}
            error={errors[0]?.message}
          />
          {staff && (
            <Radios
              id="note-visibility"
              label="Who can read it"
              inline
              value={visibility}
              onChange={setVisibility}
              options={[
                { value: 'internal', label: 'Research office only' },
                { value: 'researcher', label: 'Also the researcher' },
              ]}
            />
          )}
          <button type="submit" className="govuk-button govuk-button--secondary">
            {staff ? 'Add note' : 'Send reply'}
          </button>
        </form>
      }
    </section>
  );
}

export function CasePage() {
  const { id } = useParams();
  const { me, has } = useAuth();
  const location = useLocation();
  const flash = useFlash();
  const [bundle, setBundle] = useState<CaseBundle | null>(null);
  const [events, setEvents] = useState<CaseEvent[]>([]);
  const [names, setNames] = useState<CaseListRow | null>(null);
  const [error, setError] = useState('');
  usePageTitle(bundle ? `${bundle.c.reference} ${bundle.c.title ?? ''}` : 'Case');

  useEffect(() => {
    if (!id) return;
    setError('');
    loadCase(id).then(
      (b) => {
        setBundle(b);
        // The case document carries ids only; its list row (same visibility) carries the people's and department's names.
        unwrap(api.GET('/api/cases', { params: { query: { q: b.c.reference, limit: 5 } } })).then(
          (p) => setNames(p.items.find((r) => r.id === b.c.id) ?? null),
          () => undefined,
        );
      },
      (e) => setError(errorMessage(e)),
    );
    unwrap(api.GET('/api/cases/{id}/events', { params: { path: { id } } })).then(
      (r) => setEvents(r.items),
      () => undefined,
    );
  }, [id, location.key]);

  if (error)
    return (
      <>
        <h1 className="govuk-heading-l">Case</h1>
        <ErrorSummary errors={[{ href: '', message: error }]} />
      </>
    );
  if (!bundle) return <Spinner />;
  const { c, actions } = bundle;
  const mine = c.ownerId === me?.id;
  const staff = has(...STAFF_ROLES);
  const respond = actions.find((a) => a.name === 'respond');
  const others = actions.filter((a) => a.name !== 'respond' && a.name !== 'submit');

  const summary = [
    { key: 'State', value: <strong className={stateTagClass(c.state)}>{stateLabel(c.state)}</strong> },
    { key: 'Waiting on', value: waitingOn(c.state, mine) },
    ...(names
      ? [
          { key: 'Researcher', value: mine ? 'You' : names.ownerName },
          { key: 'Department', value: names.departmentName ?? '' },
        ]
      : []),
    ...(c.outcome ? [{ key: 'Outcome', value: labelOf(OUTCOME_LABELS, c.outcome) }] : []),
    ...(c.riskLevel !== undefined
      ? [
          {
            key: 'Risk level',
            value: c.riskLevel ? (
              labelOf(RISK_LEVEL_LABELS, c.riskLevel) + (c.triageStale ? ' (triage stale: re-triage needed)' : '')
            ) : (
              <span className="govuk-hint">Not triaged</span>
            ),
          },
        ]
      : []),
    ...(c.riskLevel !== undefined && c.proposedRiskLevel ? [{ key: 'Proposed risk level', value: labelOf(RISK_LEVEL_LABELS, c.proposedRiskLevel) }] : []),
    ...(staff
      ? [
          {
            key: 'Officer',
            value: c.assigneeId ? c.assigneeId === me?.id ? 'You' : (names?.assigneeName ?? 'Assigned') : <span className="govuk-hint">Unassigned</span>,
          },
        ]
      : []),
    ...(c.exportReviewRequired !== undefined && c.exportReviewRequired !== null
      ? [
          {
            key: 'Export-control review',
            value: c.exportReviewRequired ? (c.exportReviewCompleted ? 'Required, completed' : 'Required, not yet completed') : 'Not required',
          },
        ]
      : []),
    { key: 'Submitted', value: c.submittedAt ? formatDateTime(c.submittedAt) : <span className="govuk-hint">Not yet</span> },
    ...(c.closedAt ? [{ key: 'Closed', value: formatDateTime(c.closedAt) }] : []),
  ];

  return (
    <>
      {flash && <SuccessBanner>{flash}</SuccessBanner>}
      <span className="govuk-caption-l">{c.reference}</span>
      <h1 className="govuk-heading-l">{c.title || 'Untitled draft'}</h1>

      {c.state === 'draft' && mine && (
        <InfoBanner title="Draft">
          <p className="govuk-body">This case has not been submitted yet.</p>
          <p className="govuk-body">
            <Link className="govuk-link" to={`/cases/${c.id}/topic/collaboration`}>
              Continue the questionnaire
            </Link>{' '}
            or{' '}
            <Link className="govuk-link" to={`/cases/${c.id}/check`}>
              check your answers and submit
            </Link>
            .
          </p>
        </InfoBanner>
      )}

      {c.informationRequest && c.state === 'awaiting_information' && (
        <InfoBanner title="Information requested">
          <p className="govuk-notification-banner__heading tr-pre">{c.informationRequest.question}</p>
          {c.informationRequest.replyBy && <p className="govuk-body">Please reply by {formatDate(c.informationRequest.replyBy)}.</p>}
          {respond && (
            <Link className="govuk-button" role="button" draggable="false" to={`/cases/${c.id}/act/respond`}>
              Answer the request
            </Link>
          )}
        </InfoBanner>
      )}

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <SummaryList rows={summary} />
          {c.decision && <DecisionBlock title="Decision" d={c.decision} />}
          {c.proposedDecision && !c.decision && <DecisionBlock title="Proposed decision" d={c.proposedDecision} />}
          {c.rejection && (
            <>
              <h2 className="govuk-heading-m">Reason for rejection</h2>
              <div className="govuk-inset-text">
                <p className="govuk-body">
                  <strong>{(REJECTION_CATEGORY_LABELS as Record<string, string>)[c.rejection.reasonCategory] ?? c.rejection.reasonCategory}</strong>
                </p>
                <p className="govuk-body tr-pre">{c.rejection.reasonText}</p>
              </div>
            </>
          )}
          {c.exportAssessment && <ExportAssessmentBlock a={c.exportAssessment} />}
          {c.riskAssessment && <RiskPanel r={c.riskAssessment} />}
          {c.screeningHits && c.screeningHits.length > 0 && (
            <ScreeningHits
              hits={c.screeningHits}
              decide={{
                caseId: c.id,
                version: c.version,
                canClear: actions.some((a) => a.name === 'clear_flag'),
                canConfirm: has('rsdo_officer', 'rsdo_lead') && !mine,
              }}
            />
          )}
          {c.flags && c.flags.length > 0 && (
            <>
              <h2 className="govuk-heading-m">Flags</h2>
              <ul className="govuk-list govuk-list--bullet">
                {c.flags.map((f) => (
                  <li key={f.id}>
                    {f.reason}
                    {f.blocking ? ' (blocking)' : ''}
                    {f.resolvedAt ? ' – cleared' : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2 className="govuk-heading-m">Answers</h2>
          <CaseAnswerSections c={c} />
          <PeoplePanel caseId={c.id} meId={me?.id} canEdit={c.flags === undefined || has('rsdo_officer', 'rsdo_lead')} />
          {c.flags !== undefined && <PrecedentPanel caseId={c.id} />}
          <NotesSection caseId={c.id} staff={staff} meId={me?.id} />
          <Documents caseId={c.id} staff={staff} />
        </div>
        <div className="govuk-grid-column-one-third">
          <h2 className="govuk-heading-m">What you can do</h2>
          {others.length === 0 && !respond && <p className="govuk-body">There is nothing for you to do on this case now.</p>}
          <ul className="govuk-list tr-actions">
            {respond && (
              <li>
                <Link className="govuk-link" to={`/cases/${c.id}/act/respond`}>
                  {respond.label}
                </Link>
              </li>
            )}
            {others.map((a) => (
              <li key={a.name}>
                <Link className="govuk-link" to={`/cases/${c.id}/act/${a.name}`}>
                  {a.label}
                </Link>
              </li>
            ))}
          </ul>
          {bundle.blocked.length > 0 && (
            <>
              <h3 className="govuk-heading-s">Not possible yet</h3>
              <ul className="govuk-list tr-blocked-actions">
                {bundle.blocked.map((b) => (
                  <li key={b.name}>
                    <strong>{b.label}</strong>: {b.message}
                  </li>
                ))}
              </ul>
            </>
          )}
          {c.sla && <SlaPanel sla={c.sla} />}
          {c.timers && c.timers.length > 0 && (
            <>
              <h2 className="govuk-heading-m">Deadlines</h2>
              <ul className="govuk-list">
                {c.timers.map((t) => (
                  <li key={t.id}>
                    {wordsFor(TIMER_KIND_LABELS, t.kind)}: {formatDateTime(t.dueAt)}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2 className="govuk-heading-m">Timeline</h2>
          <Timeline events={events} meId={me?.id} />
        </div>
      </div>
    </>
  );
}

/** The breakdown of one hit's score: which name parts met, alias kind, country, birth date, identifiers. */
function HitBreakdown({ hit: h }: { hit: Schemas['ScreeningHit'] }) {
  const e = h.explanation as unknown as MatchExplanation | null | undefined;
  if (!e) return null;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const signed = (x: number) => (x > 0 ? `+${pct(x)}` : x < 0 ? `−${pct(-x)}` : null);
  return (
    <dl className="govuk-summary-list govuk-summary-list--no-border govuk-!-margin-top-1 govuk-!-margin-bottom-2">
      <div className="govuk-summary-list__row">
        <dt className="govuk-summary-list__key">Name</dt>
        <dd className="govuk-summary-list__value">
          {pct(e.name.score)} on “{h.matchedName}” ({humanise(e.alias.type)}
          {signed(e.alias.adjustment) ? `, ${signed(e.alias.adjustment)}` : ''}):{' '}
          {e.name.aligned
            .map((a) => (a.query && a.listed ? `${a.query}≈${a.listed} ${pct(a.score)}` : a.query ? `${a.query} not listed` : `${a.listed} not given`))
            .join('; ')}
        </dd>
      </div>
      <div className="govuk-summary-list__row">
        <dt className="govuk-summary-list__key">Country</dt>
        <dd className="govuk-summary-list__value">
          {e.country.listed.map(countryName).join(', ') || 'none listed'}
          {e.country.match === null ? '' : e.country.match ? ' — matches' : ` — differs from ${countryName(e.country.query)} (${signed(e.country.adjustment)})`}
        </dd>
      </div>
      <div className="govuk-summary-list__row">
        <dt className="govuk-summary-list__key">Date of birth</dt>
        <dd className="govuk-summary-list__value">
          {(h.birthDates ?? []).join(', ') || 'none listed'}
          {e.birthDate.match === null ? '' : e.birthDate.match ? ' — matches' : ` — differs (${signed(e.birthDate.adjustment)})`}
        </dd>
      </div>
      <div className="govuk-summary-list__row">
        <dt className="govuk-summary-list__key">Identifiers</dt>
        <dd className="govuk-summary-list__value">
          {(h.identifiers ?? []).map((x) => `${humanise(x.type)} ${x.value}`).join(', ') || 'none listed'}
          {e.identifiers.matched.length ? ` — matched ${e.identifiers.matched.join(', ')}` : ''}
          {(h.nationalities ?? []).length ? `; nationality ${(h.nationalities ?? []).join(', ')}` : ''}
        </dd>
      </div>
    </dl>
  );
}
