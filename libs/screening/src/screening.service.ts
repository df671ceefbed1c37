import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DataSource, EntityManager } from 'typeorm';
import {
  assessRisk,
  CaseAnswers,
  caseSubjectKey,
  describeEntryChanges,
  diffEntryContent,
  DomainError,
  entryContent,
  EntryFieldChange,
  ErrorCode,
  questionnaireVersionOf,
  RISK_CONFIG,
  RiskAssessment,
  ScreeningHitFact,
  ScreeningListKind,
  ScreeningSubjectKind,
  ScreenQuery,
  WatchListRating,
} from '@app/domain';
import { ListImporter, ListImportSummary, ListUpload } from './importer';
import { CheckHit, CheckResult, screenName } from './screener';
import {
  AuditRepository,
  CaseCommit,
  CaseEntity,
  CaseRepository,
  NewScreeningHit,
  OutboxDraft,
  OutboxRepository,
  RescreenSubject,
  ScreeningRepository,
  ScreeningWatchRepository,
} from '@app/persistence';
import { CaseScreening } from './case-screening';

/** Dates shown to people: "30 November 2026". */
const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

export interface ImportResult {
  kind: ScreeningListKind;
  listVersionId: string;
  sha256: string;
  entries: number;
  names: number;
  unchanged: boolean;
  rescreenedCases: number;
  newHits: number;
  /** hits a remembered false-positive decision kept quiet (the entry unchanged since) */
  rememberedHits: number;
  sourceId: string;
  added: number;
  removed: number;
  changed: number;
  /** case subjects the added and changed entries touch, any case state */
  blastRadius: number;
}

interface Subject {
  name: string;
  kind: ScreeningSubjectKind;
  partnerIndex: number;
  country: string | null;
  subjectKey: string;
}

/**
 * Check results of one import's rescreen and blast radius, by name and country: a record
 * linked to many cases is screened once. The lists do not change within an import.
 */
type CheckCache = Map<string, Promise<CheckHit[]>>;
const checkKey = (name: string, country: string | null) => `${name.toLowerCase()}\u0000${country ?? ''}`;

