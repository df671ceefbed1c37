import { stateDiagram } from './diagram';
import type { TransitionRow } from './transitions';

describe('stateDiagram', () => {
  const diagram = stateDiagram();
  const lines = diagram.trimEnd().split('\n');

  it('is a Mermaid state diagram with a start and the terminal ends', () => {
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(lines).toContain('    [*] --> draft');
    for (const s of ['approved', 'rejected', 'withdrawn']) expect(lines).toContain(`    ${s} --> [*]`);
  });

  it.each([
    'draft --> submitted : submit',
    'draft --> withdrawn : withdraw',
    'submitted --> triaged : triage',
    'submitted --> awaiting_information : request_information',
    'triaged --> export_control_review : start_export_review',
    'triaged --> head_sign_off : request_sign_off',
    'triaged --> approved : approve',
    'export_control_review --> triaged : complete_export_review',
    'head_sign_off --> triaged : decline',
    'head_sign_off --> lead_review : endorse',
    'head_sign_off --> approved : endorse',
    'lead_review --> approved : approve',
    'lead_review --> rejected : reject',
    'awaiting_information --> submitted : respond, cancel_request',
    'awaiting_information --> triaged : respond, cancel_request',
    'awaiting_information --> export_control_review : respond, cancel_request',
    'note right of triaged : same state: assign, retriage, flag, clear_flag',
    'note right of approved : same state: record_condition_met, request_amendment, flag, clear_flag',
  ])('has %s', (edge) => {
    expect(lines).toContain(`    ${edge}`);
  });

  it.each(['approved --> rejected', 'rejected --> ', 'withdrawn --> withdrawn', 'draft --> triaged', 'awaiting_information --> head_sign_off'])(
    'has no edge starting %s',
    (prefix) => {
      expect(lines.filter((l) => l.trim().startsWith(prefix) && !l.includes('[*]'))).toEqual([]);
    },
  );

  it('draws one line per (from, to) and is deterministic', () => {
    const edges = lines.filter((l) => l.includes(' --> ') && !l.includes('[*]')).map((l) => l.split(' : ')[0]);
    expect(new Set(edges).size).toBe(edges.length);
    expect(stateDiagram()).toBe(diagram);
  });

  it('draws a given table', () => {
    const rows: TransitionRow[] = [
      { from: ['draft'], action: 'submit', to: 'submitted', who: ['owner'], guards: [], label: 'Submit' },
      { from: ['draft', 'submitted'], action: 'withdraw', to: 'withdrawn', who: ['owner'], guards: [], label: 'Withdraw' },
      { from: ['submitted'], action: 'flag', to: 'same', who: ['officer'], guards: [], label: 'Flag' },
    ];
    expect(stateDiagram(rows)).toBe(
      [
        'stateDiagram-v2',
        '    [*] --> draft',
        '    draft --> submitted : submit',
        '    draft --> withdrawn : withdraw',
        '    submitted --> withdrawn : withdraw',
        '    note right of submitted : same state: flag',
        '    approved --> [*]',
        '    rejected --> [*]',
        '    withdrawn --> [*]',
        '    revoked --> [*]',
        '    closed --> [*]',
        '',
      ].join('\n'),
    );
  });
});
