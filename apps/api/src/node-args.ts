/**
 * Node/V8 settings of every API process, however it is started: scripts/start.ts passes
 * them to the API it supervises, the cluster primary (API_WORKERS > 1) to the processes it
 * forks, and docker/compose.yml and the systemd unit name them on their command line
 * (test/unit/api-node-args.spec.ts keeps those equal to this list).
 *
 * --max-old-space-size=256: V8 sizes the heap from this limit (its young generation too).
 * Without it, a process holding ~55 MB of live objects grew to 284-312 MB RSS under 32
 * concurrent triage requests (garbage promoted from requests in flight, collected late);
 * with it, 177-183 MB idle and peak, at the same CPU per request (README "Performance").
 * Four times the live heap: report exports build bounded tables, and uploads and document
 * bundles are Buffers, outside this limit. 384 and 512 measured the same (RSS and CPU).
 */
export const API_NODE_ARGS: readonly string[] = ['--max-old-space-size=256'];
