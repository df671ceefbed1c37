import { mappedRoles, syncRoles } from './provisioning.service';

describe('roles from identity-provider groups', () => {
  const map = new Map([
    ['rsdo-officers', ['rsdo_officer'] as const],
    ['export-team', ['export_control'] as const],
  ]);

  it('grant what the map says and nothing for unknown groups', () => {
    expect(mappedRoles(map as never, ['export-team', 'rsdo-officers', 'it-admins'])).toEqual(['export_control', 'rsdo_officer']);
  });

  it('never grant admin, even if a map somehow held it', () => {
    expect(mappedRoles(new Map([['it', ['admin']]]) as never, ['it'])).toEqual([]);
  });

  it('follow the provider for mapped roles but keep roles the research office granted', () => {
    // Left the officers' group: loses rsdo_officer; keeps admin and department_head.
    expect(syncRoles(['admin', 'department_head', 'rsdo_officer'], map as never, [])).toEqual(['admin', 'department_head']);
    expect(syncRoles(['researcher'], map as never, ['rsdo-officers'])).toEqual(['researcher', 'rsdo_officer']);
    // Nobody is left with no role at all.
    expect(syncRoles(['rsdo_officer'], map as never, [])).toEqual(['researcher']);
  });
});
