import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  assessRisk, CaseAnswers, DomainError, ErrorCode, matchKey, nameSimilarity, parseList, questionnaireVersionOf,
  RISK_CONFIG, RiskAssessment, SCREENING_LIST_KINDS, ScreeningHitFact, ScreeningListKind, WatchListRating,
} from '@app/domain';
import {
  AuditRepository, CaseEntity, CaseRepository, NewScreeningHit, ScreeningListVersionEntity, ScreeningRepository,
} from '@app/persistence';
import { CaseScreening } from '../cases/case-screening';
import { CaseCommit, OutboxDraft } from '../commit/case-commit';

export interface CheckHit {
  listKind: ScreeningListKind;
  sourceList: string;
  entryId: string;
  listVersionId: string;
  entryName: string;
  matchedName: string;
  matchedNameType: string;
  score: number;
  partyType: string;
  countries: string[];
  rating: string | null;
  countryMatch: boolean | null;
}

export interface ImportResult {
  kind: ScreeningListKind;
  listVersionId: string;
  sha256: string;
  entries: number;
  names: number;
  unchanged: boolean;
  rescreenedCases: number;
  newHits: number;
}

/** How long after approval a case is still re-screened when a list changes. */
const RESCREEN_APPROVED_DAYS = 365;
/** A country that disagrees with every country on the list entry lowers the score a little: a lead, not a rule. */
const COUNTRY_MISMATCH_PENALTY = 0.05;

interface Subject {
  name: string;
  kind: 'organisation' | 'individual' | 'parent';
  partnerIndex: number;
  country: string | null;
}

@Injectable()
export class ScreeningService implements CaseScreening {
  constructor(
    private readonly ds: DataSource,
    private readonly screening: ScreeningRepository,
    private readonly cases: CaseRepository,
    private readonly audit: AuditRepository,
    private readonly commit: CaseCommit,
  ) {}

  get threshold(): number {
    return RISK_CONFIG.screeningThreshold;
  }

