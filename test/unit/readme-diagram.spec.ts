import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceBlock } from '../../scripts/diagram';

describe('README state diagram', () => {
  it('matches the transition table (run `npm run diagram` after changing the table)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(replaceBlock(readme)).toBe(readme);
  });
});
