import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('screening_list_version')
export class ScreeningListVersionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { name: 'list_kind' }) listKind: string;
  @Column('text') source: string;
  @Column('text') sha256: string;
  @Column('text', { name: 'published_at', nullable: true }) publishedAt: string | null;
  @Column('int', { name: 'entry_count' }) entryCount: number;
  @Column('int', { name: 'name_count' }) nameCount: number;
  @Column('boolean', { name: 'is_current' }) isCurrent: boolean;
  @Column('timestamptz', { name: 'imported_at' }) importedAt: Date;
  @Column('uuid', { name: 'source_id' }) sourceId: string;
  @Column('uuid', { name: 'previous_version_id', nullable: true }) previousVersionId: string | null;
  @Column('int', { name: 'added_count', nullable: true }) addedCount: number | null;
  @Column('int', { name: 'removed_count', nullable: true }) removedCount: number | null;
  @Column('int', { name: 'changed_count', nullable: true }) changedCount: number | null;
  @Column('int', { name: 'rescreened_cases', nullable: true }) rescreenedCases: number | null;
  @Column('int', { name: 'new_hits', nullable: true }) newHits: number | null;
  @Column('int', { name: 'remembered_hits', nullable: true }) rememberedHits: number | null;
  @Column('text', { nullable: true }) trigger: string | null;
}

@Entity('screening_hit')
export class ScreeningHitEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'flag_id', nullable: true }) flagId: string | null;
  @Column('text') subject: string;
  @Column('text', { name: 'subject_kind' }) subjectKind: string;
  @Column('int', { name: 'partner_index' }) partnerIndex: number;
  @Column('uuid', { name: 'entry_id' }) entryId: string;
  @Column('uuid', { name: 'list_version_id' }) listVersionId: string;
  @Column('text', { name: 'list_kind' }) listKind: string;
  @Column('text', { name: 'source_list' }) sourceList: string;
  @Column('text', { name: 'entry_name' }) entryName: string;
  @Column('text', { name: 'matched_name' }) matchedName: string;
  @Column('text', { name: 'matched_name_type' }) matchedNameType: string;
  @Column('numeric', { precision: 5, scale: 4, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) score: number;
  @Column('boolean', { name: 'country_match', nullable: true }) countryMatch: boolean | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}

@Entity('case_risk_assessment')
export class CaseRiskAssessmentEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('text') trigger: string;
  @Column('int', { name: 'questionnaire_version' }) questionnaireVersion: number;
  @Column('text', { name: 'rules_version' }) rulesVersion: string;
  @Column('text') level: string;
  @Column('int') score: number;
  @Column('text') route: string;
  @Column('boolean', { name: 'export_indicator' }) exportIndicator: boolean;
  @Column('jsonb') assessment: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
