import { EntityManager } from 'typeorm';
import { CaseEntity } from '@app/persistence';
import { CaseCommit } from '@app/persistence';

/** Why a linked case was opened: an amendment of an approved case, or a periodic re-review that found changes. */
export interface LinkedOrigin {
  kind: 'amendment' | 're_review';
  description: string;
  changeType?: string;
}

/**
 * Opens a draft linked to an approved case, pre-filled with its title and answers, and
 * audits its creation naming the parent. The same for `request_amendment` and for a
 * re-review follow-up, so both start from the same copy.
 */
export async function openLinkedDraft(
  commit: CaseCommit,
  em: EntityManager,
  parent: CaseEntity,
  actorId: string,
  now: Date,
  origin: LinkedOrigin,
): Promise<CaseEntity> {
  const link = origin.kind === 'amendment' ? { amendmentOf: parent.id } : { reReviewOf: parent.id };
  return commit.openDraft(
    em,
    { ownerId: parent.ownerId, title: parent.title, answers: structuredClone(parent.answers), departmentId: parent.departmentId, parentCaseId: parent.id },
    actorId,
    { ...link, parentReference: parent.reference, description: origin.description, changeType: origin.changeType ?? null },
    now,
  );
}

export type FieldChange = { from: unknown; to: unknown };

/**
 * What a linked case changes against its parent: the title and each questionnaire
 * answer that differs (compared as JSON), so reviewers see the amendment at a glance.
 */
export function changesFromParent(parent: Pick<CaseEntity, 'title' | 'answers'>, child: Pick<CaseEntity, 'title' | 'answers'>): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  if (parent.title !== child.title) changes.title = { from: parent.title, to: child.title };
  const a = parent.answers as Record<string, unknown>;
  const b = child.answers as Record<string, unknown>;
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (JSON.stringify(a[key] ?? null) !== JSON.stringify(b[key] ?? null)) changes[key] = { from: a[key] ?? null, to: b[key] ?? null };
  }
  return changes;
}
