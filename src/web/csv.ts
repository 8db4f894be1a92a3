import type { Context } from 'hono';
import type { ExportCell } from '../features/exports/kinds.js';

/*
 * CSV (RFC 4180) for downloads, streamed: CRLF line ends; a field with a comma, quote, CR or LF is quoted and
 * its quotes doubled. Text that a spreadsheet would run as a formula (= + - @ tab CR first) gets a leading
 * apostrophe (also LF and the full-width signs); numbers are numeric columns and stay numbers (a delta of -50 is written -50).
 */

const NEEDS_QUOTES = /[",\r\n]/;
// Full-width ＝＋－＠ too: some spreadsheet apps read them as the ASCII signs.
const FORMULA_START = /^[=+\-@\t\r\n＝＋－＠]/;
/** Excel reads a file as UTF-8 (Korean, Japanese names) only when it starts with this byte order mark. */
export const BOM = '\uFEFF';

/** One field: numbers as they are, text guarded against formulas and quoted when needed, null empty. */
export function csvField(v: ExportCell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const text = FORMULA_START.test(v) ? `'${v}` : v;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV lines, each ending in CRLF. */
export const csvLines = (rows: readonly (readonly ExportCell[])[]): string =>
  rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');

/** The whole file as text chunks: the BOM and header row first, then one chunk per page of rows. */
export async function* csvChunks(columns: readonly string[], pages: AsyncIterable<ExportCell[][]>): AsyncGenerator<string, void, undefined> {
  yield BOM + csvLines([columns]);
  for await (const rows of pages) yield csvLines(rows);
}

/** `attachment` with an ASCII file name and, when the name is not ASCII, its UTF-8 form (RFC 6266 / RFC 5987). */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  if (ascii === filename) return `attachment; filename="${ascii}"`;
  const utf8 = encodeURIComponent(filename).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/**
 * A CSV download streamed to the client. The next page is read only when the client has taken the previous
 * one (a pull stream, and the node server waits for the socket to drain), so a slow client holds one page in
 * memory, not the file; when the client goes away the stream is cancelled and `rows` is told through its signal
 * and stops reading. `rows` gets that signal (e.g. `(signal) => engine.exportRows(id, kind, { signal })`).
 */
export function csvResponse(c: Context, opts: { filename: string; columns: readonly string[]; rows: (signal: AbortSignal) => AsyncIterable<ExportCell[][]> }): Response {
  const stop = new AbortController();
  c.req.raw.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  const chunks = csvChunks(opts.columns, opts.rows(stop.signal));
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        stop.abort();
        controller.error(err);
      }
    },
    async cancel() {
      stop.abort();
      await chunks.return(undefined);
    },
  }, { highWaterMark: 0 });
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': contentDisposition(opts.filename),
  });
}
