import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '@app/domain';
import { categoryOf, PREFERENCE_CATEGORIES, TEMPLATE_NAMES } from '@app/mail';
import { DeliveryRepository, NotificationPreferenceRepository } from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { CaseService } from '../cases/case.service';
import { NotificationPreferencesDto } from './notification.dto';

/** Read side of the mail path (deliveries, alarms) and each person's preferences. */
@Injectable()
export class NotificationService {
  constructor(
    private readonly ds: DataSource,
    private readonly deliveries: DeliveryRepository,
    private readonly prefs: NotificationPreferenceRepository,
    private readonly cases: CaseService,
  ) {}

  /** The delivery log is part of the staff view (libs/domain/src/access.ts); anyone else gets the 404 of a missing case. */
  async caseNotifications(user: CurrentUser, caseId: string) {
    const { parts } = await this.cases.access(this.ds.manager, caseId, user);
    if (!parts.deliveryLog) throw new DomainError(ErrorCode.NOT_FOUND, `No case with id ${caseId} exists, or you may not see it.`);
    return { items: await this.deliveries.forCase(caseId) };
  }

  async mailStatus() {
    const alarms = await this.deliveries.alarms();
    const open = alarms.filter((a) => !a.clearedAt);
    return { status: open.length ? 'alarm' : 'ok', alarms, openAlarms: open.length, deliveries: await this.deliveries.statusCounts() };
  }

  async preferences(userId: string) {
    const saved = await this.prefs.forUser(userId);
    return {
      preferences: Object.fromEntries(PREFERENCE_CATEGORIES.map((c) => [c, saved[c] ?? 'immediate'])),
      // Which emails each category covers, and which can never be switched off.
      categories: Object.fromEntries(['critical', ...PREFERENCE_CATEGORIES].map((c) => [c, TEMPLATE_NAMES.filter((t) => categoryOf(t) === c)])),
    };
  }

  async setPreferences(userId: string, body: NotificationPreferencesDto) {
    const modes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Record<string, string>;
    await this.prefs.save(userId, modes);
    return this.preferences(userId);
  }
}
