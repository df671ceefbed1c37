/**
 * The new-case flow: one section per page, drafts saved as you go, check your answers,
 * submit. The pages are drawn from the questionnaire the API serves
 * (GET /api/questionnaires/:version): a new draft answers the current version, a
 * submitted case is shown under the version it answered. Nothing here restates a question.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { answerProblems, ANSWER_MAX_TEXT, missingFields, type CaseAnswers } from '@app/domain/questionnaire';
import { FUNDING_TYPE_OPTIONS, PARTNER_TYPE_OPTIONS, YES_NO_UNSURE_OPTIONS } from '@app/domain/questionnaire-definition';
import { api, ApiError, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import {
  CharacterCount,
  Checkboxes,
  DateInput,
  ErrorSummary,
  isRealDate,
  Radios,
  Select,
  Spinner,
  SummaryList,
  TextInput,
  usePageTitle,
  WhyWeAsk,
  type FieldError,
} from '../components/govuk';
import { formatDate } from '../labels';
import { COUNTRY_OPTIONS, countryName } from '../countries';

type CaseView = Schemas['CaseView'];
type Definition = Schemas['Questionnaire'];
type Section = Schemas['QuestionnaireSection'];
type Question = Schemas['Question'];
type Answers = Record<string, unknown>;
interface Draft {
  title: string;
  answers: Answers;
}
type Row = Record<string, string>;

// Definitions never change once published: one request per version per page load.
const definitions = new Map<number, Promise<Definition>>();
let current: Promise<number> | null = null;
function loadDefinition(version: number): Promise<Definition> {
  let p = definitions.get(version);
  if (!p) {
    p = unwrap(api.GET('/api/questionnaires/{version}', { params: { path: { version } } }));
    p.catch(() => definitions.delete(version));
    definitions.set(version, p);
  }
  return p;
}
function currentVersion(): Promise<number> {
  current ??= unwrap(api.GET('/api/questionnaires')).then((r) => r.current);
  current.catch(() => (current = null));
  return current;
}

/** A draft answers the current questionnaire; a submitted case the version it answered. */
export function useQuestionnaire(c: Pick<CaseView, 'state' | 'questionnaireVersion'> | null | 'new'): { def: Definition | null; error: string } {
  const [def, setDef] = useState<Definition | null>(null);
  const [error, setError] = useState('');
  const key = c === 'new' ? 'new' : c ? `${c.state}-${c.questionnaireVersion}` : '';
  useEffect(() => {
    if (!c) return;
    const version = c === 'new' || c.state === 'draft' ? currentVersion() : Promise.resolve(c.questionnaireVersion);
    version.then(loadDefinition).then(setDef, (e) => setError(errorMessage(e)));
  }, [key]);
  return { def, error };
}

/** The first section also asks the title (a case field, not an answer). */
const TITLE: Question = {
  id: 'title',
  kind: 'text',
  label: 'Title of the collaboration',
  why: 'The title identifies the case in lists and in every email about it.',
  required: true,
};
const questionsOf = (def: Definition, s: Section): Question[] => (s === def.sections[0] ? [TITLE, ...s.questions] : s.questions);

/** An API field path ("partners[0].country", "checklist.ps_misuse.comment") as the id of its input. */
export const fieldId = (field: string) =>
  field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .join('-');
