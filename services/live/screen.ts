// The terminal of the main job: blocks of text printed one after another,
// and one status line (seeding progress) that a terminal rewrites in place.
// Elsewhere (a pipe, a CI log) the status is printed as plain lines, at most
// one every `statusEveryMs`, so a log is not flooded.

export type Screen = {
  /** Prints a block and a newline above the status line (a block ending in a newline leaves a blank line). */
  print(text: string): void;
  /** Shows the status line (rewritten on a terminal; throttled lines elsewhere). */
  status(text: string): void;
  /** Removes the status line, printing `final` in its place if given. */
  endStatus(final?: string): void;
};

export type ScreenOptions = {
  out: { write(text: string): unknown; isTTY?: boolean };
  /** Off a terminal, the least time between two status lines, ms. Default 2,000. */
  statusEveryMs?: number;
  now?: () => number;
};

const CLEAR_LINE = '\r\u001b[K';

export function createScreen({ out, statusEveryMs = 2_000, now = Date.now }: ScreenOptions): Screen {
  const tty = out.isTTY === true;
  let shown = '';
  let lastPlain = { text: '', at: -Infinity };
  return {
    print(text) {
      if (shown) out.write(CLEAR_LINE);
      out.write(`${text}\n`);
      if (shown) out.write(shown);
    },
    status(text) {
      if (tty) {
        shown = text;
        out.write(CLEAR_LINE + text);
        return;
      }
      if (text === lastPlain.text || now() - lastPlain.at < statusEveryMs) return;
      lastPlain = { text, at: now() };
      out.write(`${text}\n`);
    },
    endStatus(final) {
      if (shown) out.write(CLEAR_LINE);
      shown = '';
      lastPlain = { text: '', at: -Infinity };
      if (final !== undefined) out.write(`${final}\n`);
    },
  };
}