  /**
   * Screens one name against the current lists: trigram candidates from PostgreSQL,
   * scored by the domain's name matcher, best name per listed party, above the threshold.
   */
  async check(em: EntityManager, name: string, country?: string | null, threshold = this.threshold): Promise<CheckHit[]> {
    const candidates = await this.screening.candidates(em, matchKey(name));
    const best = new Map<string, CheckHit>();
    for (const c of candidates) {
      const countryMatch = country && c.countries.length ? c.countries.includes(country) : null;
      const score = Math.max(0, nameSimilarity(name, c.name) - (countryMatch === false ? COUNTRY_MISMATCH_PENALTY : 0));
      if (score < threshold) continue;
      const prev = best.get(c.entryId);
      if (prev && prev.score >= score) continue;
      best.set(c.entryId, {
        listKind: c.listKind, sourceList: c.sourceList, entryId: c.entryId, listVersionId: c.listVersionId, entryName: c.primaryName,
        matchedName: c.name, matchedNameType: c.nameType, score: Math.round(score * 10000) / 10000, partyType: c.partyType,
        countries: c.countries, rating: c.rating, countryMatch,
      });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  }

  private subjects(answers: CaseAnswers): Subject[] {
    return (answers.partners ?? []).flatMap((p, i) => [
      ...(p.name?.trim() ? [{ name: p.name, kind: 'organisation' as const, partnerIndex: i, country: p.country || null }] : []),
      ...(p.parentOrganisation?.trim() ? [{ name: p.parentOrganisation, kind: 'parent' as const, partnerIndex: i, country: p.country || null }] : []),
      ...(p.individuals ?? []).filter((x) => x.name?.trim()).map((x) => ({ name: x.name, kind: 'individual' as const, partnerIndex: i, country: null })),
    ]);
  }

  /**
   * Screens every partner, parent and named person of a case; records hits not seen
   * before and raises one blocking flag per new hit. The caller holds the case row lock.
   */
  async screenCase(em: EntityManager, c: CaseEntity, actorId: string | null): Promise<{ newHits: (NewScreeningHit & { id: string; flagId: string })[] }> {
    const found: NewScreeningHit[] = [];
    for (const s of this.subjects(c.answers)) {
      for (const h of await this.check(em, s.name, s.country)) {
        found.push({
          subject: s.name, subjectKind: s.kind, partnerIndex: s.partnerIndex, entryId: h.entryId, listVersionId: h.listVersionId,
          listKind: h.listKind, sourceList: h.sourceList, entryName: h.entryName, matchedName: h.matchedName,
          matchedNameType: h.matchedNameType, score: h.score, countryMatch: h.countryMatch,
        });
      }
    }
    const inserted = await this.screening.insertHits(em, c.id, found);
    const newHits: (NewScreeningHit & { id: string; flagId: string })[] = [];
    for (const h of inserted) {
      const reason = `Screening hit: "${h.subject}" matches "${h.matchedName}" (${h.matchedNameType} name of ${h.entryName}) on ${h.sourceList}, score ${h.score.toFixed(2)}. Clear it as a false positive or confirm it.`;
      const flag = await this.cases.addFlag(em, { caseId: c.id, kind: 'screening', blocking: true, reason, raisedById: actorId });
      await this.screening.linkFlag(em, [h.id], flag.id);
      newHits.push({ ...h, flagId: flag.id });
    }
    return { newHits };
  }

  /** Hits that still count for scoring: every hit whose flag has not been cleared. */
  private async hitFacts(em: EntityManager, caseId: string): Promise<ScreeningHitFact[]> {
    const rows = await this.screening.hitsForCase(em, caseId);
    return rows
      .filter((h) => h.flagStatus !== 'cleared')
      .map((h) => ({ listKind: h.listKind as ScreeningListKind, sourceList: h.sourceList, subject: h.subject, matchedName: h.matchedName, score: h.score, rating: h.rating as WatchListRating | null }));
  }

  /** Scores the case, stores the assessment with the questionnaire and rules versions. */
  async scoreCase(em: EntityManager, c: CaseEntity, trigger: string): Promise<RiskAssessment> {
    const assessment = assessRisk(c.answers, await this.hitFacts(em, c.id));
    await this.screening.addAssessment(em, c.id, trigger, c.questionnaireVersion, assessment);
    return assessment;
  }

  /**
   * Submit: fix the questionnaire version, screen, score. Version-1 answers lack what
   * the rules need (funding type, exports, data, checklist), so their score is kept as
   * indicative and is not the proposal an officer's override must justify.
   */
  async onSubmit(em: EntityManager, c: CaseEntity, actorId: string) {
    c.questionnaireVersion = questionnaireVersionOf(c.answers);
    const { newHits } = await this.screenCase(em, c, actorId);
    const assessment = await this.scoreCase(em, c, 'submit');
    c.proposedRiskLevel = c.questionnaireVersion >= 2 ? assessment.level : null;
    return { questionnaireVersion: c.questionnaireVersion, rulesVersion: assessment.rulesVersion, proposedRiskLevel: assessment.level, proposedRoute: assessment.route, score: assessment.score, screeningHits: newHits.length };
  }

  /**
   * Respond: answers changed, so rescreen and rescore; a triage whose basis moved (the
   * proposed level changed) becomes stale and must be redone.
   */
  async onAnswersChanged(em: EntityManager, c: CaseEntity, actorId: string | null, trigger: string) {
    const before = await this.screening.latestAssessment(em, c.id);
    const { newHits } = await this.screenCase(em, c, actorId);
    const assessment = await this.scoreCase(em, c, trigger);
    const changed = before !== null && before.level !== assessment.level;
    if (c.questionnaireVersion >= 2 || c.proposedRiskLevel !== null) c.proposedRiskLevel = assessment.level;
    if (changed && c.triagedById !== null) c.triageStale = true;
    return { previousLevel: before?.level ?? null, proposedRiskLevel: assessment.level, levelChanged: changed, triageStale: c.triageStale, screeningHits: newHits.length, rulesVersion: assessment.rulesVersion };
  }

  /** Reads a list file from a path or an http(s) URL. */
  private async readSource(source: string): Promise<Buffer> {
    if (/^https?:\/\//i.test(source)) {
      const res = await fetch(source);
      if (!res.ok) throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, `Downloading ${source} failed: HTTP ${res.status}.`);
      return Buffer.from(await res.arrayBuffer());
    }
    return readFile(source);
  }

