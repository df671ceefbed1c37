import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import { MODULE_METADATA, GLOBAL_MODULE_METADATA } from '@nestjs/common/constants';
import { loadConfig } from '@app/config';
import { AppModule } from '../../apps/api/src/app.module';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/**
 * The Nest module graph of both apps, read from the modules' own metadata: no module
 * may import itself through others (a cycle Nest resolves only with forwardRef or
 * @Global, both of which hide it), and no feature module of the apps is @Global.
 */
type ModuleRef = Type<unknown> | DynamicModule | Promise<DynamicModule> | ForwardReference;

interface Node {
  name: string;
  global: boolean;
  imports: ModuleRef[];
}

function resolve(ref: ModuleRef): Node | 'forwardRef' {
  if ('forwardRef' in ref) return 'forwardRef';
  if (ref instanceof Promise) throw new Error('async dynamic modules are not walked by this test');
  const dynamic = 'module' in ref ? (ref as DynamicModule) : null;
  const cls = dynamic ? dynamic.module : (ref as Type<unknown>);
  const declared: ModuleRef[] = Reflect.getMetadata(MODULE_METADATA.IMPORTS, cls) ?? [];
  return {
    name: cls.name,
    global: Boolean(dynamic?.global) || Reflect.getMetadata(GLOBAL_MODULE_METADATA, cls) === true,
    imports: [...declared, ...(dynamic?.imports ?? [])],
  };
}

/** Every module reachable from the root, with its edges, and the cycles and forward references found. */
function walk(root: ModuleRef) {
  const edges = new Map<string, string[]>();
  const nodes = new Map<string, Node>();
  const forwardRefs: string[] = [];
  const visit = (ref: ModuleRef): string => {
    const n = resolve(ref);
    if (n === 'forwardRef') throw new Error('unreachable');
    if (!nodes.has(n.name)) {
      nodes.set(n.name, n);
      const out: string[] = [];
      edges.set(n.name, out);
      for (const child of n.imports) {
        const r = resolve(child);
        if (r === 'forwardRef') forwardRefs.push(n.name);
        else out.push(visit(child));
      }
    }
    return n.name;
  };
  visit(root);
  const cycles: string[] = [];
  const state = new Map<string, 'active' | 'done'>();
  const dfs = (name: string, path: string[]) => {
    if (state.get(name) === 'active') return void cycles.push([...path.slice(path.indexOf(name)), name].join(' → '));
    if (state.get(name) === 'done') return;
    state.set(name, 'active');
    for (const next of edges.get(name) ?? []) dfs(next, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of edges.keys()) dfs(name, []);
  return { nodes, cycles, forwardRefs };
}

const config = loadConfig({ NODE_ENV: 'test' });

describe('Nest module graph', () => {
  const api = walk(AppModule.forRoot(config));
  const worker = walk(WorkerModule.forRoot(config));

  it('walks the real graph (the feature modules are reachable)', () => {
    expect([...api.nodes.keys()]).toEqual(expect.arrayContaining(['CasesModule', 'ScreeningModule', 'ScreeningCoreModule', 'CommitModule', 'ReReviewModule']));
    expect([...worker.nodes.keys()]).toEqual(expect.arrayContaining(['PersistenceModule', 'MailModule']));
  });

  it('has no import cycle and no forwardRef in either app', () => {
    expect(api.cycles).toEqual([]);
    expect(worker.cycles).toEqual([]);
    expect([...api.forwardRefs, ...worker.forwardRefs]).toEqual([]);
  });

  it('the cycle check itself finds a cycle', () => {
    class A {}
    class B {}
    Reflect.defineMetadata(MODULE_METADATA.IMPORTS, [B], A);
    Reflect.defineMetadata(MODULE_METADATA.IMPORTS, [A], B);
    expect(walk(A).cycles).toEqual(['A → B → A']);
  });

  it('no feature module of apps/api is @Global (globals hide dependencies)', () => {
    const dir = join(__dirname, '..', '..', 'apps', 'api', 'src');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.module.ts'));
    const declared = files.flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/export class (\w+Module)\b/g)].map((m) => m[1]));
    expect(declared).toEqual(expect.arrayContaining(['CasesModule', 'ScreeningModule', 'AppModule']));
    // Infrastructure from libs (config, database, queue) is global by design; no feature module of the API is.
    const globals = [...api.nodes.values()].filter((n) => n.global).map((n) => n.name);
    expect(globals.filter((g) => declared.includes(g))).toEqual([]);
  });
});