@Injectable()
export class ScreeningService implements CaseScreening {
  constructor(
    private readonly ds: DataSource,
    private readonly screening: ScreeningRepository,
    private readonly cases: CaseRepository,
    private readonly audit: AuditRepository,
    private readonly commit: CaseCommit,
    private readonly watch: ScreeningWatchRepository,
    private readonly outbox: OutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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

  /** A check through the import's cache when there is one. */
  private cachedCheck(em: EntityManager, name: string, country: string | null, cache?: CheckCache): Promise<CheckHit[]> {
    if (!cache) return this.check(em, name, country);
    const key = checkKey(name, country);
    let hits = cache.get(key);
    if (!hits) cache.set(key, (hits = this.check(em, name, country)));
    return hits;
  }

  /**
   * Screens every subject of a case: its organisation records (partners, parents,
   * funders), person records, and what only its answers name (ScreeningWatchRepository
   * caseSubjects; or the subjects given: a rescreen's, from listRescreenSubjects); records hits not seen before and raises one
   * blocking flag per new hit. A hit on an entry that a remembered false-positive
   * decision covers, unchanged since (same content hash), is recorded without a flag; a
   * changed entry raises the flag again with what changed. A repeat of an earlier hit
   * on the same entry, unchanged, is not recorded again. The caller holds the row lock.
   */
  async screenCase(
    em: EntityManager,
    c: CaseEntity,
    actorId: string | null,
    given?: Subject[],
    cache?: CheckCache,
  ): Promise<{ newHits: (NewScreeningHit & { id: string; flagId: string })[]; remembered: number }> {
    const found: (NewScreeningHit & { decidedAt?: string })[] = [];
    for (const s of given ?? (await this.watch.caseSubjects(em, c))) {
      for (const h of await this.cachedCheck(em, s.name, s.country, cache)) {
        found.push({
          subject: s.name,
          subjectKind: s.kind,
          partnerIndex: s.partnerIndex,
          entryId: h.entryId,
          listVersionId: h.listVersionId,
          listKind: h.listKind,
          sourceList: h.sourceList,
          entryName: h.entryName,
          matchedName: h.matchedName,
          matchedNameType: h.matchedNameType,
          score: h.score,
          countryMatch: h.countryMatch,
          explanation: h.explanation,
          subjectKey: s.subjectKey,
        });
      }
    }
    const entries = new Map((await this.watch.entriesByIds(em, [...new Set(found.map((f) => f.entryId))])).map((e) => [e.id, e]));
    const changesSince = async (entryId: string, now: string): Promise<EntryFieldChange[]> => {
      const [was] = await this.watch.entriesByIds(em, [entryId]);
      const cur = entries.get(now);
      return was && cur ? diffEntryContent(entryContent(was), entryContent(cur)) : [];
    };
    const keep: (NewScreeningHit & { decidedAt?: string })[] = [];
    for (const f of found) {
      const hash = entries.get(f.entryId)?.contentHash ?? null;
      const decision = f.subjectKey ? await this.watch.latestDecision(em, f.subjectKey, f.entryId) : null;
      if (decision) {
        if (decision.contentHash === hash) {
          keep.push({ ...f, decisionId: decision.id });
          continue;
        }
        keep.push({ ...f, changes: await changesSince(decision.entryId, f.entryId), decidedAt: decision.decidedAt });
        continue;
      }
      const prev = await this.watch.previousHit(em, c.id, f.subject, f.entryId);
      if (prev && prev.contentHash !== null && prev.contentHash === hash) continue;
      keep.push(prev ? { ...f, changes: await changesSince(prev.entryId, f.entryId) } : f);
    }
    const inserted = await this.screening.insertHits(em, c.id, keep);
    const newHits: (NewScreeningHit & { id: string; flagId: string })[] = [];
    let remembered = 0;
    for (const h of inserted) {
      if (h.decisionId) {
        remembered++;
        continue;
      }
      const k = keep.find((x) => x.entryId === h.entryId && x.subject === h.subject);
      const changed = Array.isArray(h.changes) && h.changes.length ? describeEntryChanges(h.changes as EntryFieldChange[]) : null;
      const since = k?.decidedAt
        ? ` The list entry changed since it was cleared as a false positive on ${LONG_DATE.format(new Date(k.decidedAt))}${changed ? `: ${changed}.` : '.'}`
        : changed
          ? ` The list entry changed: ${changed}.`
          : '';
      const reason = `Screening hit: "${h.subject}" matches "${h.matchedName}" (${h.matchedNameType} name of ${h.entryName}) on ${h.sourceList}, score ${h.score.toFixed(2)}.${since} Clear it as a false positive or confirm it.`;
      const flag = await this.cases.addFlag(em, { caseId: c.id, kind: 'screening', blocking: true, reason, raisedById: actorId });
      await this.screening.linkFlag(em, [h.id], flag.id);
      newHits.push({ ...h, flagId: flag.id });
    }
    return { newHits, remembered };
  }

  /**
   * clear_flag's hook: a screening flag cleared as a false positive is remembered against
   * (subject, list entry, the entry's content hash), so the same entry unchanged does
   * not raise it again on any case with the same subject: the organisation or person
   * record (`organisation:<id>`, `person:<id>`), or for a party only the answers name,
   * the case-held name key.
   */
  async onFlagCleared(em: EntityManager, c: CaseEntity, flagId: string, resolution: string, actorId: string, reason: string): Promise<void> {
    if (resolution !== 'false_positive') return;
    for (const h of await this.watch.hitsOfFlag(em, c.id, flagId)) {
      // Hits recorded before subject keys: the case-held key from the answers.
      const a = c.answers as CaseAnswers;
      const party = h.subjectKind === 'funder' ? a.funders?.[h.partnerIndex] : a.partners?.[h.partnerIndex];
      const key = h.subjectKey ?? caseSubjectKey(h.subject.trim(), h.subjectKind, h.subjectKind === 'individual' ? null : party?.country || null);
      await this.watch.addDecision(em, { subjectKey: key, subject: h.subject, entryId: h.entryId, caseId: c.id, flagId, reason, decidedById: actorId });
    }
  }

  /** Hits that still count for scoring: every hit whose flag has not been cleared. */
  private async hitFacts(em: EntityManager, caseId: string): Promise<ScreeningHitFact[]> {
    const rows = await this.screening.hitsForCase(em, caseId);
    return (
      rows
        // A hit a remembered false positive kept quiet (no flag) counts no more than a cleared one.
        .filter((h) => h.flagStatus !== 'cleared' && !h.decisionId)
        .map((h) => ({
          listKind: h.listKind as ScreeningListKind,
          sourceList: h.sourceList,
          subject: h.subject,
          matchedName: h.matchedName,
          score: h.score,
          rating: h.rating as WatchListRating | null,
        }))
    );
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
    return {
      questionnaireVersion: c.questionnaireVersion,
      rulesVersion: assessment.rulesVersion,
      proposedRiskLevel: assessment.level,
      proposedRoute: assessment.route,
      score: assessment.score,
      screeningHits: newHits.length,
    };
  }

  /**
   * Respond: answers changed, so rescreen and rescore; a triage whose basis moved (the
   * proposed level changed) becomes stale and must be redone.
   */
  async onAnswersChanged(em: EntityManager, c: CaseEntity, actorId: string | null, trigger: string, subjects?: Subject[], cache?: CheckCache) {
    const before = await this.screening.latestAssessment(em, c.id);
    const { newHits, remembered } = await this.screenCase(em, c, actorId, subjects, cache);
    const assessment = await this.scoreCase(em, c, trigger);
    const changed = before !== null && before.level !== assessment.level;
    if (c.questionnaireVersion >= 2 || c.proposedRiskLevel !== null) c.proposedRiskLevel = assessment.level;
    if (changed && c.triagedById !== null) c.triageStale = true;
    return {
      previousLevel: before?.level ?? null,
      proposedRiskLevel: assessment.level,
      levelChanged: changed,
      triageStale: c.triageStale,
      screeningHits: newHits.length,
      rememberedHits: remembered,
      rulesVersion: assessment.rulesVersion,
    };
  }

  /**
   * Imports a list file as a new dated version of the kind's own source (libs/screening
   * ListImporter; skipped when the same bytes are already current), then rescreens and
   * works out the blast radius (afterImport).
   */
  async importList(kind: string, source: string): Promise<ImportResult> {
    const r = await new ListImporter(this.ds, this.screening, this.audit).importFile(kind, source);
    return this.afterImport(r, `list_import:${r.kind}`);
  }

  /** Imports a configured source from its location or an uploaded file (the worker's job, the admin's "import now"). */
  async importSource(sourceId: string, upload: ListUpload | null, trigger: string): Promise<ImportResult> {
    const src = await this.watch.getSource(this.ds.manager, sourceId);
    if (!src) throw new DomainError(ErrorCode.NOT_FOUND, `There is no screening list source ${sourceId}.`);
    let r: ListImportSummary;
    try {
      r = await new ListImporter(this.ds, this.screening, this.audit, this.config.screeningSources).importInto(
        src.id,
        src.listKind,
        src.location,
        upload,
        trigger,
        src.name,
      );
    } catch (err) {
      await this.watch.markRun(this.ds.manager, src.id, (err as Error).message.slice(0, 2000));
      throw err;
    }
    await this.watch.markRun(this.ds.manager, src.id, null);
    return this.afterImport(r, trigger);
  }

  /**
   * Every import that changed a list: rescreen every live subject (listRescreenSubjects),
   * then the blast radius of the added and changed entries over every submitted case,
   * approved and closed ones included, mailed to each case's officer.
   */
  private async afterImport(r: ListImportSummary, trigger: string): Promise<ImportResult> {
    const base = {
      kind: r.kind,
      listVersionId: r.listVersionId,
      sha256: r.sha256,
      entries: r.entries,
      names: r.names,
      sourceId: r.sourceId,
      added: r.added,
      removed: r.removed,
      changed: r.changed,
    };
    if (r.unchanged) return { ...base, unchanged: true, rescreenedCases: 0, newHits: 0, rememberedHits: 0, blastRadius: 0 };
    // One check per subject for the whole import: the rescreen and the blast radius share them.
    const cache: CheckCache = new Map();
    const { cases, newHits, remembered } = await this.rescreenAll(trigger, cache);
    await this.watch.recordRescreen(this.ds.manager, r.listVersionId, { cases, newHits, remembered });
    const blast = await this.blastRadius(r.listVersionId, cache);
    return { ...base, unchanged: false, rescreenedCases: cases, newHits, rememberedHits: remembered, blastRadius: blast };
  }

  /** Each case in its own short transaction under its row lock, so one failure does not undo the rest. */
  async rescreenAll(trigger: string, cache: CheckCache = new Map()): Promise<{ cases: number; newHits: number; remembered: number }> {
    const byCase = new Map<string, RescreenSubject[]>();
    for (const s of await this.watch.listRescreenSubjects(this.ds.manager, { scope: 'live' })) {
      byCase.set(s.caseId, [...(byCase.get(s.caseId) ?? []), s]);
    }
    let newHits = 0;
    let remembered = 0;
    for (const [id, subjects] of byCase) {
      newHits += await this.ds.transaction(async (em) => {
        const c = await this.cases.lockById(em, id);
        if (!c) return 0;
        const before = { level: c.proposedRiskLevel, stale: c.triageStale };
        const result = await this.onAnswersChanged(
          em,
          c,
          null,
          trigger,
          subjects.map((s) => ({ name: s.name, kind: s.kind, partnerIndex: s.partnerIndex, country: s.country, subjectKey: s.subjectKey })),
          cache,
        );
        remembered += result.rememberedHits;
        if (result.screeningHits === 0 && !result.levelChanged) return 0;
        // New hits tell the accountable officer; the mail relay maps this to an email.
        const outbox: OutboxDraft[] =
          result.screeningHits > 0
            ? [
                {
                  topic: 'case-event',
                  payload: {
                    action: 'screening_hit',
                    reference: c.reference,
                    assigneeId: c.assigneeId,
                    newHits: result.screeningHits,
                    fromState: c.state,
                    toState: c.state,
                    actorId: null,
                  },
                },
              ]
            : [];
        await this.commit.commit(em, c, {
          actorId: null,
          action: 'rescreen',
          outbox,
          payload: {
            trigger,
            newHits: result.screeningHits,
            rememberedHits: result.rememberedHits,
            previousLevel: result.previousLevel,
            proposedRiskLevel: result.proposedRiskLevel,
            triageStale: c.triageStale,
            wasStale: before.stale,
          },
        });
        return result.screeningHits;
      });
    }
    return { cases: byCase.size, newHits, remembered };
  }

  /**
   * The blast radius of a version: each added or changed entry against the subjects of
   * every submitted case (approved and closed ones too), through the same matcher and
   * threshold as a check. Stored with the version; each case officer (every officer for
   * an unassigned case) gets one email listing their cases.
   */
  async blastRadius(versionId: string, cache: CheckCache = new Map()): Promise<number> {
    const em = this.ds.manager;
    const changes = await this.watch.changes(em, versionId, ['added', 'changed']);
    if (!changes.length) return 0;
    const byEntry = new Map(changes.map((ch) => [ch.entryId, ch]));
    const rows: { changeId: string; caseId: string; subjectKey: string; subject: string; score: number; caseState: string }[] = [];
    for (const s of await this.watch.listRescreenSubjects(em, { scope: 'all' })) {
      for (const h of await this.cachedCheck(em, s.name, s.country, cache)) {
        const ch = byEntry.get(h.entryId);
        if (ch) rows.push({ changeId: ch.id, caseId: s.caseId, subjectKey: s.subjectKey, subject: s.name, score: h.score, caseState: s.caseState });
      }
    }
    if (!rows.length) return 0;
    const version = await this.watch.version(em, versionId);
    await this.ds.transaction(async (tx) => {
      await this.watch.addBlast(tx, versionId, rows);
      const blast = await this.watch.blast(tx, versionId);
      const officers = await this.watch.activeOfficerIds(tx);
      const byUser = new Map<string, typeof blast>();
      for (const b of blast) for (const u of b.assigneeId ? [b.assigneeId] : officers) byUser.set(u, [...(byUser.get(u) ?? []), b]);
      for (const [userId, items] of byUser) {
        await this.outbox.add(tx, {
          topic: 'screening-blast-radius',
          payload: {
            userIds: [userId],
            listVersionId: versionId,
            sourceName: String(version?.sourceName ?? ''),
            items: items.map((b) => ({
              caseId: b.caseId,
              reference: b.reference,
              caseState: b.caseState,
              subject: b.subject,
              entryName: b.primaryName,
              change: b.change,
              whatChanged: describeEntryChanges((b.changes ?? []) as EntryFieldChange[]),
              score: Math.round(b.score * 100) / 100,
            })),
          },
        });
      }
    });
    return rows.length;
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
      if (!ok)
        throw new DomainError(ErrorCode.VALIDATION_FAILED, `flagId: there is no open screening flag ${flagId} on this case.`, {
          fields: [{ field: 'flagId', message: 'is not an open screening flag of this case' }],
        });
      const event = await this.commit.commit(em, c, { actorId: user.id, action: 'confirm_flag', payload: { flagId, route, reason } });
      return { flagId, status: 'confirmed', route, eventSeq: event.seq };
    });
  }
}