const rootOf = (field: string) => (field.startsWith('checklist.') ? field.split('.').slice(0, 2).join('.') : field.replace(/[[.].*$/, ''));
const keyOf = (q: Question) => (q.checklist ? `checklist.${q.id}` : q.id);

/** Where "none" is an answer ([]); activity types need at least one (libs/domain missingFields). */
const noneLabel = (q: Question) => (q.id === 'activityTypes' ? null : q.id === 'sensitiveAreas' ? 'None of these apply' : 'None of these');

function pageProblems(def: Definition, section: Section, d: Draft, requireAll: boolean): FieldError[] {
  const keys = new Set(questionsOf(def, section).map(keyOf));
  const out: FieldError[] = [];
  for (const q of questionsOf(def, section)) {
    const v = d.answers[q.id];
    if (q.kind === 'date' && typeof v === 'string' && v && !isRealDate(v))
      out.push({ href: q.id, message: `${q.label} must be a real date, for example 27 3 2027` });
  }
  if (out.length) return out;
  // The API's own checks (libs/domain), so the sentences match what it would refuse with.
  const problems = [...answerProblems(d.answers), ...(requireAll ? missingFields(d.title, d.answers as CaseAnswers, def.version) : [])];
  const seen = new Set<string>();
  for (const p of problems) {
    if (!keys.has(rootOf(p.field)) || seen.has(p.field)) continue;
    seen.add(p.field);
    out.push({ href: fieldId(p.field), message: p.message });
  }
  return out;
}

/** Only this page's answers go to the server (the checklist goes whole: it is one answer). */
function pagePatch(def: Definition, section: Section, d: Draft): { title?: string; answers: Answers } {
  const answers: Answers = {};
  let title: string | undefined;
  for (const q of questionsOf(def, section)) {
    if (q.id === 'title') title = d.title.trim();
    else if (q.checklist) answers.checklist = d.answers.checklist ?? {};
    else if (d.answers[q.id] !== undefined && d.answers[q.id] !== '') answers[q.id] = d.answers[q.id];
  }
  return { title, answers };
}

function useCase(id: string | undefined) {
  const [c, setC] = useState<CaseView | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!id || id === 'new') return;
    unwrap(api.GET('/api/cases/{id}', { params: { path: { id } } })).then(setC, (e) => setError(errorMessage(e)));
  }, [id]);
  return { c, error };
}

export function NewCaseStartPage() {
  usePageTitle('Start a new case');
  const { def, error } = useQuestionnaire('new');
  if (error) return <ErrorSummary errors={[{ href: '', message: error }]} />;
  if (!def) return <Spinner />;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Tell us about an international collaboration</h1>
        <p className="govuk-body">
          The research office checks collaborations with organisations outside the UK for national-security and export-control risk, as the government's Trusted
          Research guidance asks universities to do.
        </p>
        <p className="govuk-body">There are {def.sections.length} short sections:</p>
        <ol className="govuk-list govuk-list--number">
          {def.sections.map((s) => (
            <li key={s.id}>{s.title}</li>
          ))}
        </ol>
        <p className="govuk-body">Your answers are saved as a draft on every page, so you can stop and come back. You check everything before you submit.</p>
        <Link to={`/cases/new/topic/${def.sections[0].id}`} role="button" draggable="false" className="govuk-button govuk-button--start">
          Start now
          <svg
            className="govuk-button__start-icon"
            xmlns="http://www.w3.org/2000/svg"
            width="17.5"
            height="19"
            viewBox="0 0 33 40"
            aria-hidden="true"
            focusable="false"
          >
            <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
          </svg>
        </Link>
      </div>
    </div>
  );
}

