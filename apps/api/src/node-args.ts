/**
 * Node/V8 settings of every API process, however it is started: scripts/start.ts passes
 * them to the API it supervises, the cluster primary (API_WORKERS > 1) to the processes it
 * forks, and docker/compose.yml and the systemd unit name them on their command line
 * (test/unit/api-node-args.spec.ts keeps those equal to this list).
 *
 * --max-old-space-size=1024: V8 sizes the heap from this limit (its young generation too).
 * Without it (V8's default here: ~4.3 GB), a process holding ~55 MB of live objects grew to
 * 281-312 MB RSS under 32 concurrent triage requests (garbage promoted from requests in
 * flight, collected late); with 1024, 178 MB idle and 200 MB peak, at the same CPU per
 * request (README "Performance"); 256 gave 186 MB but was too small for what the API does
 * in memory: a 15 MB sanctions list uploaded or fetched by "import now" is parsed in this
 * process (~440 MB of heap) and died of "JavaScript heap out of memory" under 256, as did
 * the 50,000-row XLSX export before it was streamed. test/e2e/api-heap.e2e-spec.ts runs both
 * under this list.
 */
export const API_NODE_ARGS: readonly string[] = ['--max-old-space-size=1024'];
