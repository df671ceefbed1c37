import { categoryOf, IN_DIGEST_REASON, preferenceVerdict, TURNED_OFF_REASON } from './categories';
import { TEMPLATE_NAMES } from './recipients';
import { MailRenderer } from './renderer';

/** A factory case context, as the relay snapshots it, with every optional detail filled in. */
function factoryContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const caseId = '3f0c9a52-8a55-4f55-9d3c-1f1e3f7f0a42';
  const url = (id: string) => `https://tr.example.ac.uk/cases/${id}`;
  return {
    reference: 'TR-2026-00042',
    caseId,
    caseUrl: url(caseId),
    recipientName: 'Dr Ada Researcher',
    actorName: 'Olu Officer',
    action: 'approve',
    fromState: 'lead_review',
    toState: 'approved',
    question: 'Who funds the visits?',
    replyBy: '31 January 2027',
    comment: 'Please revisit the data plan.',
    outcome: 'not_listed',
    decisionText: 'Approved with a technology control plan.',
    conditions: [{ text: 'Technology control plan agreed', dueDate: '2027-03-01' }],
    reason: 'Partner on a restricted list.',
    newHits: 2,
    manyHits: true,
    timerKind: 'triage_reminder',
    stage: 'submitted',
    since: '1 March 2026, 09:00',
    details: {
      replyBy: 'Friday 30 January 2027',
      expiresOn: '1 May 2027',
      licenceReference: 'GBSIEL/2026/0001',
      to: 'RSDO lead',
      level: '100 % of the target',
      dueAt: '2 March 2026, 17:00',
    },
    inviteUrl: 'https://tr.example.ac.uk/accept-invitation?token=t',
    resetUrl: 'https://tr.example.ac.uk/reset-password?token=t',
    day: '2026-03-02',
    officer: true,
    openCases: [{ reference: 'TR-2026-00042', state: 'triaged', dueAt: '3 Mar 2026, 17:00', overdue: false, url: url(caseId) }],
    due: [{ reference: 'TR-2026-00042', kind: 'triage_reminder', dueAt: '2 Mar 2026, 17:00', overdue: true, url: url(caseId) }],
    awaitingTriage: [{ reference: 'TR-2026-00043', submittedAt: '1 Mar 2026, 10:00', url: url('x') }],
    held: [{ reference: 'TR-2026-00042', template: 'case-assigned', at: '1 Mar 2026, 11:00' }],
    month: 'February 2026',
    from: '2026-02-01',
    to: '2026-02-28',
    submitted: 41,
    closed: 37,
    outcomes: [{ label: 'Approved', cases: 30 }],
    conditionsSet: 12,
    conditionsMet: 9,
    sla: [{ stage: 'Submitted', target: '3wd', onTime: 40, completed: 41, onTimePct: 97.56, escalations: 1 }],
    backlog: 55,
    backlogOld: 4,
    hitsRaised: 3,
    hitsCleared: 2,
    hitsConfirmed: 1,
    reReviewsOverdue: 0,
    reReviewsNext: 6,
    dashboardUrl: 'https://tr.example.ac.uk/reports?from=2026-02-01&to=2026-02-28',
    sourceName: 'Canadian Named Research Organizations',
    blastUrl: 'https://tr.example.ac.uk/screening/lists/versions/v1',
    count: 1,
    manyItems: false,
    items: [
      {
        caseId,
        reference: 'TR-2026-00042',
        caseState: 'approved',
        subject: 'Example Institute',
        entryName: 'Example Institute',
        change: 'added',
        whatChanged: '',
        score: 1,
        caseUrl: url(caseId),
        approved: true,
      },
    ],
    ...overrides,
  };
}

