import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError, ErrorCode, isSlaStage, parseSlaDuration, SLA_STAGES, StageSlaPolicy, validateSlaPolicy, validateWorkingHours } from '@app/domain';
import { AuditRepository, SlaRepository, SlaSettings, TimerRepository, UserRepository } from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { SlaClocks } from '@app/persistence';
import { ClosureDayDto, SlaPolicyDto, SlaSettingsDto } from './sla.dto';

/** Admins edit policies, working hours and closure days; each change is audited on the system chain. */
@Injectable()
export class SlaAdminService {
  private readonly clocks: SlaClocks;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly ds: DataSource,
    private readonly sla: SlaRepository,
    private readonly audit: AuditRepository,
    private readonly users: UserRepository,
    timers: TimerRepository,
  ) {
    this.clocks = new SlaClocks(config, sla, timers);
  }

  async policies() {
    return { items: await this.sla.policies(this.ds.manager) };
  }

  /** Saves the policy and moves every open clock of the stage (new timer rows, the old ones cancelled), in one transaction. */
  async setPolicy(admin: CurrentUser, stage: string, body: SlaPolicyDto) {
    if (!isSlaStage(stage)) throw new DomainError(ErrorCode.NOT_FOUND, `No stage "${stage}" has a service level; use ${SLA_STAGES.join(', ')}.`);
    const policy: StageSlaPolicy = {
      stage,
      target: body.target,
      atRiskAt: body.atRiskAt ?? 80,
      ladder: body.ladder.map((s) => ({ type: s.type, at: s.at, to: s.to, ...(s.plus ? { plus: s.plus } : {}), ...(s.kind ? { kind: s.kind } : {}) })),
    };
    validateSlaPolicy(policy);
    return this.ds.transaction(async (em) => {
      const version = await this.sla.savePolicy(em, policy, admin.id);
      const { moved } = await this.clocks.applyPolicy(em, policy, new Date());
      await this.audit.appendSystemEvent(em, { actorId: admin.id, action: 'sla_policy_changed', payload: { ...policy, version, casesMoved: moved } });
      return { policy: { ...policy, version }, casesMoved: moved };
    });
  }

  settings() {
    return this.sla.settings(this.ds.manager);
  }

  async setSettings(admin: CurrentUser, body: SlaSettingsDto): Promise<SlaSettings> {
    const hours = { days: body.days, opens: body.opens, closes: body.closes };
    validateWorkingHours(hours);
    for (const r of body.informationReminders ?? []) parseSlaDuration(r, 'informationReminders');
    return this.ds.transaction(async (em) => {
      if (body.headOfOfficeUserId) {
        const u = await this.users.findById(em, body.headOfOfficeUserId);
        if (!u || !u.active) throw new DomainError(ErrorCode.VALIDATION_FAILED, `headOfOfficeUserId: ${body.headOfOfficeUserId} is not an active user.`);
      }
      const current = await this.sla.settings(em);
      const next: SlaSettings = {
        hours,
        headOfOfficeUserId: body.headOfOfficeUserId === undefined ? current.headOfOfficeUserId : body.headOfOfficeUserId,
        informationReminders: body.informationReminders ?? current.informationReminders,
      };
      await this.sla.saveSettings(em, next);
      await this.audit.appendSystemEvent(em, { actorId: admin.id, action: 'sla_settings_changed', payload: { ...next } });
      return next;
    });
  }

  async closureDays() {
    return { items: await this.sla.closureDays(this.ds.manager) };
  }

  async addClosureDay(admin: CurrentUser, body: ClosureDayDto) {
    if (!DateTime.fromISO(body.day).isValid) throw new DomainError(ErrorCode.VALIDATION_FAILED, `day: ${body.day} is not a calendar date.`);
    return this.ds.transaction(async (em) => {
      if (!(await this.sla.addClosureDay(em, body.day, body.description, admin.id))) {
        throw new DomainError(ErrorCode.CONFLICT, `${body.day} is already a closure day.`);
      }
      await this.audit.appendSystemEvent(em, { actorId: admin.id, action: 'closure_day_added', payload: { ...body } });
      return { day: body.day, description: body.description };
    });
  }

  async removeClosureDay(admin: CurrentUser, day: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      if (!(await this.sla.removeClosureDay(em, day))) throw new DomainError(ErrorCode.NOT_FOUND, `${day} is not a closure day.`);
      await this.audit.appendSystemEvent(em, { actorId: admin.id, action: 'closure_day_removed', payload: { day } });
    });
  }
}
