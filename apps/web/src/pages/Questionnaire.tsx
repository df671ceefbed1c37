/** The new-case flow: one topic per page, drafts saved as you go, check your answers, submit. */
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { missingFields } from '../../../../libs/domain/src/questionnaire';
import { api, ApiError, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import type { CaseAnswers } from '@app/domain/questionnaire';
import { Checkboxes, ErrorSummary, Select, Spinner, SummaryList, Textarea, TextInput, usePageTitle, WhyWeAsk, type FieldError } from '../components/govuk';
import { ACTIVITY_TYPE_LABELS, NSI_AREA_LABELS, PARTNER_TYPE_LABELS } from '../labels';
import { COUNTRY_OPTIONS, countryName } from '../countries';
import { PARTNER_TYPE_OPTIONS, TOPICS, topicBySlug, topicForField, type Question } from '../questionnaire';

type CaseView = Schemas['CaseView'];

type Partner = { name: string; country: string; type: string };
interface Draft {
  title: string;
  answers: CaseAnswers;
}

export function NewCaseStartPage() {
  usePageTitle('Start a new case');
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Tell us about an international collaboration</h1>
        <p className="govuk-body">The research office checks collaborations with organisations outside the UK for national-security and export-control risk, as the government's Trusted Research guidance asks universities to do.</p>
        <p className="govuk-body">There are {TOPICS.length} short sections:</p>
        <ol className="govuk-list govuk-list--number">{TOPICS.map((t) => <li key={t.slug}>{t.title}</li>)}</ol>
        <p className="govuk-body">Your answers are saved as a draft on every page, so you can stop and come back. You check everything before you submit.</p>
        <Link to={`/cases/new/topic/${TOPICS[0].slug}`} role="button" draggable="false" className="govuk-button govuk-button--start">
          Start now
          <svg className="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
          </svg>
        </Link>
      </div>
    </div>
  );
}

function useDraft(id: string | undefined) {
  const [c, setC] = useState<CaseView | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!id || id === 'new') return;
    unwrap(api.GET('/api/cases/{id}', { params: { path: { id } } })).then(setC, (e) => setError(errorMessage(e)));
  }, [id]);
  return { c, setC, error };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Required answers of this page, and formats the server would refuse; problems are sentences. */
function pageProblems(questions: Question[], d: Draft, requireAll: boolean): FieldError[] {
  const out: FieldError[] = [];
  const a = d.answers;
  for (const q of questions) {
    const id = q.id;
    if (id === 'title') {
      if (requireAll && !d.title.trim()) out.push({ href: 'title', message: 'Enter a title for the collaboration' });
      continue;
    }
    const v = a[id];
    if (q.kind === 'date' && typeof v === 'string' && v && !DATE.test(v)) out.push({ href: id, message: `${q.label.replace('?', '')}: enter a real date, such as 2027-01-31` });
    if (id === 'endDate' && a.startDate && a.endDate && a.endDate < a.startDate) out.push({ href: 'endDate', message: 'The end date must be on or after the start date' });
    if (q.kind === 'partners') {
      const rows = a.partners ?? [];
      if (requireAll && rows.length === 0) out.push({ href: 'partner-add', message: 'Add at least one partner organisation' });
      rows.forEach((p, i) => {
        if (requireAll && !p.name.trim()) out.push({ href: `partners-${i}-name`, message: `Enter the name of partner ${i + 1}` });
        if ((requireAll || p.country) && !COUNTRY_OPTIONS.some((o) => o.value === p.country.trim().toUpperCase())) out.push({ href: `partners-${i}-country`, message: `Choose the country of partner ${i + 1}` });
        if (requireAll && !p.type) out.push({ href: `partners-${i}-type`, message: `Choose the type of partner ${i + 1}` });
      });
      continue;
    }
    if (!requireAll || q.optional) continue;
    if (q.kind === 'areas' && v === undefined) out.push({ href: id, message: 'Choose the sensitive areas that apply, or "None of these"' });
    else if (q.kind === 'checkboxes' && (!Array.isArray(v) || v.length === 0)) out.push({ href: id, message: 'Choose at least one kind of activity' });
    else if ((q.kind === 'text' || q.kind === 'textarea' || q.kind === 'date') && (typeof v !== 'string' || !v.trim())) out.push({ href: id, message: `Answer "${q.label}"` });
  }
  return out;
}

