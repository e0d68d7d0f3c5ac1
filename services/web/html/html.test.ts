import { describe, expect, it } from 'vitest';
import { html, raw } from './html.ts';
import { waterfallChart } from './charts.ts';

describe('html', () => {
  it('escapes what came from data and keeps markup this code built', () => {
    const name = '<script>alert(1)</script>"';
    expect(html`<p title="${name}">${name}${html`<b>ok</b>`}${raw('<i>x</i>')}</p>`.text).toBe('<p title="&lt;script&gt;alert(1)&lt;/script&gt;&quot;">&lt;script&gt;alert(1)&lt;/script&gt;&quot;<b>ok</b><i>x</i></p>');
  });

  it('draws a waterfall whose total is the prior plus every weight', () => {
    const svg = waterfallChart({ id: 'w', title: 'Evidence <x>', prior: -10, steps: [{ label: 'dob: exact', weight: 8.5 }, { label: 'name: <b>', weight: -1.25 }], probability: 0.2 });
    expect(svg).toContain('match weight');
    expect(svg).toContain('-2.75 (p = 0.2000)');
    expect(svg).toContain('name: &lt;b&gt;');
    expect(svg).not.toContain('<b>');
  });
});
