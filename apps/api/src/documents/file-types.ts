/**
 * The file types a case may carry (agreements, partner questionnaires, licences), by
 * extension, with the content type we serve and the leading bytes the file must have.
 * The client's declared content type is not trusted.
 */
interface FileType {
  contentType: string;
  /** The file must start with one of these (hex); null: text, which must hold no NUL byte. */
  magic: string[] | null;
}

const ZIP = ['504b0304'];
const OLE = ['d0cf11e0a1b11ae1'];

export const FILE_TYPES: Record<string, FileType> = {
  pdf: { contentType: 'application/pdf', magic: ['25504446'] },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: ZIP },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: ZIP },
  odt: { contentType: 'application/vnd.oasis.opendocument.text', magic: ZIP },
  ods: { contentType: 'application/vnd.oasis.opendocument.spreadsheet', magic: ZIP },
  doc: { contentType: 'application/msword', magic: OLE },
  xls: { contentType: 'application/vnd.ms-excel', magic: OLE },
  png: { contentType: 'image/png', magic: ['89504e47'] },
  jpg: { contentType: 'image/jpeg', magic: ['ffd8ff'] },
  jpeg: { contentType: 'image/jpeg', magic: ['ffd8ff'] },
  txt: { contentType: 'text/plain; charset=utf-8', magic: null },
  csv: { contentType: 'text/csv; charset=utf-8', magic: null },
};

export function extensionOf(fileName: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(fileName);
  return m ? m[1].toLowerCase() : '';
}

/** Null when the bytes fit the extension; otherwise why not. */
export function fileTypeProblem(fileName: string, bytes: Buffer): string | null {
  const ext = extensionOf(fileName);
  const type = FILE_TYPES[ext];
  if (!type)
    return `file: .${ext || '(none)'} files are not accepted; use one of ${Object.keys(FILE_TYPES)
      .map((e) => '.' + e)
      .join(', ')}.`;
  if (type.magic === null) return bytes.includes(0) ? `file: ${fileName} is not a text file (it holds binary data).` : null;
  const head = bytes.subarray(0, 8).toString('hex');
  return type.magic.some((m) => head.startsWith(m)) ? null : `file: ${fileName} does not look like a .${ext} file.`;
}

/** A name safe to put in Content-Disposition: no path, no quotes or control characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 255);
  return cleaned || 'file';
}