/** Only this page's answers go to the server; blanks of optional dates are left out (the API wants real dates). */
function pagePatch(questions: Question[], d: Draft): { title?: string; answers: Record<string, unknown> } {
  const answers: Record<string, unknown> = {};
  let title: string | undefined;
  for (const q of questions) {
    if (q.id === 'title') title = d.title.trim();
    else if (q.kind === 'partners') answers.partners = (d.answers.partners ?? []).map((p) => ({ name: p.name.trim(), country: p.country.trim().toUpperCase(), type: p.type }));
    else if (q.kind === 'date') {
      const v = d.answers[q.id];
      if (typeof v === 'string' && v) answers[q.id] = v;
    } else if (d.answers[q.id] !== undefined) answers[q.id] = d.answers[q.id];
  }
  return { title, answers };
}

export function TopicPage() {
  const { id, slug } = useParams();
  const topic = topicBySlug(slug);
  const navigate = useNavigate();
  const location = useLocation();
  const fromCheck = new URLSearchParams(location.search).get('from') === 'check';
  usePageTitle(topic?.title ?? 'New case');
  const { c, error: loadError } = useDraft(id);
  const [draft, setDraft] = useState<Draft>({ title: '', answers: {} });
  const [loaded, setLoaded] = useState(id === 'new');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (c) {
      setDraft({ title: c.title ?? '', answers: c.answers ?? {} });
      setLoaded(true);
    }
  }, [c]);

  if (!topic) return <p className="govuk-body">There is no such section.</p>;
  if (loadError) return <ErrorSummary errors={[{ href: '', message: loadError }]} />;
  if (!loaded) return <Spinner />;
  if (c && c.state !== 'draft') {
    return <p className="govuk-body">This case has been submitted and can no longer be edited here. <Link className="govuk-link" to={`/cases/${c.id}`}>View the case</Link>.</p>;
  }

  const index = TOPICS.indexOf(topic);
  const set = (k: keyof CaseAnswers, v: unknown) => setDraft((d) => ({ ...d, answers: { ...d.answers, [k]: v } }));
  const partners: Partner[] = draft.answers.partners ?? [];
  const setPartners = (p: Partner[]) => set('partners', p);
  const errorFor = (href: string) => errors.find((e) => e.href === href)?.message;

  const save = async (mode: 'continue' | 'later') => {
    const problems = pageProblems(topic.questions, draft, mode === 'continue');
    setErrors(problems);
    if (problems.length) return;
    setBusy(true);
    try {
      const patch = pagePatch(topic.questions, draft);
      const saved = id === 'new'
        ? await unwrap(api.POST('/api/cases', { body: { title: patch.title, answers: patch.answers } }))
        : await unwrap(api.PATCH('/api/cases/{id}', { params: { path: { id: id! } }, body: { ...(patch.title !== undefined ? { title: patch.title } : {}), answers: patch.answers } }));
      if (mode === 'later') void navigate('/cases/mine', { state: { success: `Your draft ${saved.reference} is saved. You can come back to it from this page.` } });
      else if (fromCheck || index === TOPICS.length - 1) void navigate(`/cases/${saved.id}/check`);
      else void navigate(`/cases/${saved.id}/topic/${TOPICS[index + 1].slug}`);
    } catch (err) {
      const fields = err instanceof ApiError ? err.fields : [];
      setErrors(fields.length ? fields.map((f) => ({ href: f.field.replace(/\[(\d+)\]\./g, '-$1-'), message: f.message })) : [{ href: '', message: errorMessage(err) }]);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save('continue');
  };

  const question = (q: Question) => {
    const common = { id: q.id, label: q.label, hint: q.hint + (q.optional ? ' (optional)' : ''), error: errorFor(q.id) };
    const why = <WhyWeAsk key={`${q.id}-why`}>{q.why}</WhyWeAsk>;
    if (q.id === 'title') return [<TextInput key={q.id} {...common} value={draft.title} onChange={(v) => setDraft({ ...draft, title: v })} />, why];
    const v = draft.answers[q.id];
    switch (q.kind) {
      case 'text':
        return [<TextInput key={q.id} {...common} value={(v as string) ?? ''} onChange={(x) => set(q.id as keyof CaseAnswers, x)} />, why];
      case 'textarea':
        return [<Textarea key={q.id} {...common} value={(v as string) ?? ''} onChange={(x) => set(q.id as keyof CaseAnswers, x)} />, why];
      case 'date':
        return [<TextInput key={q.id} {...common} type="date" width="10" value={(v as string) ?? ''} onChange={(x) => set(q.id as keyof CaseAnswers, x)} />, why];
      case 'checkboxes':
        return [<Checkboxes key={q.id} {...common} values={(v as string[]) ?? []} options={q.options!} onChange={(x) => set(q.id as keyof CaseAnswers, x)} />, why];
      case 'areas':
        return [
          <Checkboxes key={q.id} {...common} values={(v as string[]) ?? []} options={q.options!}
            onChange={(x) => set('sensitiveAreas', x)}
            exclusive={{ label: 'None of these apply', checked: Array.isArray(v) && v.length === 0, onChange: (on) => set('sensitiveAreas', on ? [] : undefined) }} />,
          why,
        ];
      case 'partners':
        return [
          <div key={q.id}>
            <h1 className="govuk-heading-l">{q.label}</h1>
            <p className="govuk-hint">{q.hint}</p>
            {why}
            {partners.map((p, i) => (
              <fieldset className="govuk-fieldset tr-repeat" key={i}>
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Partner {i + 1}</legend>
                <TextInput id={`partners-${i}-name`} label="Organisation name" value={p.name} error={errorFor(`partners-${i}-name`)}
                  onChange={(x) => setPartners(partners.map((r, j) => (j === i ? { ...r, name: x } : r)))} />
                <Select id={`partners-${i}-country`} label="Country" hint="The country where it is based." options={COUNTRY_OPTIONS}
                  value={p.country.toUpperCase()} error={errorFor(`partners-${i}-country`)} onChange={(x) => setPartners(partners.map((r, j) => (j === i ? { ...r, country: x } : r)))} />
                <Select id={`partners-${i}-type`} label="Type of organisation" value={p.type} options={PARTNER_TYPE_OPTIONS} error={errorFor(`partners-${i}-type`)}
                  onChange={(x) => setPartners(partners.map((r, j) => (j === i ? { ...r, type: x } : r)))} />
                <button type="button" className="govuk-button govuk-button--secondary" onClick={() => setPartners(partners.filter((_, j) => j !== i))}>
                  Remove<span className="govuk-visually-hidden"> partner {i + 1}</span>
                </button>
              </fieldset>
            ))}
            <div className={`govuk-form-group${errorFor('partner-add') ? ' govuk-form-group--error' : ''}`}>
              {errorFor('partner-add') && <p className="govuk-error-message" id="partner-add-error"><span className="govuk-visually-hidden">Error:</span> {errorFor('partner-add')}</p>}
              <button type="button" id="partner-add" className="govuk-button govuk-button--secondary" onClick={() => setPartners([...partners, { name: '', country: '', type: '' }])}>
                {partners.length ? 'Add another partner' : 'Add a partner'}
              </button>
            </div>
          </div>,
        ];
    }
  };

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link className="govuk-back-link" to={index === 0 ? '/cases/new' : `/cases/${id}/topic/${TOPICS[index - 1].slug}`}>Back</Link>
        <ErrorSummary errors={errors} />
        <span className="govuk-caption-l">Section {index + 1} of {TOPICS.length}{c ? ` · ${c.reference}` : ''}</span>
        {topic.questions.length > 1 || topic.questions[0].kind !== 'partners' ? <h1 className="govuk-heading-l">{topic.title}</h1> : null}
        <form onSubmit={submit} noValidate>
          {topic.questions.flatMap((q) => question(q))}
          <div className="govuk-button-group">
            <button type="submit" className="govuk-button" disabled={busy}>{fromCheck ? 'Save and return to check your answers' : 'Save and continue'}</button>
            <button type="button" className="govuk-button govuk-button--secondary" disabled={busy} onClick={() => void save('later')}>Save as draft and come back later</button>
          </div>
        </form>
      </div>
    </div>
  );
}

