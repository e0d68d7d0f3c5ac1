// Charts as inline SVG drawn on the server: no script, readable by a screen
// reader (a title and a description per chart, and each chart sits beside a
// table of the same numbers), printable in the PDF briefing.
import { escapeHtml } from './html.ts';

const n2 = (x: number) => (Math.round(x * 100) / 100).toFixed(2);
const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

export type WaterfallStep = { label: string; weight: number };

/**
 * Splink's waterfall: the prior, then each comparison's weight (log2 Bayes factor) added in turn, then the
 * final match weight and its probability.
 */
export function waterfallChart({ id, title, prior, steps, probability }: { id: string; title: string; prior: number; steps: WaterfallStep[]; probability: number }): string {
  const bars = [{ label: 'prior', weight: prior }, ...steps];
  let running = 0;
  const rows = bars.map((bar) => {
    const start = running;
    running += bar.weight;
    return { ...bar, start, end: running };
  });
  const values = [0, ...rows.flatMap((r) => [r.start, r.end])];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = Math.max(max - min, 1);
  const width = 640;
  const left = 170;
  const plot = width - left - 70;
  const rowHeight = 22;
  const height = (rows.length + 1) * rowHeight + 30;
  const x = (v: number) => left + ((v - min) / span) * plot;
  const parts: string[] = [];
  parts.push(`<line x1="${x(0)}" x2="${x(0)}" y1="4" y2="${height - 20}" class="axis"/>`);
  rows.forEach((row, i) => {
    const y = 6 + i * rowHeight;
    const a = x(Math.min(row.start, row.end));
    const w = Math.max(Math.abs(x(row.end) - x(row.start)), 1.5);
    const cls = row.label === 'prior' ? 'bar-prior' : row.weight >= 0 ? 'bar-for' : 'bar-against';
    parts.push(`<text x="${left - 8}" y="${y + 14}" text-anchor="end" class="label">${escapeHtml(row.label)}</text>`);
    parts.push(`<rect x="${n2(a)}" y="${y + 2}" width="${n2(w)}" height="${rowHeight - 6}" class="${cls}"><title>${escapeHtml(row.label)}: ${row.weight >= 0 ? '+' : ''}${n2(row.weight)}</title></rect>`);
    parts.push(`<text x="${n2(Math.max(x(row.start), x(row.end)) + 4)}" y="${y + 14}" class="value">${row.weight >= 0 ? '+' : ''}${n2(row.weight)}</text>`);
  });
  const yFinal = 6 + rows.length * rowHeight;
  parts.push(`<text x="${left - 8}" y="${yFinal + 14}" text-anchor="end" class="label total">match weight</text>`);
  parts.push(`<rect x="${n2(x(Math.min(0, running)))}" y="${yFinal + 2}" width="${n2(Math.max(Math.abs(x(running) - x(0)), 1.5))}" height="${rowHeight - 6}" class="bar-total"/>`);
  parts.push(`<text x="${n2(Math.max(x(running), x(0)) + 4)}" y="${yFinal + 14}" class="value total">${n2(running)} (p = ${probability.toFixed(4)})</text>`);
  return `<svg viewBox="0 0 ${width} ${height}" class="chart waterfall" role="img" aria-labelledby="${id}-t ${id}-d" preserveAspectRatio="xMinYMin meet"><title id="${id}-t">${escapeHtml(title)}</title><desc id="${id}-d">Prior ${n2(prior)}, ${escapeHtml(steps.map((s) => `${s.label} ${n2(s.weight)}`).join(', '))}; total ${n2(running)}, probability ${probability.toFixed(4)}.</desc>${parts.join('')}</svg>`;
}

/** A line over time (a target's score): points in time order. */
export function lineChart({ id, title, points, unit }: { id: string; title: string; points: { at: number; value: number }[]; unit: string }): string {
  const width = 560;
  const height = 180;
  const pad = { l: 48, r: 12, t: 10, b: 28 };
  if (points.length === 0) return `<p class="muted">No points yet.</p>`;
  const t0 = points[0]!.at;
  const t1 = Math.max(points[points.length - 1]!.at, t0 + 1);
  const vmax = Math.max(...points.map((p) => p.value), 1);
  const x = (t: number) => pad.l + ((t - t0) / (t1 - t0)) * (width - pad.l - pad.r);
  const y = (v: number) => height - pad.b - (v / vmax) * (height - pad.t - pad.b);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${n2(x(p.at))},${n2(y(p.value))}`).join(' ');
  const dots = points.map((p) => `<circle cx="${n2(x(p.at))}" cy="${n2(y(p.value))}" r="3" class="dot"><title>${new Date(p.at).toISOString().slice(0, 10)}: ${fmt(p.value)} ${escapeHtml(unit)}</title></circle>`).join('');
  const axis = `<line x1="${pad.l}" x2="${width - pad.r}" y1="${height - pad.b}" y2="${height - pad.b}" class="axis"/><line x1="${pad.l}" x2="${pad.l}" y1="${pad.t}" y2="${height - pad.b}" class="axis"/>`;
  const labels = `<text x="${pad.l - 6}" y="${pad.t + 10}" text-anchor="end" class="label">${fmt(vmax)}</text><text x="${pad.l - 6}" y="${height - pad.b}" text-anchor="end" class="label">0</text><text x="${pad.l}" y="${height - 8}" class="label">${new Date(t0).toISOString().slice(0, 10)}</text><text x="${width - pad.r}" y="${height - 8}" text-anchor="end" class="label">${new Date(t1).toISOString().slice(0, 10)}</text>`;
  return `<svg viewBox="0 0 ${width} ${height}" class="chart line" role="img" aria-labelledby="${id}-t ${id}-d"><title id="${id}-t">${escapeHtml(title)}</title><desc id="${id}-d">${points.length} points from ${fmt(points[0]!.value)} to ${fmt(points[points.length - 1]!.value)} ${escapeHtml(unit)}.</desc>${axis}${labels}<path d="${path}" class="line-path"/>${dots}</svg>`;
}

/** Boroughs side by side for one measure: a horizontal bar each. */
export function barChart({ id, title, bars, unit, decimals = 0 }: { id: string; title: string; bars: { label: string; value: number }[]; unit: string; decimals?: number }): string {
  const shown = (x: number) => x.toFixed(decimals);
  const width = 560;
  const rowHeight = 18;
  const left = 170;
  const height = Math.max(bars.length, 1) * rowHeight + 8;
  const max = Math.max(...bars.map((b) => b.value), 1e-9);
  const rows = bars
    .map((b, i) => {
      const y = 4 + i * rowHeight;
      const w = ((width - left - 70) * b.value) / max;
      return `<text x="${left - 6}" y="${y + 12}" text-anchor="end" class="label">${escapeHtml(b.label)}</text><rect x="${left}" y="${y + 2}" width="${n2(Math.max(w, 0))}" height="${rowHeight - 5}" class="bar-for"><title>${escapeHtml(b.label)}: ${shown(b.value)} ${escapeHtml(unit)}</title></rect><text x="${n2(left + w + 4)}" y="${y + 12}" class="value">${shown(b.value)}${unit === '%' ? '%' : ''}</text>`;
    })
    .join('');
  return `<svg viewBox="0 0 ${width} ${height}" class="chart bars" role="img" aria-labelledby="${id}-t ${id}-d"><title id="${id}-t">${escapeHtml(title)}</title><desc id="${id}-d">${escapeHtml(bars.map((b) => `${b.label} ${shown(b.value)}`).join('; '))} ${escapeHtml(unit)}.</desc>${rows}</svg>`;
}
