/**
 * TypeORM's Postgres driver answers `query()` for UPDATE/DELETE with `[rows, rowCount]`
 * but for SELECT and INSERT with the rows alone; this gives the rows either way.
 */
export function returnedRows<T>(result: unknown): T[] {
  const r = result as unknown[];
  return Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number' ? (r[0] as T[]) : (r as T[]);
}
