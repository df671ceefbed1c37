/**
 * The intake questionnaire, one topic per page. A local definition that mirrors
 * CaseAnswers (libs/domain/src/questionnaire.ts) until the API serves a versioned
 * questionnaire definition (issue 6); then the pages are drawn from that instead.
 */
import type { CaseAnswers } from '../../../libs/domain/src/questionnaire';
import { ACTIVITY_TYPE_LABELS, NSI_AREA_LABELS, PARTNER_TYPE_LABELS } from './labels';

export type QuestionKind = 'text' | 'textarea' | 'date' | 'checkboxes' | 'partners' | 'areas';

export interface Question {
  /** 'title' or a CaseAnswers key */
  id: 'title' | keyof CaseAnswers;
  label: string;
  hint?: string;
  /** One line on why the research office needs this. */
  why: string;
  kind: QuestionKind;
  options?: { value: string; label: string }[];
  optional?: boolean;
}

export interface Topic {
  slug: string;
  title: string;
  questions: Question[];
}

const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

export const TOPICS: Topic[] = [
  {
    slug: 'collaboration',
    title: 'The collaboration',
    questions: [
      { id: 'title', label: 'Title of the collaboration', hint: 'A short name the research office will recognise, such as "Thin films with Toronto".', why: 'The title identifies the case in lists and in every email about it.', kind: 'text' },
      { id: 'summary', label: 'What does the collaboration involve?', hint: 'The research, who does what, and what is shared or produced.', why: 'The office judges the risk from what is actually done, not from the partner alone.', kind: 'textarea' },
      { id: 'activityTypes', label: 'What kind of activity is it?', hint: 'Select all that apply.', why: 'Some activities, such as shipments or work on behalf of a partner, carry export-control duties.', kind: 'checkboxes', options: options(ACTIVITY_TYPE_LABELS) },
      { id: 'startDate', label: 'When does it start?', hint: 'For example, 31 January 2027.', why: 'The office plans its review so a decision is ready before work begins.', kind: 'date' },
      { id: 'endDate', label: 'When does it end?', hint: 'Leave blank if there is no fixed end.', why: 'Long collaborations are screened again before their review date.', kind: 'date', optional: true },
      { id: 'fundingSource', label: 'Who funds the work?', hint: 'Funder and grant reference, or "unfunded".', why: 'Foreign state or military funding changes the level of due diligence required.', kind: 'text' },
    ],
  },
  {
    slug: 'partners',
    title: 'Partners',
    questions: [
      { id: 'partners', label: 'Partner organisations', hint: 'Add every organisation outside the university that takes part.', why: 'Each partner is screened against sanctions and end-user lists, and its country affects the risk.', kind: 'partners' },
    ],
  },
  {
    slug: 'technology',
    title: 'Technology',
    questions: [
      { id: 'sensitiveAreas', label: 'Which sensitive areas does the work touch?', hint: 'These are the 17 areas of the National Security and Investment Act 2021. Select all that apply.', why: 'Work in these areas is where national-security risk and export controls most often arise.', kind: 'areas', options: options(NSI_AREA_LABELS) },
    ],
  },
  {
    slug: 'data-and-people',
    title: 'Data and people',
    questions: [
      { id: 'dataSharing', label: 'What data, samples or software will be shared?', hint: 'Say what leaves the university, and in which direction.', why: 'Transfers of controlled technology can need a licence, even by email or a shared drive.', kind: 'textarea', optional: true },
      { id: 'people', label: 'Who travels or visits, and for how long?', hint: 'Staff or students going abroad, visitors coming to the university.', why: 'Visits give access to labs and knowledge; ATAS and export rules can apply to people too.', kind: 'textarea', optional: true },
    ],
  },
];

export const PARTNER_TYPE_OPTIONS = options(PARTNER_TYPE_LABELS);

export function topicBySlug(slug: string | undefined): Topic | undefined {
  return TOPICS.find((t) => t.slug === slug);
}

/** Which topic page holds a field the API names (e.g. "partners[0].country"). */
export function topicForField(field: string): Topic {
  const id = field.replace(/[[.].*$/, '');
  return TOPICS.find((t) => t.questions.some((q) => q.id === id)) ?? TOPICS[0];
}
