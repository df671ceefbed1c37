import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, errorMessage, unwrap } from '../api/client';
import type { AvailableAction, CaseEvent, CaseListRow, CaseView, Decision, Note, Page, ScreeningHit } from '../api/types';
import { useAuth, STAFF_ROLES } from '../auth';
import { ErrorSummary, InfoBanner, Radios, Spinner, SuccessBanner, useFlash, SummaryList, Textarea, usePageTitle, type FieldError } from '../components/govuk';
import { formatDate, formatDateTime, humanise, OUTCOME_LABELS, REJECTION_CATEGORY_LABELS, stateLabel, stateTagClass, waitingOn } from '../labels';
import { answerRows } from './Questionnaire';

export interface CaseBundle {
  c: CaseView;
  actions: AvailableAction[];
}

export async function loadCase(id: string): Promise<CaseBundle> {
  const [c, actions] = await Promise.all([
    unwrap<CaseView>(api.GET('/api/cases/{id}', { params: { path: { id } } })),
    unwrap<{ items: AvailableAction[] }>(api.GET('/api/cases/{id}/actions', { params: { path: { id } } })),
  ]);
  return { c, actions: actions.items };
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
                <li key={i}>{x.text}{x.dueDate ? ` (due ${formatDate(x.dueDate)})` : ''}{x.metAt ? ` – met ${formatDate(x.metAt)}` : ''}</li>
              ))}
            </ol>
          </>
        )}
        {d.reviewDate && <p className="govuk-body">Review date: {formatDate(d.reviewDate)}</p>}
      </div>
    </>
  );
}

const PAYLOAD_KEYS: [string, string][] = [
  ['question', 'Question'], ['replyBy', 'Reply by'], ['message', 'Answer'], ['comment', 'Comment'], ['reason', 'Reason'], ['note', 'Note'],
  ['riskLevel', 'Risk level'], ['route', 'Route'], ['assessment', 'Assessment'], ['outcome', 'Outcome'], ['decisionText', 'Decision'],
  ['reasonText', 'Reason'], ['body', 'Note'],
];

function eventDetails(e: CaseEvent): { k: string; v: string }[] {
  const p = e.payload ?? {};
  const out: { k: string; v: string }[] = [];
  for (const [key, label] of PAYLOAD_KEYS) {
    const v = p[key];
    if (typeof v === 'string' && v) out.push({ k: label, v: key === 'riskLevel' || key === 'route' || key === 'outcome' ? humanise(v) : v });
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
            {humanise(e.action)}
            {e.fromState !== e.toState && e.toState ? <span className="govuk-body-s"> · {stateLabel(e.fromState ?? '')} → {stateLabel(e.toState)}</span> : null}
          </h3>
          <p className="govuk-body-s govuk-!-margin-bottom-1">{formatDateTime(e.createdAt)}{e.actorId && e.actorId === meId ? ' · by you' : ''}</p>
          {eventDetails(e).map((d, i) => <p className="govuk-body-s govuk-!-margin-bottom-1 tr-pre" key={i}><strong>{d.k}:</strong> {d.v}</p>)}
        </li>
      ))}
    </ol>
  );
}

