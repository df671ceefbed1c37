import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusinessCalendar, HolidayDivision, isSlaStage, LadderStep, SlaClock, SlaStage, SlaState, StageSlaPolicy, WorkingHours } from '@app/domain';
import { returnedRows } from '../sql';

export interface SlaSettings {
  hours: WorkingHours;
  headOfOfficeUserId: string | null;
  informationReminders: string[];
}

export interface ClosureDay {
  day: string;
  description: string;
}

export interface ClockDerived {
  dueAt: Date | null;
  atRiskFrom: Date | null;
  state: SlaState | null;
}

interface SettingsRow {
  days: (number | string)[];
  opens: string;
  closes: string;
  headOfOfficeUserId: string | null;
  informationReminders: string[];
}

/** The clock columns as stored; null on a case without a clock. */
interface ClockRow {
  stage: string | null;
  mode: SlaClock['mode'];
  budgetMs: string | number;
  atRiskAt: string | number;
  usedMs: string | number;
  anchorAt: Date | string | null;
  pausedAt: Date | string | null;
  pausedMs: string | number;
}

interface PolicyRow {
  stage: string;
  target: string;
  atRiskAt: number;
  ladder: LadderStep[];
  version: number;
  updatedAt: Date;
}

/** Policies, calendar settings, closure days and the SLA clock columns of a case. */
@Injectable()
export class SlaRepository {
  async policies(em: EntityManager): Promise<(StageSlaPolicy & { version: number; updatedAt: Date })[]> {
    const rows: PolicyRow[] = await em.query(
      `SELECT stage, target, at_risk_at AS "atRiskAt", ladder, version, updated_at AS "updatedAt" FROM sla_policy ORDER BY stage`,
    );
    return rows.filter((r) => isSlaStage(r.stage)).map((r) => ({ ...r, stage: r.stage as SlaStage }));
  }

  async policy(em: EntityManager, stage: string): Promise<StageSlaPolicy | null> {
    if (!isSlaStage(stage)) return null;
    const [row]: PolicyRow[] = await em.query(`SELECT stage, target, at_risk_at AS "atRiskAt", ladder FROM sla_policy WHERE stage = $1`, [stage]);
    return row ? { ...row, stage } : null;
  }

  /** Upsert under a row lock; returns the new version. */
  async savePolicy(em: EntityManager, p: StageSlaPolicy, byId: string): Promise<number> {
    const [row] = await em.query<{ version: number }[]>(
      `INSERT INTO sla_policy (stage, target, at_risk_at, ladder, updated_by_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (stage) DO UPDATE SET target = EXCLUDED.target, at_risk_at = EXCLUDED.at_risk_at, ladder = EXCLUDED.ladder,
         updated_by_id = EXCLUDED.updated_by_id, updated_at = now(), version = sla_policy.version + 1
       RETURNING version`,
      [p.stage, p.target, p.atRiskAt, JSON.stringify(p.ladder), byId],
    );
    return row.version;
  }

  async settings(em: EntityManager): Promise<SlaSettings> {
    const [r] = await em.query<SettingsRow[]>(
      `SELECT working_days AS days, opens, closes, head_of_office_user_id AS "headOfOfficeUserId",
              information_reminders AS "informationReminders"
         FROM sla_setting WHERE id = 1`,
    );
    return {
      hours: { days: r.days.map(Number), opens: r.opens, closes: r.closes },
      headOfOfficeUserId: r.headOfOfficeUserId,
      informationReminders: r.informationReminders,
    };
  }

  async saveSettings(em: EntityManager, s: SlaSettings): Promise<void> {
    await em.query(
      `UPDATE sla_setting SET working_days = $1, opens = $2, closes = $3, head_of_office_user_id = $4,
              information_reminders = $5, updated_at = now()
        WHERE id = 1`,
      [s.hours.days, s.hours.opens, s.hours.closes, s.headOfOfficeUserId, s.informationReminders],
    );
  }

