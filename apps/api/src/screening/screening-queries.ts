import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RISK_CONFIG, ScreenQuery } from '@app/domain';
import { CaseEntity, CaseRepository, ScreeningRepository } from '@app/persistence';
import { ScreeningService } from '@app/screening';

/** What the screening API answers, assembled here so its controllers only translate HTTP. */
@Injectable()
export class ScreeningQueries {
  constructor(
    private readonly ds: DataSource,
    private readonly service: ScreeningService,
    private readonly screening: ScreeningRepository,
    private readonly cases: CaseRepository,
  ) {}

  /** One name screened, each hit with its explanation, warnings when it could not be screened as asked, and how long it took. */
  async check(query: ScreenQuery & { country: string | null }) {
    const started = process.hrtime.bigint();
    const { hits, warnings } = await this.service.checkDetailed(this.ds.manager, query);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { name: query.name, country: query.country, threshold: this.service.threshold, hits, warnings, tookMs: Math.round(ms * 100) / 100 };
  }

  /** Staff's view of a case's scoring: the latest proposal with every factor that fired, and the hits. */
  async risk(c: CaseEntity) {
    const em = this.ds.manager;
    const latest = await this.screening.latestAssessment(em, c.id);
    return {
      caseId: c.id,
      questionnaireVersion: c.questionnaireVersion,
      proposedRiskLevel: c.proposedRiskLevel,
      riskLevel: c.riskLevel,
      triageStale: c.triageStale,
      currentRulesVersion: RISK_CONFIG.version,
      assessment: latest
        ? { ...latest.assessment, trigger: latest.trigger, questionnaireVersion: latest.questionnaireVersion, createdAt: latest.createdAt }
        : null,
      screeningHits: await this.screening.hitsForCase(em, c.id),
    };
  }

  /** Confirms a hit and answers with the case's flags as they now stand. */
  async confirmFlag(user: { id: string }, caseId: string, flagId: string, route: 'reject' | 'lead', reason: string) {
    const result = await this.service.confirmFlag(user, caseId, flagId, route, reason);
    return { ...result, flags: await this.cases.flags(this.ds.manager, caseId) };
  }
}