function NotesSection({ caseId, staff }: { caseId: string; staff: boolean }) {
  const [notes, setNotes] = useState<Note[]>([]);
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState(staff ? 'internal' : 'researcher');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [done, setDone] = useState('');
  const load = () => unwrap<{ items: Note[] }>(api.GET('/api/cases/{id}/notes', { params: { path: { id: caseId } } })).then((r) => setNotes(r.items), () => undefined);
  useEffect(() => {
    void load();
  }, [caseId]);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setDone('');
    if (!body.trim()) return setErrors([{ href: 'note-body', message: 'Enter the note' }]);
    try {
      await unwrap(api.POST('/api/cases/{id}/notes', { params: { path: { id: caseId } }, body: { body: body.trim(), visibility: visibility as 'internal' | 'researcher' } }));
      setBody('');
      setErrors([]);
      setDone('Note added.');
      await load();
    } catch (err) {
      setErrors([{ href: 'note-body', message: errorMessage(err) }]);
    }
  };
  return (
    <section aria-labelledby="notes-heading">
      <h2 className="govuk-heading-m" id="notes-heading">Notes and messages</h2>
      {notes.length === 0 && <p className="govuk-body">No notes yet.</p>}
      {notes.map((n) => (
        <div className="govuk-inset-text" key={n.id}>
          <p className="govuk-body-s govuk-!-margin-bottom-1">{formatDateTime(n.createdAt)} · {n.visibility === 'internal' ? 'Internal note' : 'Message to the researcher'}</p>
          <p className="govuk-body tr-pre">{n.body}</p>
        </div>
      ))}
      {staff && (
        <form onSubmit={add} noValidate>
          <ErrorSummary errors={errors} />
          {done && <p className="govuk-body" role="status">{done}</p>}
          <Textarea id="note-body" label="Add a note" value={body} onChange={setBody} rows={3} error={errors[0]?.message} />
          <Radios id="note-visibility" label="Who can read it" inline value={visibility} onChange={setVisibility}
            options={[{ value: 'internal', label: 'Research office only' }, { value: 'researcher', label: 'Also the researcher' }]} />
          <button type="submit" className="govuk-button govuk-button--secondary">Add note</button>
        </form>
      )}
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
        unwrap<Page<CaseListRow>>(api.GET('/api/cases', { params: { query: { q: b.c.reference, limit: 5 } } }))
          .then((p) => setNames(p.items.find((r) => r.id === b.c.id) ?? null), () => undefined);
      },
      (e) => setError(errorMessage(e)),
    );
    unwrap<{ items: CaseEvent[] }>(api.GET('/api/cases/{id}/events', { params: { path: { id } } })).then((r) => setEvents(r.items), () => undefined);
  }, [id, location.key]);

  if (error) return <><h1 className="govuk-heading-l">Case</h1><ErrorSummary errors={[{ href: '', message: error }]} /></>;
  if (!bundle) return <Spinner />;
  const { c, actions } = bundle;
  const mine = c.ownerId === me?.id;
  const staff = has(...STAFF_ROLES);
  const respond = actions.find((a) => a.name === 'respond');
  const others = actions.filter((a) => a.name !== 'respond' && a.name !== 'submit');

  const summary = [
    { key: 'State', value: <strong className={stateTagClass(c.state)}>{stateLabel(c.state)}</strong> },
    { key: 'Waiting on', value: waitingOn(c.state, mine) },
    ...(names ? [{ key: 'Researcher', value: mine ? 'You' : names.ownerName }, { key: 'Department', value: names.departmentName ?? '' }] : []),
    ...(c.outcome ? [{ key: 'Outcome', value: OUTCOME_LABELS[c.outcome] ?? humanise(c.outcome) }] : []),
    ...(c.riskLevel !== undefined ? [{ key: 'Risk level', value: c.riskLevel ? humanise(c.riskLevel) + (c.triageStale ? ' (triage stale: re-triage needed)' : '') : <span className="govuk-hint">Not triaged</span> }] : []),
    ...(c.riskLevel !== undefined && c.proposedRiskLevel ? [{ key: 'Proposed risk level', value: humanise(c.proposedRiskLevel) }] : []),
    ...(staff ? [{ key: 'Officer', value: c.assigneeId ? (c.assigneeId === me?.id ? 'You' : names?.assigneeName ?? 'Assigned') : <span className="govuk-hint">Unassigned</span> }] : []),
    ...(c.exportReviewRequired !== undefined && c.exportReviewRequired !== null
      ? [{ key: 'Export-control review', value: c.exportReviewRequired ? (c.exportReviewCompleted ? 'Required, completed' : 'Required, not yet completed') : 'Not required' }]
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
            <Link className="govuk-link" to={`/cases/${c.id}/topic/collaboration`}>Continue the questionnaire</Link> or{' '}
            <Link className="govuk-link" to={`/cases/${c.id}/check`}>check your answers and submit</Link>.
          </p>
        </InfoBanner>
      )}

      {c.informationRequest && c.state === 'awaiting_information' && (
        <InfoBanner title="Information requested">
          <p className="govuk-notification-banner__heading tr-pre">{c.informationRequest.question}</p>
          {c.informationRequest.replyBy && <p className="govuk-body">Please reply by {formatDate(c.informationRequest.replyBy)}.</p>}
          {respond && <Link className="govuk-button" role="button" draggable="false" to={`/cases/${c.id}/act/respond`}>Answer the request</Link>}
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
                <p className="govuk-body"><strong>{(REJECTION_CATEGORY_LABELS as Record<string, string>)[c.rejection.reasonCategory] ?? c.rejection.reasonCategory}</strong></p>
                <p className="govuk-body tr-pre">{c.rejection.reasonText}</p>
              </div>
            </>
          )}
          {c.exportAssessment && (
            <>
              <h2 className="govuk-heading-m">Export-control assessment</h2>
              <div className="govuk-inset-text">
                {c.exportAssessment.outcome && <p className="govuk-body"><strong>{humanise(c.exportAssessment.outcome)}</strong></p>}
                <p className="govuk-body tr-pre">{c.exportAssessment.assessment}</p>
              </div>
            </>
          )}
          {c.riskFactors && c.riskFactors.length > 0 && (
            <>
              <h2 className="govuk-heading-m">Risk factors</h2>
              <ul className="govuk-list govuk-list--bullet">{c.riskFactors.map((f, i) => <li key={i}>{f.label ?? f.description ?? f.code}</li>)}</ul>
            </>
          )}
          {c.screeningHits && c.screeningHits.length > 0 && (
            <>
              <h2 className="govuk-heading-m">Screening hits</h2>
              <ul className="govuk-list govuk-list--bullet">{c.screeningHits.map((h, i) => <li key={i}><HitSummary hit={h} /></li>)}</ul>
            </>
          )}
          {c.flags && c.flags.length > 0 && (
            <>
              <h2 className="govuk-heading-m">Flags</h2>
              <ul className="govuk-list govuk-list--bullet">
                {c.flags.map((f) => <li key={f.id}>{f.reason}{f.blocking ? ' (blocking)' : ''}{f.resolvedAt ? ' – cleared' : ''}</li>)}
              </ul>
            </>
          )}
          <h2 className="govuk-heading-m">Answers</h2>
          <SummaryList rows={answerRows(c.title, c.answers ?? {})} />
          <NotesSection caseId={c.id} staff={staff} />
        </div>
        <div className="govuk-grid-column-one-third">
          <h2 className="govuk-heading-m">What you can do</h2>
          {others.length === 0 && !respond && <p className="govuk-body">There is nothing for you to do on this case now.</p>}
          <ul className="govuk-list tr-actions">
            {respond && <li><Link className="govuk-link" to={`/cases/${c.id}/act/respond`}>{respond.label}</Link></li>}
            {others.map((a) => (
              <li key={a.name}><Link className="govuk-link" to={`/cases/${c.id}/act/${a.name}`}>{a.label}</Link></li>
            ))}
          </ul>
          {c.timers && c.timers.length > 0 && (
            <>
              <h2 className="govuk-heading-m">Deadlines</h2>
              <ul className="govuk-list">{c.timers.map((t) => <li key={t.id}>{humanise(t.kind)}: {formatDateTime(t.dueAt)}</li>)}</ul>
            </>
          )}
          <h2 className="govuk-heading-m">Timeline</h2>
          <Timeline events={events} meId={me?.id} />
        </div>
      </div>
    </>
  );
}

