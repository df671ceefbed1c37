/**
 * An officer's decision on one screening hit, in its row: "false positive" (with a
 * reason) clears the hit's flag through the case action clear_flag; "confirm" (with a
 * reason and where the case goes next) is POST /api/cases/:id/flags/:flagId/confirm.
 * Both reload the case page with a success banner.
 */
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import { FLAG_STATUS_LABELS } from '@app/domain/case-event-labels';
import { labelOf } from '../labels';
import { ErrorSummary, Radios, Textarea, type FieldError } from './govuk';

export interface HitDecisionContext {
  caseId: string;
  version: number;
  /** clear_flag is among this person's actions now. */
  canClear: boolean;
  /** Officers and the lead may confirm a hit as a true match. */
  canConfirm: boolean;
}

const ROUTES = [
  { value: 'lead', label: 'Refer to the RSDO lead' },
  { value: 'reject', label: 'Reject the case' },
];

export function HitDecision({ hit, ctx, n }: { hit: Schemas['ScreeningHit']; ctx: HitDecisionContext | undefined; n: number }) {
  const navigate = useNavigate();
  const [mode, setMode] = useState<'' | 'false_positive' | 'confirm'>('');
  const [reason, setReason] = useState('');
  const [route, setRoute] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const status = hit.flagStatus ? labelOf(FLAG_STATUS_LABELS, hit.flagStatus) : 'No flag';
  const open = hit.flagId && hit.flagStatus === 'open' && ctx && (ctx.canClear || ctx.canConfirm);
  if (!open || !ctx || !hit.flagId) return <>{status}</>;
  const flagId = hit.flagId;
  const id = `hit-${n}`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: FieldError[] = [];
    if (!reason.trim())
      problems.push({ href: `${id}-reason`, message: mode === 'confirm' ? 'Enter why this is a true match' : 'Enter why this is a false positive' });
    if (mode === 'confirm' && !route) problems.push({ href: `${id}-route`, message: 'Choose where the case goes next' });
    setErrors(problems);
    if (problems.length) return;
    setBusy(true);
    try {
      if (mode === 'false_positive') {
        await unwrap(
          api.POST('/api/cases/{id}/actions/{action}', {
            params: { path: { id: ctx.caseId, action: 'clear_flag' } },
            body: { flagId, resolution: 'false_positive', reason: reason.trim(), expectedVersion: ctx.version } as never,
          }),
        );
      } else {
        await unwrap(
          api.POST('/api/cases/{id}/flags/{flagId}/confirm', {
            params: { path: { id: ctx.caseId, flagId } },
            body: { reason: reason.trim(), route: route as 'reject' | 'lead' },
          }),
        );
      }
      const what =
        mode === 'false_positive'
          ? 'marked as a false positive; its flag is cleared'
          : `confirmed as a true match (${ROUTES.find((r) => r.value === route)?.label.toLowerCase()})`;
      void navigate(`/cases/${ctx.caseId}`, { state: { success: `The hit on “${hit.entryName}” (${hit.sourceList}) was ${what}.` } });
    } catch (err) {
      setErrors([{ href: `${id}-reason`, message: errorMessage(err) }]);
      setBusy(false);
    }
  };

  return (
    <div className="tr-hit-decision">
      <p className="govuk-body-s govuk-!-margin-bottom-1">{status}</p>
      {mode === '' ? (
        <div className="govuk-button-group govuk-!-margin-bottom-0">
          {ctx.canClear && (
            <button type="button" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-1" onClick={() => setMode('false_positive')}>
              False positive
              <span className="govuk-visually-hidden">
                {' '}
                for {hit.entryName} on {hit.sourceList}
              </span>
            </button>
          )}
          {ctx.canConfirm && (
            <button type="button" className="govuk-button govuk-button--warning govuk-!-margin-bottom-1" onClick={() => setMode('confirm')}>
              Confirm
              <span className="govuk-visually-hidden">
                {' '}
                match for {hit.entryName} on {hit.sourceList}
              </span>
            </button>
          )}
        </div>
      ) : (
        <form
          onSubmit={submit}
          noValidate
          aria-label={
            mode === 'confirm'
              ? `Confirm the hit on ${hit.entryName} (${hit.sourceList})`
              : `Mark the hit on ${hit.entryName} (${hit.sourceList}) as a false positive`
          }
        >
          <ErrorSummary errors={errors} />
          <Textarea
            id={`${id}-reason`}
            rows={3}
            value={reason}
            onChange={setReason}
            label={mode === 'confirm' ? 'Why this is a true match' : 'Why this is a false positive'}
            hint={mode === 'confirm' ? undefined : 'For example, a different country, date of birth or organisation.'}
            error={errors.find((x) => x.href === `${id}-reason`)?.message}
          />
          {mode === 'confirm' && (
            <Radios
              id={`${id}-route`}
              label="Where the case goes next"
              value={route}
              onChange={setRoute}
              options={ROUTES}
              error={errors.find((x) => x.href === `${id}-route`)?.message}
            />
          )}
          <div className="govuk-button-group">
            <button type="submit" className={`govuk-button${mode === 'confirm' ? ' govuk-button--warning' : ''}`} disabled={busy}>
              {mode === 'confirm' ? 'Confirm match' : 'Clear as false positive'}
            </button>
            <button
              type="button"
              className="tr-link-button govuk-body"
              onClick={() => {
                setMode('');
                setErrors([]);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