  /**
   * Imports a list file as a new dated version (skipped when the same bytes are already
   * current), then re-screens open and recently approved cases. The worker's scheduled
   * job calls this same method.
   */
  async importList(kind: string, source: string): Promise<ImportResult> {
    if (!(SCREENING_LIST_KINDS as readonly string[]).includes(kind)) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, `List kind "${kind}" is not one of ${SCREENING_LIST_KINDS.join(', ')}.`);
    }
    const k = kind as ScreeningListKind;
    const bytes = await this.readSource(source);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const current = await this.screening.findVersionByHash(this.ds.manager, k, sha256);
    if (current?.isCurrent) {
      return { kind: k, listVersionId: current.id, sha256, entries: current.entryCount, names: current.nameCount, unchanged: true, rescreenedCases: 0, newHits: 0 };
    }
    const parsed = parseList(k, bytes.toString('utf8'));
    if (!parsed.entries.length) throw new DomainError(ErrorCode.VALIDATION_FAILED, `${source} parsed to no entries; refusing to replace the current ${k} list with an empty one.`);
    const version: ScreeningListVersionEntity = await this.ds.transaction(async (em) => {
      const v = await this.screening.importList(em, parsed, source, sha256);
      await this.audit.appendSystemEvent(em, { actorId: null, action: 'screening_list_imported', payload: { kind: k, source, sha256, listVersionId: v.id, entries: v.entryCount } });
      return v;
    });
    const { cases, newHits } = await this.rescreenAll(`list_import:${k}`);
    return { kind: k, listVersionId: version.id, sha256, entries: version.entryCount, names: version.nameCount, unchanged: false, rescreenedCases: cases, newHits };
  }

  /** Each case in its own short transaction under its row lock, so one failure does not undo the rest. */
  async rescreenAll(trigger: string): Promise<{ cases: number; newHits: number }> {
    const ids = await this.screening.casesToRescreen(this.ds.manager, RESCREEN_APPROVED_DAYS);
    let newHits = 0;
    for (const id of ids) {
      newHits += await this.ds.transaction(async (em) => {
        const c = await this.cases.lockById(em, id);
        if (!c) return 0;
        const before = { level: c.proposedRiskLevel, stale: c.triageStale };
        const result = await this.onAnswersChanged(em, c, null, trigger);
        if (result.screeningHits === 0 && !result.levelChanged) return 0;
        // New hits tell the accountable officer; the mail relay maps this to an email.
        const outbox: OutboxDraft[] = result.screeningHits > 0
          ? [{ topic: 'case-event', payload: { action: 'screening_hit', reference: c.reference, assigneeId: c.assigneeId, newHits: result.screeningHits, fromState: c.state, toState: c.state, actorId: null } }]
          : [];
        await this.commit.commit(em, c, {
          actorId: null, action: 'rescreen', outbox,
          payload: { trigger, newHits: result.screeningHits, previousLevel: result.previousLevel, proposedRiskLevel: result.proposedRiskLevel, triageStale: c.triageStale, wasStale: before.stale },
        });
        return result.screeningHits;
      });
    }
    return { cases: ids.length, newHits };
  }

  /**
   * An officer confirms a screening hit as a true match. The flag stays blocking (status
   * confirmed); the case then goes to rejection (`reject`) or to the RSDO lead.
   */
  async confirmFlag(user: { id: string }, caseId: string, flagId: string, route: 'reject' | 'lead', reason: string) {
    return this.ds.transaction(async (em) => {
      const c = await this.cases.lockById(em, caseId);
      if (!c || c.state === 'draft') throw new DomainError(ErrorCode.NOT_FOUND, `No case with id ${caseId} exists, or you may not see it.`);
      if (c.ownerId === user.id) throw new DomainError(ErrorCode.SEGREGATION_OF_DUTIES, 'You own this case, so you may not confirm its screening hits.');
      const ok = await this.screening.confirmFlag(em, caseId, flagId, user.id, route, reason);
      if (!ok) throw new DomainError(ErrorCode.VALIDATION_FAILED, `flagId: there is no open screening flag ${flagId} on this case.`, { fields: [{ field: 'flagId', message: 'is not an open screening flag of this case' }] });
      const event = await this.commit.commit(em, c, { actorId: user.id, action: 'confirm_flag', payload: { flagId, route, reason } });
      return { flagId, status: 'confirmed', route, eventSeq: event.seq };
    });
  }

}
