/**
 * Foreign Influence Registration Scheme (National Security Act 2023, Part 4; in force
 * 1 July 2025). Source: GOV.UK "Foreign Influence Registration Scheme" and "FIRS:
 * specified powers: Iran" / "Russia": the enhanced tier specifies Iran and Russia (the
 * states, their intelligence services and armed forces, and listed state-controlled
 * bodies); an arrangement to carry out activities in the UK at the direction of a
 * specified power or entity is registered before the activity starts.
 *
 * The case prompts registration when a partner or funder is connected to a specified
 * country or entity, records the registration reference, and approval waits until the
 * reference is recorded or an officer records why the scheme does not apply.
 */
import type { CaseAnswers } from './questionnaire';
import { RISK_CONFIG, type RiskConfig } from './risk-config';

/** What the officer records (in the triage record): the reference, or why FIRS does not apply. */
export interface FirsRecord {
  registrationReference?: string | null;
  notApplicableReason?: string | null;
}

export interface FirsRequirement {
  required: boolean;
  reasons: string[];
}

export function firsRequirement(a: CaseAnswers, cfg: RiskConfig = RISK_CONFIG): FirsRequirement {
  const tier = cfg.countries.firsEnhancedTier;
  const reasons: string[] = [];
  for (const p of a.partners ?? []) {
    if (p?.country && tier.countries.includes(p.country))
      reasons.push(`partner ${p.name} (${p.country}) is in a country on ${tier.label} (${tier.countries.join(', ')})`);
  }
  for (const f of a.funders ?? []) {
    if (f?.country && tier.countries.includes(f.country))
      reasons.push(`funder ${f.name} (${f.country}) is in a country on ${tier.label} (${tier.countries.join(', ')})`);
  }
  if (a.firsConnection === 'yes' || a.firsConnection === 'unsure') {
    reasons.push(
      `the researcher ${a.firsConnection === 'yes' ? 'says' : 'is unsure whether'} a party is directed by, or connected to, a foreign power or entity specified under FIRS`,
    );
  }
  return { required: reasons.length > 0, reasons };
}

const filled = (s: unknown): boolean => typeof s === 'string' && s.trim() !== '';

/**
 * The refusal sentence while FIRS is outstanding, or null. A registration reference in
 * the answers (the researcher's) or in the officer's record settles it, and so does the
 * officer's reason why it does not apply.
 */
export function firsOutstanding(a: CaseAnswers, record: FirsRecord | null | undefined, cfg: RiskConfig = RISK_CONFIG): string | null {
  const req = firsRequirement(a, cfg);
  if (!req.required) return null;
  if (filled(a.firsRegistrationReference) || filled(record?.registrationReference) || filled(record?.notApplicableReason)) return null;
  return `Foreign Influence Registration Scheme: ${req.reasons.join('; ')}. Record the FIRS registration reference, or (an officer) record why the scheme does not apply, before approval.`;
}
