import { CASE_STATES, FINAL_STATES, type CaseState } from './states';
import { ACTIONS, TRANSITIONS, type ActionName, type TransitionRow } from './transitions';

function targets(row: TransitionRow, from: CaseState, rows: readonly TransitionRow[]): CaseState[] {
  switch (row.to) {
    case 'same':
      return [from];
    case 'approved_or_lead_review':
      return ['approved', 'lead_review'];
    case 'remembered':
      // A remembered state is one the case can have come from: any state with an edge into `from`.
      return CASE_STATES.filter((s) => s !== from && rows.some((r) => r.from.includes(s) && r.to === from));
    default:
      return [row.to];
  }
}

const byAction = (a: ActionName, b: ActionName): number => ACTIONS.indexOf(a) - ACTIONS.indexOf(b);

/**
 * Mermaid `stateDiagram-v2` generated from the table, so the README's picture cannot
 * drift from the rules. Output is deterministic (states and actions in declaration
 * order) so a test can compare it with the README byte for byte. Same-state actions
 * would clutter the picture with loops, so they go in one note per state.
 */
export function stateDiagram(rows: readonly TransitionRow[] = TRANSITIONS): string {
  const edges = new Map<string, Set<ActionName>>();
  const loops = new Map<CaseState, Set<ActionName>>();
  for (const row of rows) {
    for (const from of row.from) {
      for (const to of targets(row, from, rows)) {
        if (to === from) {
          if (!loops.has(from)) loops.set(from, new Set());
          loops.get(from)!.add(row.action);
        } else {
          const key = `${from}>${to}`;
          if (!edges.has(key)) edges.set(key, new Set());
          edges.get(key)!.add(row.action);
        }
      }
    }
  }

  const lines = ['stateDiagram-v2', '    [*] --> draft'];
  for (const from of CASE_STATES) {
    for (const to of CASE_STATES) {
      const actions = edges.get(`${from}>${to}`);
      if (actions) lines.push(`    ${from} --> ${to} : ${[...actions].sort(byAction).join(', ')}`);
    }
  }
  for (const state of CASE_STATES) {
    const actions = loops.get(state);
    if (actions) lines.push(`    note right of ${state} : same state: ${[...actions].sort(byAction).join(', ')}`);
  }
  // Approved ends the review but the collaboration goes on (it can be suspended or revoked).
  for (const state of ['approved', ...FINAL_STATES]) lines.push(`    ${state} --> [*]`);
  return lines.join('\n') + '\n';
}
