// Server-rendered HTML, escaped by construction: `html` is a tagged template
// whose interpolations are escaped unless they are themselves `html` (or
// `raw`, for markup this code built). Every value that came from a message
// (ids, order wording, names) lands escaped, so nothing in the data can put
// markup or script into a page an officer opens.

export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

type Part = SafeHtml | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part instanceof SafeHtml) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(part);
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): SafeHtml {
  let out = strings[0]!;
  parts.forEach((part, i) => (out += render(part) + strings[i + 1]!));
  return new SafeHtml(out);
}

/** Markup built by this code (an SVG chart), trusted as is. */
export const raw = (text: string) => new SafeHtml(text);

const DATE_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric' });

export const when = (ms: number | null | undefined) => (ms && Number.isFinite(ms) ? DATE_TIME.format(ms) : '—');
export const day = (ms: number | null | undefined) => (ms && Number.isFinite(ms) ? DATE.format(ms) : '—');
/** ENUM_WORDS → "enum words", for people. */
export const words = (symbol: string) => symbol.toLowerCase().replace(/_/g, ' ');
