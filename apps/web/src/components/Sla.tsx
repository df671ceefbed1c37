/**
 * The service level of the stage a case is in: a tag for the queue's rows and the block
 * on the case page (target, time used, time paused, due date). Words from libs/domain.
 */
import type { Schemas } from '../api/client';
import { SLA_STATE_LABELS } from '@app/domain/case-event-labels';
import { formatDate, formatDateTime, labelOf, stateLabel } from '../labels';
import { SummaryList } from './govuk';

type SlaState = keyof typeof SLA_STATE_LABELS;

const TAG: Record<SlaState, string> = { on_track: 'govuk-tag--green', at_risk: 'govuk-tag--yellow', breached: 'govuk-tag--red' };

/** The SLA state as a GOV.UK tag, "paused" added while the clock stands still (waiting on the researcher). */
export function SlaTag({ state, paused }: { state: SlaState | null | undefined; paused?: boolean }) {
  if (!state) return <span className="govuk-hint">No SLA</span>;
  return (
    <>
      <strong className={`govuk-tag ${TAG[state]}`}>{labelOf(SLA_STATE_LABELS, state)}</strong>
      {paused ? <span className="govuk-body-s"> (paused)</span> : null}
    </>
  );
}

/** A due date in the queue: the day, or "paused" when the clock waits. */
export function SlaDue({ dueAt, paused }: { dueAt: string | null | undefined; paused?: boolean }) {
  if (dueAt) return <>{formatDate(dueAt)}</>;
  return <span className="govuk-hint">{paused ? 'Paused' : 'None'}</span>;
}

const HOUR = 3_600_000;

/** Business clocks count working hours; elapsed clocks count calendar days and hours. */
export function formatSlaDuration(ms: number, clock: 'business' | 'elapsed'): string {
  const hours = Math.round((ms / HOUR) * 10) / 10;
  if (clock === 'business') return `${hours.toLocaleString('en-GB')} working ${hours === 1 ? 'hour' : 'hours'}`;
  const days = Math.floor(ms / (24 * HOUR));
  const rest = Math.round((ms - days * 24 * HOUR) / HOUR);
  const parts = [days ? `${days} ${days === 1 ? 'day' : 'days'}` : '', rest || !days ? `${rest} ${rest === 1 ? 'hour' : 'hours'}` : ''];
  return parts.filter(Boolean).join(' ');
}

/** The case page's SLA block: stage, target, used (with a share of the target), paused, due, state. */
export function SlaPanel({ sla }: { sla: Schemas['SlaBlock'] }) {
  const pct = sla.targetMs > 0 ? Math.min(999, Math.round((sla.usedMs / sla.targetMs) * 100)) : 0;
  return (
    <section aria-labelledby="sla-heading" className="tr-sla-panel">
      <h2 className="govuk-heading-m" id="sla-heading">
        Service level
      </h2>
      <SummaryList
        rows={[
          { key: 'Status', value: <SlaTag state={sla.state} paused={sla.paused} /> },
          { key: 'Stage', value: stateLabel(sla.stage) },
          { key: 'Target', value: formatSlaDuration(sla.targetMs, sla.clock) },
          { key: 'Used', value: `${formatSlaDuration(sla.usedMs, sla.clock)} (${pct}% of the target)` },
          {
            key: 'Paused',
            value: sla.paused
              ? `Yes, for ${formatSlaDuration(sla.pausedMs, 'elapsed')} so far`
              : sla.pausedMs > 0
                ? `${formatSlaDuration(sla.pausedMs, 'elapsed')} in all`
                : 'No',
          },
          { key: 'Due', value: sla.dueAt ? formatDateTime(sla.dueAt) : <span className="govuk-hint">Not while the clock is paused</span> },
        ]}
      />
    </section>
  );
}
