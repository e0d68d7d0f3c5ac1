import { describe, expect, it } from 'vitest';
import { boroughCodeOf, parseBriefingArgs } from './briefing.ts';

describe('dauntless briefing arguments', () => {
  it('take a borough by ONS code or by name, a format, a file, and whether to keep it as the last briefing', () => {
    expect(parseBriefingArgs(['--borough', 'E09000022'])).toEqual({ boroughCode: 'E09000022', format: 'md', out: undefined, save: true });
    expect(parseBriefingArgs(['--borough=hammersmith  and fulham', '--format', 'html', '--out', 'b.html', '--no-save'])).toEqual({ boroughCode: 'E09000013', format: 'html', out: 'b.html', save: false });
    expect(boroughCodeOf('e09000028')).toBe('E09000028');
    expect(boroughCodeOf('Barking & Dagenham')).toBe('E09000002');
  });

  it('say what is wrong', () => {
    expect(() => parseBriefingArgs([])).toThrow('name the borough: --borough E09000022 (or --borough Lambeth)');
    expect(() => parseBriefingArgs(['--borough', 'E09000001'])).toThrow('"E09000001" is not a Met borough');
    expect(() => parseBriefingArgs(['--borough', 'Lambeth', '--format', 'pdf'])).toThrow('--format must be md or html, not "pdf"');
    expect(() => parseBriefingArgs(['--borough'])).toThrow('--borough needs a value');
    expect(() => parseBriefingArgs(['--borough', 'Lambeth', '--colour'])).toThrow('unknown option --colour');
  });
});