  closureDays(em: EntityManager): Promise<ClosureDay[]> {
    return em.query<ClosureDay[]>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, description FROM closure_day ORDER BY day`);
  }

  async addClosureDay(em: EntityManager, day: string, description: string, byId: string): Promise<boolean> {
    const rows = returnedRows(
      await em.query(`INSERT INTO closure_day (day, description, created_by_id) VALUES ($1, $2, $3) ON CONFLICT (day) DO NOTHING RETURNING day`, [
        day,
        description,
        byId,
      ]),
    );
    return rows.length > 0;
  }

  async removeClosureDay(em: EntityManager, day: string): Promise<boolean> {
    return returnedRows(await em.query(`DELETE FROM closure_day WHERE day = $1 RETURNING day`, [day])).length > 0;
  }

  /** The calendar as configured now: zone and division from config, the rest from the database. */
  async calendar(em: EntityManager, zone: string, division: HolidayDivision): Promise<BusinessCalendar> {
    const [settings, closures] = await Promise.all([this.settings(em), this.closureDays(em)]);
    return BusinessCalendar.of({ zone, division, hours: settings.hours, closureDays: closures.map((c) => c.day) });
  }

  async clock(em: EntityManager, caseId: string): Promise<SlaClock | null> {
    const [r] = await em.query<(ClockRow | undefined)[]>(
      `SELECT sla_stage AS stage, sla_mode AS mode, sla_budget_ms AS "budgetMs", sla_at_risk_pct AS "atRiskAt",
              sla_used_ms AS "usedMs", sla_anchor_at AS "anchorAt", sla_paused_at AS "pausedAt", sla_paused_ms AS "pausedMs"
         FROM collaboration_case WHERE id = $1`,
      [caseId],
    );
    if (!r || !r.stage || !isSlaStage(r.stage)) return null;
    return {
      stage: r.stage,
      mode: r.mode,
      budgetMs: Number(r.budgetMs),
      atRiskAt: Number(r.atRiskAt),
      usedMs: Number(r.usedMs),
      anchorAt: r.anchorAt ? new Date(r.anchorAt) : null,
      pausedAt: r.pausedAt ? new Date(r.pausedAt) : null,
      pausedMs: Number(r.pausedMs),
    };
  }

  /** Writes (or, with null, clears) the clock and what the list filter reads from it. */
  async saveClock(em: EntityManager, caseId: string, clock: SlaClock | null, d: ClockDerived): Promise<void> {
    await em.query(
      `UPDATE collaboration_case SET sla_stage = $2, sla_mode = $3, sla_budget_ms = $4, sla_at_risk_pct = $5, sla_used_ms = $6,
              sla_anchor_at = $7, sla_paused_at = $8, sla_paused_ms = $9, sla_due_at = $10, sla_at_risk_from = $11, sla_state = $12
        WHERE id = $1`,
      [
        caseId,
        clock?.stage ?? null,
        clock?.mode ?? null,
        clock?.budgetMs ?? null,
        clock?.atRiskAt ?? null,
        clock?.usedMs ?? null,
        clock?.anchorAt ?? null,
        clock?.pausedAt ?? null,
        clock?.pausedMs ?? null,
        d.dueAt,
        d.atRiskFrom,
        clock ? d.state : null,
      ],
    );
  }

  /** Open cases whose clock belongs to `stage`, locked one by one in id order (as act() locks them). */
  async lockCasesWithClock(em: EntityManager, stage: string): Promise<{ id: string; state: string }[]> {
    return em.query<{ id: string; state: string }[]>(
      `SELECT id, state FROM collaboration_case WHERE sla_stage = $1 AND closed_at IS NULL ORDER BY id FOR UPDATE`,
      [stage],
    );
  }

  /** The worker records a reached threshold; never moves a state backwards, only for the same stage's clock. */
  async markState(em: EntityManager, caseId: string, stage: string, state: 'at_risk' | 'breached'): Promise<void> {
    await em.query(
      `UPDATE collaboration_case SET sla_state = $3
        WHERE id = $1 AND sla_stage = $2 AND sla_anchor_at IS NOT NULL
          AND (sla_state = 'on_track' OR (sla_state = 'at_risk' AND $3 = 'breached'))`,
      [caseId, stage, state],
    );
  }
}