/** Rows of organisations (partners, funders): name, country by name, kind. */
function PartyRows({
  q,
  rows,
  kindOptions,
  errorFor,
  onChange,
  what,
}: {
  q: Question;
  rows: Row[];
  kindOptions: readonly { value: string; label: string }[];
  errorFor(href: string): string | undefined;
  onChange(rows: Row[]): void;
  what: string;
}) {
  const set = (i: number, k: string, v: string) => onChange(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  const addId = `${q.id}-add`;
  return (
    <div>
      <h2 className="govuk-heading-m" id={q.id}>
        {q.label}
      </h2>
      <WhyWeAsk>{q.why}</WhyWeAsk>
      {errorFor(q.id) && (
        <p className="govuk-error-message">
          <span className="govuk-visually-hidden">Error:</span> {errorFor(q.id)}
        </p>
      )}
      {rows.map((p, i) => (
        <fieldset className="govuk-fieldset tr-repeat" key={i}>
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
            {what} {i + 1}
          </legend>
          <TextInput
            id={`${q.id}-${i}-name`}
            label="Organisation name"
            value={p.name ?? ''}
            error={errorFor(`${q.id}-${i}-name`)}
            onChange={(x) => set(i, 'name', x)}
          />
          <Select
            id={`${q.id}-${i}-country`}
            label="Country"
            hint="The country where it is based."
            options={COUNTRY_OPTIONS}
            value={(p.country ?? '').toUpperCase()}
            error={errorFor(`${q.id}-${i}-country`)}
            onChange={(x) => set(i, 'country', x)}
          />
          <Select
            id={`${q.id}-${i}-type`}
            label={q.kind === 'funders' ? 'Kind of funder' : 'Type of organisation'}
            value={p.type ?? ''}
            options={[...kindOptions]}
            error={errorFor(`${q.id}-${i}-type`)}
            onChange={(x) => set(i, 'type', x)}
          />
          <button type="button" className="govuk-button govuk-button--secondary" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            Remove
            <span className="govuk-visually-hidden">
              {' '}
              {what.toLowerCase()} {i + 1}
            </span>
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        id={addId}
        className="govuk-button govuk-button--secondary"
        onClick={() => onChange([...rows, { name: '', country: '', type: '' }])}
      >
        {rows.length ? `Add another ${what.toLowerCase()}` : `Add a ${what.toLowerCase()}`}
      </button>
    </div>
  );
}

export function TopicPage() {
  const { id, slug } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const fromCheck = new URLSearchParams(location.search).get('from') === 'check';
  const { c, error: loadError } = useCase(id);
  const { def, error: defError } = useQuestionnaire(id === 'new' ? 'new' : c);
  const section = def?.sections.find((s) => s.id === slug);
  usePageTitle(section?.title ?? 'New case');
  const [draft, setDraft] = useState<Draft>({ title: '', answers: {} });
  const [loaded, setLoaded] = useState(id === 'new');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (c) {
      setDraft({ title: c.title ?? '', answers: (c.answers ?? {}) as Answers });
      setLoaded(true);
    }
  }, [c]);
  useEffect(() => setErrors([]), [slug]);

  if (loadError || defError) return <ErrorSummary errors={[{ href: '', message: loadError || defError }]} />;
  if (!loaded || !def) return <Spinner />;
  if (!section) return <p className="govuk-body">There is no such section.</p>;
  if (c && c.state !== 'draft') {
    return (
      <p className="govuk-body">
        This case has been submitted and can no longer be edited here.{' '}
        <Link className="govuk-link" to={`/cases/${c.id}`}>
          View the case
        </Link>
        .
      </p>
    );
  }

  const index = def.sections.indexOf(section);
  const set = (k: string, v: unknown) => setDraft((d) => ({ ...d, answers: { ...d.answers, [k]: v } }));
  const checklist = (draft.answers.checklist ?? {}) as Record<string, { answer?: string; comment?: string }>;
  const setCheck = (qid: string, patch: { answer?: string; comment?: string }) => {
    const next = { ...checklist[qid], ...patch };
    if (next.answer === 'no' || !next.comment) delete next.comment;
    set('checklist', { ...checklist, [qid]: next });
  };
  const errorFor = (href: string) => errors.find((e) => e.href === href)?.message;

  const save = async (mode: 'continue' | 'later') => {
    const problems = pageProblems(def, section, draft, mode === 'continue');
    setErrors(problems);
    if (problems.length) return;
    setBusy(true);
    try {
      const patch = pagePatch(def, section, draft);
      const saved =
        id === 'new'
          ? await unwrap(api.POST('/api/cases', { body: { title: patch.title, answers: patch.answers } }))
          : await unwrap(
              api.PATCH('/api/cases/{id}', {
                params: { path: { id: id! } },
                body: { ...(patch.title !== undefined ? { title: patch.title } : {}), answers: patch.answers },
              }),
            );
      if (mode === 'later')
        void navigate('/cases/mine', { state: { success: `Your draft ${saved.reference} is saved. You can come back to it from this page.` } });
      else if (fromCheck || index === def.sections.length - 1) void navigate(`/cases/${saved.id}/check`);
      else void navigate(`/cases/${saved.id}/topic/${def.sections[index + 1].id}`);
    } catch (err) {
      const fields = err instanceof ApiError ? err.fields : [];
      setErrors(fields.length ? fields.map((f) => ({ href: fieldId(f.field), message: f.message })) : [{ href: '', message: errorMessage(err) }]);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save('continue');
  };

  const question = (q: Question): ReactNode => {
    const optional = q.required ? '' : ' (optional)';
    const common = { id: q.id, label: q.label + optional, error: errorFor(q.id) };
    const why = <WhyWeAsk>{q.why}</WhyWeAsk>;
    const v = draft.answers[q.id];
    const str = typeof v === 'string' ? v : '';
    const options = q.options ?? [];
    let input: ReactNode;
    if (q.id === 'title') {
      input = (
        <TextInput
          {...common}
          value={draft.title}
          onChange={(x) => setDraft({ ...draft, title: x })}
          hint='A short name the research office will recognise, such as "Thin films with Toronto".'
        />
      );
    } else if (q.checklist) {
      const a = checklist[q.id] ?? {};
      const cid = `checklist-${q.id}`;
      input = (
        <>
          <Radios
            id={cid}
            label={q.label}
            value={a.answer ?? ''}
            error={errorFor(cid)}
            inline
            options={[...YES_NO_UNSURE_OPTIONS]}
            onChange={(x) => setCheck(q.id, { answer: x })}
          />
          {a.answer && a.answer !== 'no' && (
            <CharacterCount
              id={`${cid}-comment`}
              label="Explain your answer"
              maxLength={ANSWER_MAX_TEXT}
              rows={3}
              value={a.comment ?? ''}
              error={errorFor(`${cid}-comment`)}
              onChange={(x) => setCheck(q.id, { comment: x })}
            />
          )}
        </>
      );
    } else {
      switch (q.kind) {
        case 'longtext':
          input = <CharacterCount {...common} maxLength={ANSWER_MAX_TEXT} value={str} onChange={(x) => set(q.id, x)} />;
          break;
        case 'date':
          input = <DateInput {...common} value={str} onChange={(x) => set(q.id, x || undefined)} />;
          break;
        case 'money':
          input = (
            <TextInput
              {...common}
              inputMode="numeric"
              width="10"
              hint="In pounds, for example 250000."
              value={typeof v === 'number' ? String(v) : str}
              onChange={(x) => set(q.id, /^\d+(\.\d+)?$/.test(x.trim()) ? Number(x.trim()) : x || undefined)}
            />
          );
          break;
        case 'choice':
        case 'yes_no_unsure':
          input =
            options.length > 8 ? (
              <Select {...common} value={str} options={[...options]} onChange={(x) => set(q.id, x || undefined)} />
            ) : (
              <Radios {...common} value={str} options={[...options]} onChange={(x) => set(q.id, x)} />
            );
          break;
        case 'multi': {
          if (!options.length) {
            // A free list (e.g. candidate control-list entries), written separated by commas.
            input = (
              <TextInput
                {...common}
                hint="Separate entries with commas."
                value={Array.isArray(v) ? v.join(', ') : str}
                onChange={(x) =>
                  set(
                    q.id,
                    x.trim()
                      ? x
                          .split(',')
                          .map((s) => s.trim())
                          .filter(Boolean)
                      : undefined,
                  )
                }
              />
            );
            break;
          }
          const none = noneLabel(q);
          input = (
            <Checkboxes
              {...common}
              values={Array.isArray(v) ? (v as string[]) : []}
              options={options.map((o) => ({ value: o.value, label: o.label }))}
              onChange={(x) => set(q.id, x)}
              exclusive={none ? { label: none, checked: Array.isArray(v) && v.length === 0, onChange: (on) => set(q.id, on ? [] : undefined) } : undefined}
            />
          );
          break;
        }
        case 'partners':
        case 'funders': {
          const rows = Array.isArray(v) ? (v as Row[]) : [];
          input = (
            <>
              <PartyRows
                q={q}
                rows={rows}
                kindOptions={q.kind === 'funders' ? FUNDING_TYPE_OPTIONS : PARTNER_TYPE_OPTIONS}
                errorFor={errorFor}
                what={q.kind === 'funders' ? 'Funder' : 'Partner'}
                onChange={(r) => set(q.id, r)}
              />
              {q.kind === 'funders' && rows.length === 0 && (
                <Checkboxes
                  id={`${q.id}-none`}
                  label="If there is no funder"
                  values={Array.isArray(v) ? ['none'] : []}
                  options={[{ value: 'none', label: 'The work is unfunded' }]}
                  onChange={(x) => set(q.id, x.length ? [] : undefined)}
                />
              )}
            </>
          );
          return <div key={q.id}>{input}</div>;
        }
        default:
          input = <TextInput {...common} value={str} onChange={(x) => set(q.id, x)} />;
      }
    }
    return (
      <div key={q.id}>
        {input}
        {why}
      </div>
    );
  };

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link className="govuk-back-link" to={index === 0 ? '/cases/new' : `/cases/${id}/topic/${def.sections[index - 1].id}`}>
          Back
        </Link>
        <ErrorSummary errors={errors} />
        <span className="govuk-caption-l">
          Section {index + 1} of {def.sections.length}
          {c ? ` · ${c.reference}` : ''}
        </span>
        <h1 className="govuk-heading-l">{section.title}</h1>
        <form onSubmit={submit} noValidate>
          {questionsOf(def, section).map(question)}
          <div className="govuk-button-group">
            <button type="submit" className="govuk-button" disabled={busy}>
              {fromCheck ? 'Save and return to check your answers' : 'Save and continue'}
            </button>
            <button type="button" className="govuk-button govuk-button--secondary" disabled={busy} onClick={() => void save('later')}>
              Save as draft and come back later
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

/** One answer as the person reads it: labels, not codes; dates as "30 November 2026". */
export function answerValue(q: Question, answers: Answers): ReactNode {
  const none = <span className="govuk-hint">Not answered</span>;
  if (q.checklist) {
    const a = ((answers.checklist ?? {}) as Record<string, { answer?: string; comment?: string }>)[q.id];
    if (!a?.answer) return none;
    const label = YES_NO_UNSURE_OPTIONS.find((o) => o.value === a.answer)?.label ?? a.answer;
    return a.comment ? (
      <>
        {label}
        <br />
        <span className="govuk-body-s">{a.comment}</span>
      </>
    ) : (
      label
    );
  }
  const v = answers[q.id];
  if (v === undefined || v === null || v === '') return none;
  const label = (x: unknown) => q.options?.find((o) => o.value === x)?.label ?? String(x);
  switch (q.kind) {
    case 'date':
      return formatDate(String(v));
    case 'money':
      return typeof v === 'number' ? `£${v.toLocaleString('en-GB')}` : String(v);
    case 'multi':
      return Array.isArray(v) ? (
        v.length ? (
          <ul className="govuk-list">
            {v.map((x) => (
              <li key={String(x)}>{label(x)}</li>
            ))}
          </ul>
        ) : (
          'None'
        )
      ) : (
        String(v)
      );
    case 'partners':
    case 'funders': {
      if (!Array.isArray(v)) return String(v);
      if (!v.length) return q.kind === 'funders' ? 'Unfunded' : none;
      const kinds = q.kind === 'funders' ? FUNDING_TYPE_OPTIONS : PARTNER_TYPE_OPTIONS;
      return (
        <ul className="govuk-list">
          {(v as Row[]).map((p, i) => (
            <li key={i}>
              {p.name || '(no name)'}, {countryName(p.country) || 'no country'}, {kinds.find((o) => o.value === p.type)?.label ?? p.type}
            </li>
          ))}
        </ul>
      );
    }
    default:
      return typeof v === 'string' ? v : label(v);
  }
}

/** Every section with its answers; with `changeBase`, each row links to its page. */
export function AnswerSections({
  def,
  title,
  answers,
  changeBase,
  headingLevel = 2,
}: {
  def: Definition;
  title: string | null;
  answers: Answers;
  changeBase?: string;
  headingLevel?: 2 | 3;
}) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <>
      {def.sections.map((s) => (
        <div key={s.id}>
          <H className={headingLevel === 2 ? 'govuk-heading-m' : 'govuk-heading-s'}>{s.title}</H>
          <SummaryList
            rows={questionsOf(def, s).map((q) => ({
              key: q.label,
              value: q.id === 'title' ? title || <span className="govuk-hint">Not answered</span> : answerValue(q, answers),
              action: changeBase ? { to: `${changeBase}/topic/${s.id}?from=check`, label: 'Change', hidden: q.label.toLowerCase() } : undefined,
            }))}
          />
        </div>
      ))}
    </>
  );
}

/** The case page's answers, under the questions of the version the case answered. */
export function CaseAnswerSections({ c }: { c: CaseView }) {
  const { def, error } = useQuestionnaire(c);
  if (error) return <p className="govuk-body">{error}</p>;
  if (!def) return <Spinner />;
  return <AnswerSections def={def} title={c.title} answers={(c.answers ?? {}) as Answers} headingLevel={3} />;
}

export function CheckAnswersPage() {
  const { id } = useParams();
  usePageTitle('Check your answers');
  const navigate = useNavigate();
  const { c, error } = useCase(id);
  const { def, error: defError } = useQuestionnaire(c);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  if (error || defError) return <ErrorSummary errors={[{ href: '', message: error || defError }]} />;
  if (!c || !def) return <Spinner />;
  // The same completeness rule the server applies at submit (libs/domain), for this version.
  const missing = missingFields(c.title, (c.answers ?? {}) as CaseAnswers, def.version);
  const sectionFor = (field: string) => def.sections.find((s) => questionsOf(def, s).some((q) => keyOf(q) === rootOf(field))) ?? def.sections[0];

  const submit = async () => {
    setBusy(true);
    try {
      const r = await unwrap(
        api.POST('/api/cases/{id}/actions/{action}', { params: { path: { id: c.id, action: 'submit' } }, body: { expectedVersion: c.version } }),
      );
      void navigate(`/cases/${c.id}`, {
        state: { success: `Case ${r.case.reference} submitted. The research office will triage it; you will get an email when something is needed from you.` },
      });
    } catch (err) {
      const fields = err instanceof ApiError ? err.fields : [];
      setErrors(fields.length ? fields.map((f) => ({ href: '', message: f.message })) : [{ href: '', message: errorMessage(err) }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link className="govuk-back-link" to={`/cases/${c.id}/topic/${def.sections[def.sections.length - 1].id}`}>
          Back
        </Link>
        <ErrorSummary errors={errors} />
        <span className="govuk-caption-l">{c.reference}</span>
        <h1 className="govuk-heading-l">Check your answers before submitting</h1>
        {missing.length > 0 && (
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <div className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              Some answers are missing. You can submit once they are given:
              <ul className="govuk-list govuk-list--bullet">
                {missing.map((m) => (
                  <li key={m.field}>
                    <Link className="govuk-link" to={`/cases/${c.id}/topic/${sectionFor(m.field).id}?from=check`}>
                      {m.message}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          </div>
        )}
        <AnswerSections def={def} title={c.title} answers={(c.answers ?? {}) as Answers} changeBase={`/cases/${c.id}`} />
        <h2 className="govuk-heading-m">Now submit your case</h2>
        <p className="govuk-body">
          By submitting you confirm the answers are correct to the best of your knowledge. The research office may ask you for more information.
        </p>
        <div className="govuk-button-group">
          <button type="button" className="govuk-button" disabled={busy || missing.length > 0} onClick={() => void submit()}>
            Submit case
          </button>
          <Link className="govuk-link" to="/cases/mine">
            Save and come back later
          </Link>
        </div>
      </div>
    </div>
  );
}

/** What a reply to a request for information changed, question by question: before and after. */
export function AnswerDiff({ diff }: { diff: Record<string, { from: unknown; to: unknown }> }) {
  const { def } = useQuestionnaire('new');
  const questions = def ? def.sections.flatMap((s) => s.questions) : [];
  const keys = Object.keys(diff);
  if (!keys.length) return null;
  return (
    <table className="govuk-table govuk-!-font-size-16 tr-answer-diff">
      <caption className="govuk-table__caption govuk-table__caption--s">Answers changed in this reply</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">
            Question
          </th>
          <th scope="col" className="govuk-table__header">
            Before
          </th>
          <th scope="col" className="govuk-table__header">
            After
          </th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {keys.map((k) => {
          const q = questions.find((x) => x.id === k) ?? { id: k, kind: 'text' as const, label: k, why: '', required: false };
          return (
            <tr className="govuk-table__row" key={k}>
              <th scope="row" className="govuk-table__header">
                {q.label}
              </th>
              <td className="govuk-table__cell">
                <del>{answerValue(q, { [k]: diff[k].from })}</del>
              </td>
              <td className="govuk-table__cell">
                <ins>{answerValue(q, { [k]: diff[k].to })}</ins>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Kinds a researcher can change while answering a request (rows and the checklist stay on the draft pages). */
const CHANGEABLE = new Set<Question['kind']>(['text', 'longtext', 'date', 'money', 'choice', 'yes_no_unsure']);

/**
 * The researcher answers a request for information by changing answers: pick a question,
 * give the new answer; the officer then sees the change as a before-and-after.
 */
export function AnswerChanges({ c, changes, onChange }: { c: CaseView; changes: Answers; onChange(next: Answers): void }) {
  const { def } = useQuestionnaire(c);
  const [pick, setPick] = useState('');
  if (!def) return null;
  const questions = def.sections.flatMap((s) => s.questions).filter((q) => !q.checklist && CHANGEABLE.has(q.kind));
  const answers = { ...((c.answers ?? {}) as Answers), ...changes };
  const q = questions.find((x) => x.id === pick);
  const set = (v: unknown) => onChange({ ...changes, [pick]: v });
  const v = answers[pick];
  const str = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
  let input: ReactNode = null;
  if (q) {
    const common = { id: `change-${q.id}`, label: `New answer: ${q.label}` };
    if (q.kind === 'longtext') input = <CharacterCount {...common} maxLength={ANSWER_MAX_TEXT} value={str} onChange={set} />;
    else if (q.kind === 'date') input = <DateInput {...common} value={str} onChange={set} />;
    else if (q.kind === 'money')
      input = <TextInput {...common} inputMode="numeric" width="10" value={str} onChange={(x) => set(/^\d+$/.test(x.trim()) ? Number(x.trim()) : x)} />;
    else if (q.options?.length) input = <Radios {...common} value={str} options={[...q.options]} onChange={set} />;
    else input = <TextInput {...common} value={str} onChange={set} />;
  }
  return (
    <div className="govuk-!-margin-bottom-6">
      <h2 className="govuk-heading-m">Change your answers (optional)</h2>
      <p className="govuk-body">If the question means an answer you gave is no longer right, change it here. The research office sees what changed.</p>
      {Object.keys(changes).length > 0 && (
        <ul className="govuk-list govuk-list--bullet">
          {Object.keys(changes).map((k) => {
            const qq = questions.find((x) => x.id === k);
            return (
              <li key={k}>
                {qq?.label ?? k}: {qq ? answerValue(qq, changes) : String(changes[k])}{' '}
                <button
                  type="button"
                  className="govuk-link tr-link-button"
                  onClick={() => {
                    const next = { ...changes };
                    delete next[k];
                    onChange(next);
                  }}
                >
                  Undo<span className="govuk-visually-hidden"> the change to {qq?.label ?? k}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <Select
        id="change-question"
        label="Which answer changes?"
        value={pick}
        options={questions.map((x) => ({ value: x.id, label: x.label }))}
        onChange={setPick}
      />
      {input}
    </div>
  );
}
