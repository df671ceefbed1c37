import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import { CONFLICT_KIND_LABELS, DUE_DILIGENCE_STATUS_LABELS, ORGANISATION_LINK_ROLE_LABELS, PERSON_ROLE_LABELS, PERSON_ROLES } from '@app/domain/partners';
import { ErrorSummary, Select, TextInput } from '../components/govuk';
import { formatDate, labelOf, OUTCOME_LABELS } from '../labels';

type People = Schemas['CasePeople'];

/** People named on the case (issue 19): roles, nationality, ATAS, declared conflicts; the team adds them, the PI confirms. */
export function PeoplePanel({ caseId, meId, canEdit }: { caseId: string; meId?: string; canEdit: boolean }) {
  const [people, setPeople] = useState<People | null>(null);
  const [error, setError] = useState('');
  const [form, setForm] = useState({ name: '', role: '', affiliation: '', nationalities: '', userEmail: '' });
  const [atas, setAtas] = useState<Record<string, { ref: string; issued: string; expires: string }>>({});
  useEffect(() => {
    unwrap(api.GET('/api/cases/{id}/people', { params: { path: { id: caseId } } })).then(setPeople, () => undefined);
  }, [caseId]);
  if (!people) return null;
  const run = async (p: Promise<People>) => {
    setError('');
    try {
      setPeople(await p);
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    }
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!form.role) return setError('Choose the person’s role.');
    const ok = await run(
      unwrap(
        api.POST('/api/cases/{id}/people', {
          params: { path: { id: caseId } },
          body: {
            name: form.name,
            role: form.role as Schemas['CasePerson']['role'],
            affiliation: form.affiliation.trim() || null,
            nationalities: form.nationalities
              .split(/[,\s]+/)
              .map((s) => s.trim().toUpperCase())
              .filter(Boolean),
            ...(form.userEmail.trim() ? { userEmail: form.userEmail.trim() } : {}),
          },
        }),
      ),
    );
    if (ok) setForm({ name: '', role: '', affiliation: '', nationalities: '', userEmail: '' });
  };
  const recordAtas = (personId: string) => {
    const a = atas[personId] ?? { ref: '', issued: '', expires: '' };
    void run(
      unwrap(
        api.PATCH('/api/cases/{id}/people/{personId}', {
          params: { path: { id: caseId, personId } },
          body: { atas: { certificateReference: a.ref, issuedOn: a.issued, expiresOn: a.expires } },
        }),
      ),
    );
  };
  const confirm = (personId: string) => void run(unwrap(api.POST('/api/cases/{id}/people/{personId}/confirm', { params: { path: { id: caseId, personId } } })));

  return (
    <section aria-labelledby="people-heading">
      <h2 className="govuk-heading-m" id="people-heading">
        People
      </h2>
      {error && <ErrorSummary errors={[{ href: '', message: error }]} />}
      {people.piConfirmationOutstanding && (
        <div className="govuk-warning-text">
          <strong className="govuk-warning-text__text">{people.piConfirmationOutstanding}</strong>
        </div>
      )}
      {people.atasOutstanding && (
        <div className="govuk-warning-text">
          <strong className="govuk-warning-text__text">{people.atasOutstanding}</strong>
        </div>
      )}
      {people.items.length === 0 ? (
        <p className="govuk-body">Nobody is named on this case yet.</p>
      ) : (
        <ul className="govuk-list">
          {people.items.map((p) => (
            <li key={p.id} className="govuk-!-margin-bottom-4">
              <strong>{p.name}</strong>, {labelOf(PERSON_ROLE_LABELS, p.role)}
              {p.affiliation ? `, ${p.affiliation}` : ''}
              {p.nationalities.length > 0 && <> (nationality {p.nationalities.join(', ')})</>}
              {p.role === 'principal_investigator' && p.userId && (p.confirmedAt ? <> – confirmed {formatDate(p.confirmedAt)}</> : <> – not yet confirmed</>)}
              {p.atas && (
                <div className="govuk-body-s">
                  ATAS certificate {p.atas.certificateReference}, {formatDate(p.atas.issuedOn)} to {formatDate(p.atas.expiresOn)}
                </div>
              )}
              {p.atasRequired && !p.atas && <div className="govuk-body-s">Needs an ATAS certificate.</div>}
              {p.conflicts.length > 0 && (
                <ul className="govuk-list govuk-list--bullet govuk-body-s">
                  {p.conflicts.map((c, i) => (
                    <li key={i}>
                      Declared: {labelOf(CONFLICT_KIND_LABELS, c.kind)}: {c.description}
                    </li>
                  ))}
                </ul>
              )}
              {p.role === 'principal_investigator' && p.userId === meId && !p.confirmedAt && (
                <button type="button" className="govuk-button" onClick={() => confirm(p.id)}>
                  Confirm this case as principal investigator
                </button>
              )}
              {canEdit && p.atasRequired && (
                <div className="tr-inline-form">
                  <TextInput
                    id={`atas-ref-${p.id}`}
                    label="ATAS certificate reference"
                    value={atas[p.id]?.ref ?? ''}
                    onChange={(v) => setAtas({ ...atas, [p.id]: { ...(atas[p.id] ?? { ref: '', issued: '', expires: '' }), ref: v } })}
                    width="20"
                  />
                  <TextInput
                    id={`atas-issued-${p.id}`}
                    label="Issued on (YYYY-MM-DD)"
                    value={atas[p.id]?.issued ?? ''}
                    onChange={(v) => setAtas({ ...atas, [p.id]: { ...(atas[p.id] ?? { ref: '', issued: '', expires: '' }), issued: v } })}
                    width="10"
                  />
                  <TextInput
                    id={`atas-expires-${p.id}`}
                    label="Expires on (YYYY-MM-DD)"
                    value={atas[p.id]?.expires ?? ''}
                    onChange={(v) => setAtas({ ...atas, [p.id]: { ...(atas[p.id] ?? { ref: '', issued: '', expires: '' }), expires: v } })}
                    width="10"
                  />
                  <button type="button" className="govuk-button govuk-button--secondary" onClick={() => recordAtas(p.id)}>
                    Record ATAS certificate
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form onSubmit={add} aria-label="Name a person">
          <TextInput id="person-name" label="Name" value={form.name} onChange={(v) => setForm({ ...form, name: v })} />
          <Select
            id="person-role"
            label="Role"
            value={form.role}
            onChange={(v) => setForm({ ...form, role: v })}
            options={PERSON_ROLES.map((r) => ({ value: r, label: PERSON_ROLE_LABELS[r] }))}
          />
          <TextInput id="person-affiliation" label="Affiliation" value={form.affiliation} onChange={(v) => setForm({ ...form, affiliation: v })} />
          <TextInput
            id="person-nationalities"
            label="Nationality (country codes, such as CN or FR)"
            hint="Needed for visiting researchers: it decides whether ATAS applies."
            value={form.nationalities}
            onChange={(v) => setForm({ ...form, nationalities: v })}
            width="10"
          />
          <TextInput
            id="person-email"
            label="Their university email (principal investigator or co-investigator)"
            hint="They can then see and contribute to this case."
            value={form.userEmail}
            onChange={(v) => setForm({ ...form, userEmail: v })}
          />
          <button type="submit" className="govuk-button govuk-button--secondary">
            Add person
          </button>
        </form>
      )}
    </section>
  );
}

/** The triage precedent panel (staff view): the case's organisations and similar past cases with outcome, conditions and reasoning. */
export function PrecedentPanel({ caseId }: { caseId: string }) {
  const [data, setData] = useState<Schemas['Precedents'] | null>(null);
  useEffect(() => {
    unwrap(api.GET('/api/cases/{id}/precedents', { params: { path: { id: caseId } } })).then(setData, () => undefined);
  }, [caseId]);
  if (!data) return null;
  return (
    <section aria-labelledby="precedents-heading">
      {data.organisations.length > 0 && (
        <>
          <h2 className="govuk-heading-m">Organisations</h2>
          <ul className="govuk-list">
            {data.organisations.map((o) => (
              <li key={`${o.role}-${o.partyIndex}`}>
                {labelOf(ORGANISATION_LINK_ROLE_LABELS, o.role)}:{' '}
                <Link className="govuk-link" to={`/organisations/${o.organisationId}`}>
                  {o.name}
                </Link>{' '}
                {o.country ?? ''} ({labelOf(DUE_DILIGENCE_STATUS_LABELS, o.ddStatus)}
                {o.ddExpiresOn ? ` until ${formatDate(o.ddExpiresOn)}` : ''})
              </li>
            ))}
          </ul>
        </>
      )}
      <h2 className="govuk-heading-m" id="precedents-heading">
        Similar past cases
      </h2>
      {data.items.length === 0 ? (
        <p className="govuk-body">No decided case shares this case’s organisations, parent, country and sensitive area, or control-list entries.</p>
      ) : (
        <ul className="govuk-list">
          {data.items.map((p) => (
            <li key={p.id} className="govuk-inset-text">
              <Link className="govuk-link" to={`/cases/${p.id}`}>
                {p.reference}
              </Link>{' '}
              {p.title}: <strong>{labelOf(OUTCOME_LABELS, p.outcome)}</strong>
              {p.closedAt ? `, ${formatDate(p.closedAt)}` : ''}
              <div className="govuk-body-s">Similar by: {p.matchedOn.join(', ')}</div>
              {p.decisionText && <div className="govuk-body-s">Decision: {p.decisionText}</div>}
              {p.rejectionText && <div className="govuk-body-s">Reason: {p.rejectionText}</div>}
              {p.triageComment && <div className="govuk-body-s">Triage reasoning: {p.triageComment}</div>}
              {(p.conditions as { text?: string }[]).length > 0 && (
                <div className="govuk-body-s">Conditions: {(p.conditions as { text?: string }[]).map((c) => c.text).join('; ')}</div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
