import { DataSource } from 'typeorm';
import { AppConfig, appDatabaseUrl } from '@app/config';
import { CaseEntity, CaseFlagEntity, CaseNoteEntity, CaseReferenceCounterEntity } from './entities/case.entity';
import { CaseEventEntity, CaseTimerEntity, OutboxEntity, SystemEventEntity } from './entities/event.entity';
import { DepartmentDelegateEntity, DepartmentEntity, InvitationEntity, RefreshTokenEntity, UserEntity } from './entities/user.entity';
import { Initial1764000000000 } from './migrations/1764000000000-Initial';
import { SignOffIndexes1764000000006 } from './migrations/1764000000006-SignOffIndexes';
import { Delivery1764000000002 } from './migrations/1764000000002-Delivery';
import { DeliveryEntity } from './entities/delivery.entity';
import { Screening1764000000003 } from './migrations/1764000000003-Screening';
import { CaseRiskAssessmentEntity, ScreeningHitEntity, ScreeningListVersionEntity } from './entities/screening.entity';
import { Sla1764000000004 } from './migrations/1764000000004-Sla';
import { LoginAttempt1764000000005 } from './migrations/1764000000005-LoginAttempt';
import { Notifications1764000000007 } from './migrations/1764000000007-Notifications';
import { Documents1764000000008 } from './migrations/1764000000008-Documents';
import { CaseSignedBy1764000000009 } from './migrations/1764000000009-CaseSignedBy';
import { TimerNotify1765000000030 } from './migrations/1765000000030-TimerNotify';
import { Reporting1765000000070 } from './migrations/1765000000070-Reporting';
import { AttachmentVisibility1765000000091 } from './migrations/1765000000091-AttachmentVisibility';
import { ReturnStateCheck1765000000092 } from './migrations/1765000000092-ReturnStateCheck';
import { PartnerRegister1765700000000 } from './migrations/1765700000000-PartnerRegister';
import { SlaConfigVersion1765400000000 } from './migrations/1765400000000-SlaConfigVersion';
import { Sso1765000000004 } from './migrations/1765000000004-Sso';
import { ScreeningLists1765000000020 } from './migrations/1765000000020-ScreeningLists';
import { MonthlyReport1765000000071 } from './migrations/1765000000071-MonthlyReport';
import { AuditKeyId1765000000051 } from './migrations/1765000000051-AuditKeyId';
import { LoginAttemptDelay1765000000052 } from './migrations/1765000000052-LoginAttemptDelay';
import { SessionFamily1765000000053 } from './migrations/1765000000053-SessionFamily';
import { PasswordReset1765000000054 } from './migrations/1765000000054-PasswordReset';
import { Lifecycle1765000000081 } from './migrations/1765000000081-Lifecycle';
import { ContinuousScreening1765800000000 } from './migrations/1765800000000-ContinuousScreening';
import { ListVisibilityIndexes1765970000000 } from './migrations/1765970000000-ListVisibilityIndexes';
import { FunderScreening1765900000000 } from './migrations/1765900000000-FunderScreening';
import { OrganisationDocumentFiles1765910000000 } from './migrations/1765910000000-OrganisationDocumentFiles';
import { ReportSummary1765600000000 } from './migrations/1765600000000-ReportSummary';
import { ReportStage1765920000000 } from './migrations/1765920000000-ReportStage';
import { ReportStageDay1766000000000 } from './migrations/1766000000000-ReportStageDay';
import { ReportStageDayHistogram1766100000000 } from './migrations/1766100000000-ReportStageDayHistogram';
import { ReportSlices1766100000001 } from './migrations/1766100000001-ReportSlices';
import { ReportCaseFilterIndexes1766100000002 } from './migrations/1766100000002-ReportCaseFilterIndexes';
import { ReportOpenStays1766100000003 } from './migrations/1766100000003-ReportOpenStays';
import { ReportCaseOpenDims1766200000000 } from './migrations/1766200000000-ReportCaseOpenDims';

export const ENTITIES = [
  DepartmentEntity,
  UserEntity,
  DepartmentDelegateEntity,
  RefreshTokenEntity,
  InvitationEntity,
  CaseEntity,
  CaseReferenceCounterEntity,
  CaseNoteEntity,
  CaseFlagEntity,
  CaseEventEntity,
  SystemEventEntity,
  CaseTimerEntity,
  OutboxEntity,
  DeliveryEntity,
  ScreeningListVersionEntity,
  ScreeningHitEntity,
  CaseRiskAssessmentEntity,
];

/** Listed explicitly (no glob) so the same list works under ts-jest and in dist/. */
export const MIGRATIONS = [
  Initial1764000000000,
  Delivery1764000000002,
  Screening1764000000003,
  Sla1764000000004,
  LoginAttempt1764000000005,
  SignOffIndexes1764000000006,
  Notifications1764000000007,
  Documents1764000000008,
  CaseSignedBy1764000000009,
  TimerNotify1765000000030,
  Reporting1765000000070,
  AttachmentVisibility1765000000091,
  ReturnStateCheck1765000000092,
  Sso1765000000004,
  ScreeningLists1765000000020,
  MonthlyReport1765000000071,
  AuditKeyId1765000000051,
  LoginAttemptDelay1765000000052,
  SessionFamily1765000000053,
  PasswordReset1765000000054,
  Lifecycle1765000000081,
  ContinuousScreening1765800000000,
  ListVisibilityIndexes1765970000000,
  FunderScreening1765900000000,
  OrganisationDocumentFiles1765910000000,
  PartnerRegister1765700000000,
  ReportSummary1765600000000,
  ReportStage1765920000000,
  SlaConfigVersion1765400000000,
  ReportStageDay1766000000000,
  ReportStageDayHistogram1766100000000,
  ReportSlices1766100000001,
  ReportCaseFilterIndexes1766100000002,
  ReportOpenStays1766100000003,
  ReportCaseOpenDims1766200000000,
];

export type ConnectionRole = 'app' | 'owner';

/**
 * The API and worker connect as the app role (owns no table); migrations, seeding and
 * audit verification connect as the owner.
 */
export function createDataSource(config: AppConfig, role: ConnectionRole, poolSize = config.database.poolSize): DataSource {
  return new DataSource({
    type: 'postgres',
    url: role === 'app' ? appDatabaseUrl(config) : config.database.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migration',
    synchronize: false,
    migrationsRun: false,
    // Tests provoke refused queries on purpose; elsewhere failing SQL is worth a log line.
    logging: config.nodeEnv === 'test' ? false : ['error'],
    // No JIT compilation: the app's statements are short, and the reports' plans over a million
    // cases cost enough to cross jit_above_cost, where compiling took ~2 s of a 0.1 s query.
    extra: { max: poolSize, application_name: `trusted-research-${role}`, options: '-c jit=off' },
  });
}
