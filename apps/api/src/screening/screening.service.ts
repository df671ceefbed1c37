import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  assessRisk, CaseAnswers, DomainError, ErrorCode, questionnaireVersionOf, RISK_CONFIG, RiskAssessment, ScreeningHitFact, ScreeningListKind, ScreenQuery, WatchListRating,
} from '@app/domain';
import { CheckHit, CheckResult, ListImporter, screenName } from '@app/screening';
import { AuditRepository, CaseEntity, CaseRepository, NewScreeningHit, ScreeningRepository } from '@app/persistence';
import { CaseScreening } from '../cases/case-screening';
import { CaseCommit, OutboxDraft } from '../commit/case-commit';

export type { CheckHit } from '@app/screening';

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

  /** Screens one party against the current lists (libs/screening screenName): hits with their explanation, and warnings. */
  checkDetailed(em: EntityManager, query: ScreenQuery, threshold = this.threshold): Promise<CheckResult> {
    return screenName(em, this.screening, query, threshold);
  }

  async check(em: EntityManager, name: string, country?: string | null, threshold = this.threshold): Promise<CheckHit[]> {
    return (await this.checkDetailed(em, { name, country }, threshold)).hits;
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
          matchedNameType: h.matchedNameType, score: h.score, countryMatch: h.countryMatch, explanation: h.explanation,
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

  /**
   * Imports a list file as a new dated version (libs/screening ListImporter; skipped
   * when the same bytes are already current), then re-screens open and recently
   * approved cases.
   */
  async importList(kind: string, source: string): Promise<ImportResult> {
    const r = await new ListImporter(this.ds, this.screening, this.audit).importFile(kind, source);
    if (r.unchanged) return { kind: r.kind, listVersionId: r.listVersionId, sha256: r.sha256, entries: r.entries, names: r.names, unchanged: true, rescreenedCases: 0, newHits: 0 };
    const { cases, newHits } = await this.rescreenAll(`list_import:${r.kind}`);
    return { kind: r.kind, listVersionId: r.listVersionId, sha256: r.sha256, entries: r.entries, names: r.names, unchanged: false, rescreenedCases: cases, newHits };
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
      // Role-guarded to officers: the staff rule (libs/domain/src/access.ts) is "submitted, not my own".
      if (!c || c.submittedAt === null) throw new DomainError(ErrorCode.NOT_FOUND, `No case with id ${caseId} exists, or you may not see it.`);
      if (c.ownerId === user.id) throw new DomainError(ErrorCode.SEGREGATION_OF_DUTIES, 'You own this case, so you may not confirm its screening hits.');
      const ok = await this.screening.confirmFlag(em, caseId, flagId, user.id, route, reason);
      if (!ok) throw new DomainError(ErrorCode.VALIDATION_FAILED, `flagId: there is no open screening flag ${flagId} on this case.`, { fields: [{ field: 'flagId', message: 'is not an open screening flag of this case' }] });
      const event = await this.commit.commit(em, c, { actorId: user.id, action: 'confirm_flag', payload: { flagId, route, reason } });
      return { flagId, status: 'confirmed', route, eventSeq: event.seq };
    });
  }

}
