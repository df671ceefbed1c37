/**
 * Service levels (admins): each stage's target, at-risk share and ladder; working hours,
 * head of the research office and information reminders; the university's closure days.
 * Every change is audited by the API; a changed policy moves the open clocks of its stage.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { describeSlaDuration } from '@app/domain/business-time';
import { SLA_STAGES } from '@app/domain/sla';
import { ISO_WEEKDAY_LABELS, LADDER_AUDIENCE_LABELS, LADDER_STEP_TYPE_LABELS } from '@app/domain/sla-labels';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import { DateFields, EMPTY_DATE, toIsoDate, type DateParts } from '../components/DateFields';
import { Checkboxes, ErrorSummary, Select, Spinner, SuccessBanner, TextInput, usePageTitle, type FieldError } from '../components/govuk';
import { formatDate, labelOf, STATE_LABELS } from '../labels';

type SlaPolicy = Schemas['SlaPolicy'];
type SlaSettings = Schemas['SlaSettings'];
type ClosureDay = Schemas['ClosureDay'];
type StaffMember = Schemas['StaffMember'];

type LadderStep = Schemas['SlaLadderStep'];
/** A ladder step as typed: numbers stay text until saved. */
interface StepDraft {
  type: LadderStep['type'];
  at: string;
  plus: string;
  to: LadderStep['to'];
  kind: string | null;
}

const STEP_TYPE_OPTIONS = Object.entries(LADDER_STEP_TYPE_LABELS).map(([value, label]) => ({ value, label }));
const AUDIENCE_OPTIONS = Object.entries(LADDER_AUDIENCE_LABELS).map(([value, label]) => ({ value, label }));
const WEEKDAY_OPTIONS = Object.entries(ISO_WEEKDAY_LABELS).map(([value, label]) => ({ value, label }));