export function answerRows(title: string | null, a: CaseAnswers, changeBase?: string) {
  const action = (slug: string, hidden: string) => (changeBase ? { to: `${changeBase}/topic/${slug}?from=check`, label: 'Change', hidden } : undefined);
  const none = <span className="govuk-hint">Not answered</span>;
  const list = (xs: string[] | undefined, labels: Record<string, string>) =>
    xs && xs.length ? <ul className="govuk-list">{xs.map((x) => <li key={x}>{labels[x] ?? x}</li>)}</ul> : null;
  return [
    { key: 'Title', value: title || none, action: action('collaboration', 'title') },
    { key: 'What it involves', value: a.summary || none, action: action('collaboration', 'summary') },
    { key: 'Activity', value: list(a.activityTypes, ACTIVITY_TYPE_LABELS) ?? none, action: action('collaboration', 'activity') },
    { key: 'Starts', value: a.startDate || none, action: action('collaboration', 'start date') },
    { key: 'Ends', value: a.endDate || <span className="govuk-hint">No fixed end</span>, action: action('collaboration', 'end date') },
    { key: 'Funding', value: a.fundingSource || none, action: action('collaboration', 'funding') },
    {
      key: 'Partners',
      value: a.partners?.length ? (
        <ul className="govuk-list">{a.partners.map((p, i) => <li key={i}>{p.name || '(no name)'}, {countryName(p.country) || 'no country'}, {(PARTNER_TYPE_LABELS as Record<string, string>)[p.type] ?? p.type}</li>)}</ul>
      ) : none,
      action: action('partners', 'partners'),
    },
    {
      key: 'Sensitive areas',
      value: a.sensitiveAreas === undefined ? none : a.sensitiveAreas.length === 0 ? 'None of these apply' : list(a.sensitiveAreas, NSI_AREA_LABELS),
      action: action('technology', 'sensitive areas'),
    },
    { key: 'Data shared', value: a.dataSharing || <span className="govuk-hint">Nothing given</span>, action: action('data-and-people', 'data shared') },
    { key: 'People', value: a.people || <span className="govuk-hint">Nothing given</span>, action: action('data-and-people', 'people') },
  ];
}

