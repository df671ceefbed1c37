import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { CaseAnswers, CaseState, RiskLevel } from '@app/domain';

export interface ProposedDecision {
  decisionText: string;
  conditions: { text: string; dueDate?: string; metAt?: string; metById?: string; note?: string }[];
  reviewDate?: string;
}

@Entity('collaboration_case')
export class CaseEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') reference: string;
  @Column('text') title: string;
  @Column('jsonb') answers: CaseAnswers;
  @Column('int', { name: 'questionnaire_version' }) questionnaireVersion: number;
  @Column('uuid', { name: 'owner_id' }) ownerId: string;
  @Column('uuid', { name: 'department_id', nullable: true }) departmentId: string | null;
  @Column('uuid', { name: 'parent_case_id', nullable: true }) parentCaseId: string | null;
  @Column('text') state: CaseState;
  @Column('text', { nullable: true }) outcome: string | null;
  @Column('text', { name: 'return_state', nullable: true }) returnState: CaseState | null;
  @Column('uuid', { name: 'assignee_id', nullable: true }) assigneeId: string | null;
  @Column('uuid', { name: 'triaged_by_id', nullable: true }) triagedById: string | null;
  @Column('text', { name: 'risk_level', nullable: true }) riskLevel: RiskLevel | null;
  @Column('text', { name: 'proposed_risk_level', nullable: true }) proposedRiskLevel: RiskLevel | null;
  @Column('jsonb', { nullable: true }) triage: Record<string, unknown> | null;
  @Column('boolean', { name: 'triage_stale' }) triageStale: boolean;
  @Column('boolean', { name: 'export_review_required' }) exportReviewRequired: boolean;
  @Column('boolean', { name: 'export_review_completed' }) exportReviewCompleted: boolean;
  @Column('uuid', { name: 'export_reviewer_id', nullable: true }) exportReviewerId: string | null;
  @Column('jsonb', { name: 'export_assessment', nullable: true }) exportAssessment: Record<string, unknown> | null;
  @Column('jsonb', { name: 'proposed_decision', nullable: true }) proposedDecision: ProposedDecision | null;
  @Column('jsonb', { nullable: true }) decision: ProposedDecision | null;
  @Column('jsonb', { nullable: true }) rejection: { reasonCategory: string; reasonText: string } | null;
  /** The current suspension of an approval (null when not suspended); byId null when the licence-expiry timer suspended it. */
  @Column('jsonb', { nullable: true }) suspension: { reasonCategory: string; reasonText: string; byId: string | null; at: string } | null;
  @Column('jsonb', { name: 'information_request', nullable: true })
  informationRequest: { question: string; replyBy: string; askedById: string; askedAt: string } | null;
  /** Everyone who endorsed or declined the case (kept by the transition that signs). */
  @Column('uuid', { name: 'signed_by', array: true }) signedBy: string[];
  @Column('int') version: number;
  @Column('text', { name: 'search_text' }) searchText: string;
  @Column('timestamptz', { name: 'stage_entered_at' }) stageEnteredAt: Date;
  @Column('timestamptz', { name: 'submitted_at', nullable: true }) submittedAt: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('case_reference_counter')
export class CaseReferenceCounterEntity {
  @PrimaryColumn('int') year: number;
  @Column('int', { name: 'last_value' }) lastValue: number;
}

@Entity('case_note')
export class CaseNoteEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'author_id' }) authorId: string;
  @Column('text') visibility: 'internal' | 'researcher';
  @Column('text') body: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('case_flag')
export class CaseFlagEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('text') kind: string;
  @Column('boolean') blocking: boolean;
  @Column('text') reason: string;
  @Column('text') status: 'open' | 'cleared' | 'confirmed';
  @Column('uuid', { name: 'raised_by_id', nullable: true }) raisedById: string | null;
  @CreateDateColumn({ name: 'raised_at', type: 'timestamptz' }) raisedAt: Date;
  @Column('uuid', { name: 'resolved_by_id', nullable: true }) resolvedById: string | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt: Date | null;
  @Column('text', { nullable: true }) resolution: string | null;
  @Column('text', { name: 'resolution_reason', nullable: true }) resolutionReason: string | null;
}