/** "3 working days", or the text itself if the API holds a length this page cannot read. */
function duration(text: string): string {
  try {
    return describeSlaDuration(text);
  } catch {
    return text;
  }
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function ladderText(p: SlaPolicy): string {
  return p.ladder
    .map(
      (s) =>
        `${labelOf(LADDER_STEP_TYPE_LABELS, s.type)} at ${s.at}%${s.plus ? ` plus ${duration(s.plus)}` : ''} to ${lowerFirst(labelOf(LADDER_AUDIENCE_LABELS, s.to))}`,
    )
    .join('; ');
}

export function AdminSlaPage() {
  usePageTitle('Service levels');
  const [policies, setPolicies] = useState<SlaPolicy[] | null>(null);
  const [settings, setSettings] = useState<SlaSettings | null>(null);
  const [days, setDays] = useState<ClosureDay[] | null>(null);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');

  const load = () =>
    Promise.all([
      // In the order a case meets the stages.
      unwrap(api.GET('/api/admin/sla/policies')).then((r) =>
        setPolicies([...r.items].sort((a, b) => SLA_STAGES.indexOf(a.stage) - SLA_STAGES.indexOf(b.stage))),
      ),
      unwrap(api.GET('/api/admin/sla/settings')).then(setSettings),
      unwrap(api.GET('/api/admin/sla/closure-days')).then((r) => setDays(r.items)),
    ]).catch((e: unknown) => setError(errorMessage(e)));
  useEffect(() => {
    void load();
    unwrap(api.GET('/api/staff')).then(
      (r) => setStaff(r.items),
      () => undefined,
    );
  }, []);

  const saved = async (message: string) => {
    setError('');
    setDone(message);
    await load();
    window.scrollTo(0, 0);
  };

  return (
    <>
      {done && <SuccessBanner>{done}</SuccessBanner>}
      <h1 className="govuk-heading-l">Service levels</h1>
      <ErrorSummary errors={error ? [{ href: '', message: error }] : []} />
      <p className="govuk-body">
        Targets count working time: the working hours and days below, less bank holidays in England and Wales and the university's closure days. Waiting for the
        researcher pauses the clock.
      </p>
      <h2 className="govuk-heading-m">Targets by stage</h2>
      {!policies ? <Spinner /> : policies.map((p) => <PolicyForm key={`${p.stage}-${p.version}`} policy={p} onSaved={saved} />)}
      <h2 className="govuk-heading-m">Working hours and reminders</h2>
      {!settings ? <Spinner /> : <SettingsForm settings={settings} staff={staff} onSaved={saved} />}
      <h2 className="govuk-heading-m" id="closure-days-heading">
        Closure days
      </h2>
      {!days ? <Spinner /> : <ClosureDays days={days} onSaved={saved} />}
    </>
  );
}

function PolicyForm({ policy, onSaved }: { policy: SlaPolicy; onSaved(message: string): Promise<void> }) {
  const stage = labelOf(STATE_LABELS, policy.stage);
  const [target, setTarget] = useState(policy.target);
  const [atRisk, setAtRisk] = useState(String(policy.atRiskAt));
  const [steps, setSteps] = useState<StepDraft[]>(() =>
    policy.ladder.map((s) => ({ type: s.type, at: String(s.at), plus: s.plus ?? '', to: s.to, kind: s.kind ?? null })),
  );
  const [errors, setErrors] = useState<FieldError[]>([]);
  const id = `policy-${policy.stage}`;
  const setStep = (i: number, change: Partial<StepDraft>) => setSteps(steps.map((s, j) => (j === i ? { ...s, ...change } : s)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: FieldError[] = [];
    if (!target.trim()) errs.push({ href: `${id}-target`, message: `Enter the target for ${stage}, such as 3wd` });
    const pct = Number(atRisk);
    if (!/^\d+$/.test(atRisk.trim()) || pct < 1 || pct > 100)
      errs.push({ href: `${id}-at-risk`, message: 'Enter the at-risk point as a whole percentage from 1 to 100' });
    steps.forEach((s, i) => {
      const at = Number(s.at);
      if (!/^\d+(\.\d+)?$/.test(s.at.trim()) || at > 1000)
        errs.push({ href: `${id}-step-${i}-at`, message: `Enter when step ${i + 1} happens as a percentage of the target, from 0 to 1000` });
    });
    setErrors(errs);
    if (errs.length) return;
    try {
      const r = await unwrap(
        api.PUT('/api/admin/sla/policies/{stage}', {
          params: { path: { stage: policy.stage } },
          body: {
            target: target.trim(),
            atRiskAt: pct,
            ladder: steps.map((s) => ({
              type: s.type,
              at: Number(s.at),
              to: s.to,
              ...(s.plus.trim() ? { plus: s.plus.trim() } : {}),
              ...(s.kind ? { kind: s.kind } : {}),
            })),
          },
        }),
      );
      await onSaved(
        `${stage}: ${r.policy.ladder.length === 1 ? '1 reminder or escalation' : `${r.policy.ladder.length} reminders and escalations`}. The target for ${stage} is now ${duration(r.policy.target)}; ${r.casesMoved === 1 ? '1 open case was' : `${r.casesMoved} open cases were`} given new timers.`,
      );
    } catch (err) {
      setErrors([{ href: `${id}-target`, message: errorMessage(err) }]);
    }
  };
  return (
    <section className="govuk-summary-card" aria-labelledby={`${id}-title`}>
      <div className="govuk-summary-card__title-wrapper">
        <h3 className="govuk-summary-card__title" id={`${id}-title`}>
          {stage}
        </h3>
      </div>
      <div className="govuk-summary-card__content">
        <p className="govuk-body">
          Target {duration(policy.target)}, at risk from {policy.atRiskAt}% (version {policy.version}
          {policy.updatedAt ? `, changed ${formatDate(policy.updatedAt)}` : ''}).
        </p>
        <p className="govuk-body-s">Ladder: {ladderText(policy) || 'none'}.</p>
        <form onSubmit={submit} noValidate>
          <ErrorSummary errors={errors} />
          <TextInput
            id={`${id}-target`}
            label={
              <>
                Target<span className="govuk-visually-hidden"> for {stage}</span>
              </>
            }
            width="10"
            hint="Working days (3wd), working hours (4wh), or elapsed time as ISO 8601 (P2D)"
            value={target}
            onChange={setTarget}
            error={errors.find((x) => x.href === `${id}-target`)?.message}
          />
          <TextInput
            id={`${id}-at-risk`}
            label={
              <>
                At risk from (percent of the target)<span className="govuk-visually-hidden"> for {stage}</span>
              </>
            }
            width="3"
            inputMode="numeric"
            value={atRisk}
            onChange={setAtRisk}
            error={errors.find((x) => x.href === `${id}-at-risk`)?.message}
          />
          <details className="govuk-details">
            <summary className="govuk-details__summary">
              <span className="govuk-details__summary-text">Change the reminders and escalations for {stage}</span>
            </summary>
            <div className="govuk-details__text">
              {steps.map((s, i) => (
                <fieldset className="govuk-fieldset govuk-!-margin-bottom-4" key={i}>
                  <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
                    Step {i + 1}
                    <span className="govuk-visually-hidden"> for {stage}</span>
                  </legend>
                  <div className="tr-inline-form">
                    <Select
                      id={`${id}-step-${i}-type`}
                      label="What"
                      value={s.type}
                      onChange={(v) => setStep(i, { type: v as StepDraft['type'] })}
                      options={STEP_TYPE_OPTIONS}
                    />
                    <TextInput
                      id={`${id}-step-${i}-at`}
                      label="At (percent of the target)"
                      width="4"
                      inputMode="numeric"
                      value={s.at}
                      onChange={(v) => setStep(i, { at: v })}
                      error={errors.find((x) => x.href === `${id}-step-${i}-at`)?.message}
                    />
                    <TextInput id={`${id}-step-${i}-plus`} label="Plus (optional)" width="5" value={s.plus} onChange={(v) => setStep(i, { plus: v })} />
                    <Select
                      id={`${id}-step-${i}-to`}
                      label="Who is told"
                      value={s.to}
                      onChange={(v) => setStep(i, { to: v as StepDraft['to'] })}
                      options={AUDIENCE_OPTIONS}
                    />
                  </div>
                  <button
                    type="button"
                    className="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                    onClick={() => setSteps(steps.filter((_, j) => j !== i))}
                  >
                    Remove step {i + 1}
                    <span className="govuk-visually-hidden"> for {stage}</span>
                  </button>
                </fieldset>
              ))}
              <button
                type="button"
                className="govuk-button govuk-button--secondary"
                onClick={() => setSteps([...steps, { type: 'reminder', at: '', plus: '', to: 'assignee', kind: null }])}
              >
                Add a step<span className="govuk-visually-hidden"> for {stage}</span>
              </button>
            </div>
          </details>
          <button type="submit" className="govuk-button govuk-button--secondary">
            Save<span className="govuk-visually-hidden"> the target for {stage}</span>
          </button>
        </form>
      </div>
    </section>
  );
}

function SettingsForm({ settings, staff, onSaved }: { settings: SlaSettings; staff: StaffMember[]; onSaved(message: string): Promise<void> }) {
  const [days, setDays] = useState(settings.hours.days.map(String));
  const [opens, setOpens] = useState(settings.hours.opens);
  const [closes, setCloses] = useState(settings.hours.closes);
  const [head, setHead] = useState(settings.headOfOfficeUserId ?? '');
  const [reminders, setReminders] = useState(settings.informationReminders.join(', '));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: FieldError[] = [];
    if (!days.length) errs.push({ href: 'sla-days', message: 'Choose at least one working day' });
    if (!/^\d\d:\d\d$/.test(opens.trim())) errs.push({ href: 'sla-opens', message: 'Enter the opening time as hours and minutes, such as 09:00' });
    if (!/^\d\d:\d\d$/.test(closes.trim())) errs.push({ href: 'sla-closes', message: 'Enter the closing time as hours and minutes, such as 17:00' });
    setErrors(errs);
    if (errs.length) return;
    try {
      await unwrap(
        api.PUT('/api/admin/sla/settings', {
          body: {
            days: days.map(Number).sort(),
            opens: opens.trim(),
            closes: closes.trim(),
            headOfOfficeUserId: head || null,
            informationReminders: reminders
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          },
        }),
      );
      await onSaved('Working hours and reminders are saved.');
    } catch (err) {
      setErrors([{ href: 'sla-opens', message: errorMessage(err) }]);
    }
  };
  return (
    <form onSubmit={submit} noValidate className="govuk-!-width-two-thirds">
      <ErrorSummary errors={errors} />
      <Checkboxes
        id="sla-days"
        label="Working days"
        values={days}
        onChange={setDays}
        options={WEEKDAY_OPTIONS}
        error={errors.find((x) => x.href === 'sla-days')?.message}
      />
      <TextInput
        id="sla-opens"
        label="Opens at"
        hint="24-hour clock, such as 09:00"
        width="5"
        value={opens}
        onChange={setOpens}
        error={errors.find((x) => x.href === 'sla-opens')?.message}
      />
      <TextInput
        id="sla-closes"
        label="Closes at"
        hint="24-hour clock, such as 17:00"
        width="5"
        value={closes}
        onChange={setCloses}
        error={errors.find((x) => x.href === 'sla-closes')?.message}
      />
      <Select
        id="sla-head"
        label="Head of the research office"
        hint="Receives the last escalation of the ladder"
        value={head}
        onChange={setHead}
        placeholder="Nobody"
        options={staff.map((s) => ({ value: s.id, label: `${s.name} (${s.email})` }))}
      />
      <TextInput
        id="sla-reminders"
        label="Remind the researcher before an information reply is due"
        hint="Lengths before the due date, separated by commas, such as 5wd, 2wd"
        value={reminders}
        onChange={setReminders}
      />
      <button type="submit" className="govuk-button">
        Save working hours
      </button>
    </form>
  );
}

function ClosureDays({ days, onSaved }: { days: ClosureDay[]; onSaved(message: string): Promise<void> }) {
  const [date, setDate] = useState<DateParts>(EMPTY_DATE);
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const day = toIsoDate(date);
    const errs: FieldError[] = [];
    if (!day) errs.push({ href: 'closure-day', message: 'Enter the closure day as a real date, such as 29 12 2026' });
    if (!description.trim()) errs.push({ href: 'closure-description', message: 'Enter what the closure is, such as Christmas closure' });
    setErrors(errs);
    if (errs.length || !day) return;
    try {
      await unwrap(api.POST('/api/admin/sla/closure-days', { body: { day, description: description.trim() } }));
      setDate(EMPTY_DATE);
      setDescription('');
      await onSaved(`${formatDate(day)} is a closure day.`);
    } catch (err) {
      setErrors([{ href: 'closure-day', message: errorMessage(err) }]);
    }
  };
  const remove = async (d: ClosureDay) => {
    try {
      await unwrap(api.DELETE('/api/admin/sla/closure-days/{day}', { params: { path: { day: d.day } } }));
      await onSaved(`${formatDate(d.day)} is no longer a closure day.`);
    } catch (err) {
      setErrors([{ href: '', message: errorMessage(err) }]);
    }
  };
  return (
    <>
      <p className="govuk-body">Bank holidays come from GOV.UK. Add the days the university itself is closed.</p>
      {days.length === 0 ? (
        <p className="govuk-body">No closure days are set.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--s">{days.length === 1 ? '1 closure day' : `${days.length} closure days`}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Date
              </th>
              <th scope="col" className="govuk-table__header">
                Description
              </th>
              <th scope="col" className="govuk-table__header">
                <span className="govuk-visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {days.map((d) => (
              <tr className="govuk-table__row" key={d.day}>
                <td className="govuk-table__cell">{formatDate(d.day)}</td>
                <td className="govuk-table__cell">{d.description}</td>
                <td className="govuk-table__cell">
                  <button type="button" className="govuk-button govuk-button--warning govuk-!-margin-bottom-0" onClick={() => void remove(d)}>
                    Remove<span className="govuk-visually-hidden"> {formatDate(d.day)}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 className="govuk-heading-s">Add a closure day</h3>
      <form onSubmit={add} noValidate className="govuk-!-width-two-thirds">
        <ErrorSummary errors={errors} />
        <DateFields
          id="closure-day"
          legend="Date"
          hint="For example, 29 12 2026"
          value={date}
          onChange={setDate}
          error={errors.find((x) => x.href === 'closure-day')?.message}
        />
        <TextInput
          id="closure-description"
          label="Description"
          value={description}
          onChange={setDescription}
          error={errors.find((x) => x.href === 'closure-description')?.message}
        />
        <button type="submit" className="govuk-button">
          Add closure day
        </button>
      </form>
    </>
  );
}