/** One screening hit with the breakdown of its score: which name parts met, alias kind, country, birth date, identifiers. */
function HitSummary({ hit: h }: { hit: ScreeningHit }) {
  const e = h.explanation;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const signed = (x: number) => (x > 0 ? `+${pct(x)}` : x < 0 ? `−${pct(-x)}` : null);
  return (
    <>
      {h.subject ? `${h.subject} — ` : ''}<strong>{h.entryName ?? h.name ?? h.matched}</strong>
      {h.sourceList ?? h.list ? ` (${h.sourceList ?? h.list})` : ''}{typeof h.score === 'number' ? `, score ${pct(h.score)}` : ''}
      {e && (
        <dl className="govuk-summary-list govuk-summary-list--no-border govuk-!-margin-top-1 govuk-!-margin-bottom-2">
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Name</dt><dd className="govuk-summary-list__value">
            {pct(e.name.score)} on “{h.matchedName}” ({humanise(e.alias.type)}{signed(e.alias.adjustment) ? `, ${signed(e.alias.adjustment)}` : ''}):{' '}
            {e.name.aligned.map((a) => (a.query && a.listed ? `${a.query}≈${a.listed} ${pct(a.score)}` : a.query ? `${a.query} not listed` : `${a.listed} not given`)).join('; ')}
          </dd></div>
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Country</dt><dd className="govuk-summary-list__value">
            {e.country.listed.join(', ') || 'none listed'}{e.country.match === null ? '' : e.country.match ? ' — matches' : ` — differs from ${e.country.query} (${signed(e.country.adjustment)})`}
          </dd></div>
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Date of birth</dt><dd className="govuk-summary-list__value">
            {(h.birthDates ?? []).join(', ') || 'none listed'}{e.birthDate.match === null ? '' : e.birthDate.match ? ' — matches' : ` — differs (${signed(e.birthDate.adjustment)})`}
          </dd></div>
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Identifiers</dt><dd className="govuk-summary-list__value">
            {(h.identifiers ?? []).map((x) => `${humanise(x.type)} ${x.value}`).join(', ') || 'none listed'}{e.identifiers.matched.length ? ` — matched ${e.identifiers.matched.join(', ')}` : ''}
            {(h.nationalities ?? []).length ? `; nationality ${(h.nationalities ?? []).join(', ')}` : ''}
          </dd></div>
        </dl>
      )}
    </>
  );
}
