import { ALL_JOBS, assertHandlers, parsePayload } from './jobs';

describe('job registry', () => {
  const all = ALL_JOBS.map((job) => ({ job }));
  it('accepts exactly one handler per job', () => expect(() => assertHandlers(all)).not.toThrow());
  it.each([
    ['a job without a handler', all.slice(1), /"send-email" has no handler/],
    ['a job with two handlers', [...all, { job: 'fire-timer' }], /"fire-timer" has 2 handlers/],
    ['a handler for an unknown job', [...all, { job: 'send-fax' }], /unknown job "send-fax"/],
  ])('refuses to boot with %s', (_what, handlers, message) => expect(() => assertHandlers(handlers)).toThrow(message));
  it('checks payloads read back from the queue', () => {
    expect(parsePayload('send-email', { deliveryId: '12' })).toEqual({ deliveryId: '12' });
    expect(() => parsePayload('send-email', { deliveryId: 12 })).toThrow(/invalid payload/);
    expect(() => parsePayload('fire-timer', {})).toThrow(/invalid payload/);
    expect(parsePayload('send-email-batch', { deliveryIds: ['1', '2'] })).toEqual({ deliveryIds: ['1', '2'] });
    expect(() => parsePayload('send-email-batch', { deliveryIds: [] })).toThrow(/invalid payload/);
    expect(() => parsePayload('send-email-batch', { deliveryIds: ['1', 2] })).toThrow(/invalid payload/);
    expect(() => parsePayload('send-email-batch', { deliveryIds: Array.from({ length: 101 }, (_, i) => String(i + 1)) })).toThrow(/invalid payload/);
  });
});
