import { ApiError, apiFetch, type ApiErrorBody } from './client';

/**
 * Fetches a file the API generates (CSV, XLSX, PDF, ZIP) with the signed-in session and
 * hands it to the browser as a download, named as the API's Content-Disposition says.
 */
export async function downloadFile(path: string, query: Record<string, string | number | undefined>): Promise<void> {
  const qs = new URLSearchParams(
    Object.entries(query)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => [k, String(v)]),
  );
  const res = await apiFetch(`${path}?${qs}`);
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as Partial<ApiErrorBody>;
    throw new ApiError(res.status, { code: body.code ?? `HTTP_${res.status}`, message: body.message ?? `The download failed (${res.status}).` });
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'download';
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