describe('email templates', () => {
  const renderer = new MailRenderer();

  it.each(TEMPLATE_NAMES.map((t) => [t]))('%s renders subject, text and HTML with the reference and the link', (template) => {
    const ctx = factoryContext();
    const m = renderer.render(template, ctx);
    expect(m.subject.length).toBeGreaterThan(3);
    expect(m.subject).not.toMatch(/\{\{|undefined|null/);
    expect(m.subject).not.toMatch(/Toronto|University/); // no partner detail in subjects
    expect(m.text).not.toMatch(/\{\{|undefined|\[object Object\]/);
    expect(m.html).toMatch(/^<!doctype html>/);
    expect(m.text).toContain('Dear Dr Ada Researcher');
    if (template !== 'user-invited' && template !== 'daily-digest') {
      expect(m.text).toContain('TR-2026-00042');
      expect(m.text).toContain(String(ctx.caseUrl));
      expect(m.html).toContain(`href="${ctx.caseUrl}"`);
    }
  });

  it('information requested carries the question, the due date and the deep link', () => {
    const m = renderer.render('information-requested', factoryContext());
    expect(m.text).toContain('Who funds the visits?');
    expect(m.text).toContain('31 January 2027');
  });

  it('a closing email shows conditions when approved and the reason when rejected', () => {
    expect(renderer.render('case-closed', factoryContext()).text).toMatch(/Conditions:\n\s+- Technology control plan agreed \(due 1 March 2027\)/);
    const rejected = renderer.render('case-closed', factoryContext({ toState: 'rejected', decisionText: null, conditions: [] }));
    expect(rejected.subject).toBe('Case rejected');
    expect(rejected.text).toContain('Reason: Partner on a restricted list.');
    expect(rejected.text).not.toContain('Conditions');
  });

  it('a rejection renders from the context the relay gives it (no decision fields at all)', () => {
    const { decisionText: _d, conditions: _c, ...withoutDecision } = factoryContext({ toState: 'rejected' });
    expect(renderer.render('case-closed', withoutDecision).text).toContain('Reason: Partner on a restricted list.');
  });

  it('fails loudly on a field the context lacks instead of rendering it blank (strict mode)', () => {
    const { actorName: _dropped, ...withoutActor } = factoryContext();
    expect(() => renderer.render('case-assigned', withoutActor)).toThrow(/"actorName" not defined/);
  });

  it('escapes HTML in user-written text', () => {
    const m = renderer.render('information-requested', factoryContext({ question: '<script>x</script>' }));
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;');
  });
});

describe('notification categories and preferences', () => {
  it.each([
    ['information-requested', 'critical'],
    ['case-closed', 'critical'],
    ['sign-off-requested', 'critical'],
    ['case-received', 'case_updates'],
    ['case-assigned', 'case_updates'],
    ['timer-reminder', 'reminders'],
    ['daily-digest', 'digest'],
  ])('%s is %s', (template, category) => expect(categoryOf(template)).toBe(category));

  it('an unknown template from a timer is a reminder, anything else a case update', () => {
    expect(categoryOf('some-new-sla-template', 'timer-fired')).toBe('reminders');
    expect(categoryOf('something-else', 'case-event')).toBe('case_updates');
  });

  it.each([
    ['critical', 'off', null],
    ['critical', 'digest', null],
    ['case_updates', undefined, null],
    ['case_updates', 'immediate', null],
    ['case_updates', 'digest', IN_DIGEST_REASON],
    ['reminders', 'off', TURNED_OFF_REASON],
    ['digest', 'off', TURNED_OFF_REASON],
    ['digest', 'immediate', null],
  ] as const)('%s in mode %s → %s', (category, mode, verdict) => expect(preferenceVerdict(category, mode)).toBe(verdict));
});

describe('shared rendering (one per template and event)', () => {
  const renderer = new MailRenderer();
  const names = ['Dr Ada Researcher', "Zoë O'Brien & <Partners>", 'snake_case   name', '"quoted" `back`'];

  it.each(TEMPLATE_NAMES.map((t) => [t]))('%s: renderShared gives exactly what render gives, for every recipient', (template) => {
    for (const recipientName of names) {
      const ctx = factoryContext({ recipientName });
      expect(renderer.renderShared(template, ctx)).toEqual(renderer.render(template, ctx));
    }
  });

  it('renders the template once for many recipients of the same event, and again for another event', () => {
    const spy = jest.spyOn(renderer, 'render');
    for (const recipientName of names) renderer.renderShared('case-assigned', factoryContext({ recipientName, reference: 'TR-2026-09001' }));
    expect(spy).toHaveBeenCalledTimes(1);
    renderer.renderShared('case-assigned', factoryContext({ reference: 'TR-2026-09002' }));
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
  });
});
