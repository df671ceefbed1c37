import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_NODE_ARGS } from '../../apps/api/src/node-args';

/** Every way of starting the API in production gives it the V8 settings apps/api/src/node-args.ts names. */
describe('API node arguments', () => {
  const root = join(__dirname, '..', '..');
  const read = (p: string) => readFileSync(join(root, p), 'utf8');

  it('are named, and only once each', () => {
    expect(API_NODE_ARGS.length).toBeGreaterThan(0);
    expect(new Set(API_NODE_ARGS.map((a) => a.split('=')[0])).size).toBe(API_NODE_ARGS.length);
  });

  it('docker/compose.yml runs the API with exactly them', () => {
    const m = /\n  api:\n[\s\S]*?command: (\[.*\])/.exec(read('docker/compose.yml'));
    expect(m).not.toBeNull();
    expect(JSON.parse(m![1])).toEqual(['node', ...API_NODE_ARGS, 'dist/apps/api/src/main.js']);
  });

  it('the systemd unit runs the API with exactly them', () => {
    const m = /^ExecStart=(.*)$/m.exec(read('docker/systemd/trusted-research-api@.service'));
    expect(m![1].split(' ')).toEqual(['/usr/bin/node', ...API_NODE_ARGS, 'dist/apps/api/src/main.js']);
  });

  it('scripts/start.ts and the cluster primary pass them on', () => {
    expect(read('scripts/start.ts')).toMatch(/run\('API', [^\n]*API_NODE_ARGS\)/);
    expect(read('apps/api/src/main.ts')).toMatch(/setupPrimary\(\{ execArgv: \[\.\.\.process\.execArgv, \.\.\.API_NODE_ARGS\] \}\)/);
  });
});