export function CheckAnswersPage() {
  const { id } = useParams();
  usePageTitle('Check your answers');
  const navigate = useNavigate();
  const { c, error } = useDraft(id);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  if (error) return <ErrorSummary errors={[{ href: '', message: error }]} />;
  if (!c) return <Spinner />;
  // The same completeness rule the server applies at submit (libs/domain).
  const missing = missingFields(c.title, c.answers ?? {});

  const submit = async () => {
    setBusy(true);
    try {
      const r = await unwrap(api.POST('/api/cases/{id}/actions/{action}', { params: { path: { id: c.id, action: 'submit' } }, body: { expectedVersion: c.version } }));
      void navigate(`/cases/${c.id}`, { state: { success: `Case ${r.case.reference} submitted. The research office will triage it; you will get an email when something is needed from you.` } });
    } catch (err) {
      const fields = err instanceof ApiError ? err.fields : [];
      setErrors([{ href: '', message: errorMessage(err) }, ...fields.map((f) => ({ href: '', message: f.message }))]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link className="govuk-back-link" to={`/cases/${c.id}/topic/${TOPICS[TOPICS.length - 1].slug}`}>Back</Link>
        <ErrorSummary errors={errors} />
        <span className="govuk-caption-l">{c.reference}</span>
        <h1 className="govuk-heading-l">Check your answers before submitting</h1>
        {missing.length > 0 && (
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">!</span>
            <div className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              Some answers are missing. You can submit once they are given:
              <ul className="govuk-list govuk-list--bullet">
                {missing.map((m) => (
                  <li key={m.field}><Link className="govuk-link" to={`/cases/${c.id}/topic/${topicForField(m.field).slug}?from=check`}>{m.message}</Link></li>
                ))}
              </ul>
            </div>
          </div>
        )}
        {TOPICS.map((t) => {
          const slugs = new Set([t.slug]);
          const rows = answerRows(c.title, c.answers ?? {}, `/cases/${c.id}`).filter((r) => r.action && slugs.has(r.action.to.split('/topic/')[1].split('?')[0]));
          return (
            <div key={t.slug}>
              <h2 className="govuk-heading-m">{t.title}</h2>
              <SummaryList rows={rows} />
            </div>
          );
        })}
        <h2 className="govuk-heading-m">Now submit your case</h2>
        <p className="govuk-body">By submitting you confirm the answers are correct to the best of your knowledge. The research office may ask you for more information.</p>
        <div className="govuk-button-group">
          <button type="button" className="govuk-button" disabled={busy || missing.length > 0} onClick={() => void submit()}>Submit case</button>
          <Link className="govuk-link" to="/cases/mine">Save and come back later</Link>
        </div>
      </div>
    </div>
  );
}
