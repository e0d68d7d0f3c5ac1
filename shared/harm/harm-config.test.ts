import { describe, expect, it } from 'vitest';
import { DauntlessError } from '../errors/dauntless-error.ts';
import {
  DEFAULT_HARM_CONFIG,
  HOMICIDE_RISK_OFFENCES,
  harmConfigProblems,
  normaliseOffence,
  offenceHarm,
  offenceKeyOf,
  resolveHarmConfig,
  validateHarmConfig,
  type HarmConfig,
} from './harm-config.ts';

const ABUSE_TYPES = ['PHYSICAL', 'SEXUAL', 'COERCIVE_CONTROL', 'PSYCHOLOGICAL', 'EMOTIONAL', 'ECONOMIC', 'STALKING', 'HARASSMENT', 'THREATS_TO_KILL', 'STRANGULATION', 'HONOUR_BASED', 'FORCED_MARRIAGE', 'FGM', 'TECHNOLOGY_FACILITATED', 'CRIMINAL_DAMAGE', 'OTHER'];

describe('the default harm configuration', () => {
  it('is valid, frozen, and says where every weight comes from', () => {
    expect(harmConfigProblems(DEFAULT_HARM_CONFIG)).toEqual([]);
    expect(Object.isFrozen(DEFAULT_HARM_CONFIG.offences.ABH)).toBe(true);
    expect(Object.isFrozen(DEFAULT_HARM_CONFIG.aggravation.weapon)).toBe(true);
    for (const w of Object.values(DEFAULT_HARM_CONFIG.offences)) expect(w.source.length).toBeGreaterThan(10);
  });

  it('maps every abuse type of the incident schema to a row', () => {
    for (const type of ABUSE_TYPES) expect(DEFAULT_HARM_CONFIG.offences[DEFAULT_HARM_CONFIG.abuseTypeOffence[type]!]).toBeDefined();
  });

  it('weighs the homicide-risk markers at least as a year of harm, and above ABH for strangulation and stalking', () => {
    const weights = Object.fromEntries(HOMICIDE_RISK_OFFENCES.map((k) => [k, offenceHarm(k, DEFAULT_HARM_CONFIG)]));
    expect(weights).toEqual({ COERCIVE_CONTROL: 364, STALKING: 730, STRANGULATION: 1096, THREATS_TO_KILL: 730 });
    expect(offenceHarm('COMMON_ASSAULT', DEFAULT_HARM_CONFIG)).toBe(20);
    expect(offenceHarm('STRANGULATION', DEFAULT_HARM_CONFIG)).toBeGreaterThan(offenceHarm('GBH', DEFAULT_HARM_CONFIG));
  });
});

describe('offenceKeyOf', () => {
  it.each([
    ['ABH', 'ABH'],
    ['s.47 ABH', 'ABH'],
    ['Assault by beating', 'COMMON_ASSAULT'],
    ['Controlling or coercive behaviour', 'COERCIVE_CONTROL'],
    ['s76 SCA 2015', 'COERCIVE_CONTROL'],
    ['Non-fatal strangulation', 'STRANGULATION'],
    ['Sexual assault', 'SEXUAL_ASSAULT'],
    ['Breach of non-molestation order', 'BREACH_OF_ORDER'],
    ['threats_to_kill', 'THREATS_TO_KILL'],
  ])('reads %s as %s', (text, key) => {
    expect(offenceKeyOf(text, DEFAULT_HARM_CONFIG)).toBe(key);
  });

  it('knows nothing of words the table does not list', () => {
    expect(offenceKeyOf('Pub brawl', DEFAULT_HARM_CONFIG)).toBeUndefined();
    expect(normaliseOffence('  s.47 (ABH) ')).toBe('S_47_ABH');
  });
});

describe('validateHarmConfig', () => {
  const broken = (change: (c: Record<string, unknown>) => void): HarmConfig => {
    const c = structuredClone(DEFAULT_HARM_CONFIG) as unknown as Record<string, unknown>;
    change(c);
    return c as unknown as HarmConfig;
  };

  it('lists every problem in one error, each saying what to change', () => {
    const config = broken((c) => {
      c.halfLifeDays = 0;
      c.windowDays = 365.5;
      (c.victims as Record<string, number>).maxMultiplier = 0.5;
      (c.serial as Record<string, number>).minVictims = 1;
      (c.abuseTypeOffence as Record<string, string>).PHYSICAL = 'PUNCH';
      (c.aggravation as { weapon: Record<string, number> }).weapon.KNIFE = 0.5;
    });
    let error: unknown;
    try {
      validateHarmConfig(config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DauntlessError);
    expect((error as DauntlessError).code).toBe('CONFIG_INVALID');
    const message = (error as Error).message;
    for (const said of [
      'halfLifeDays is 0: give a positive number of days (default 180).',
      'windowDays is 365.5: give a whole number of days',
      'victims.maxMultiplier is 0.5',
      'serial.minVictims is 1: serial means more than one victim',
      'abuseTypeOffence.PHYSICAL is "PUNCH", which is not a row of offences.',
      'aggravation.weapon.KNIFE is 0.5: an aggravation multiplies by 1 or more.',
    ]) {
      expect(message).toContain(said);
    }
  });

  it('refuses to weigh coercive control, stalking, strangulation or threats to kill as a minor offence', () => {
    const config = broken((c) => {
      (c.offences as Record<string, unknown>).COERCIVE_CONTROL = { label: 'ccb', days: 10, homicideRiskUplift: 1, source: 'a mistake' };
    });
    expect(harmConfigProblems(config)).toEqual([
      'offences.COERCIVE_CONTROL weighs 10 days, no more than a common assault (20): it is homicide-risk evidence and must weigh more (issue 6).',
    ]);
  });

  it('merges overrides over the defaults, a table row whole, and freezes the result', () => {
    const config = resolveHarmConfig({
      halfLifeDays: 90,
      aggravation: { childrenPresent: 1.5 },
      offences: { ABH: { label: 'ABH', days: 400, homicideRiskUplift: 1, family: 'ASSAULT', source: 'local policy' } },
    });
    expect([config.halfLifeDays, config.windowDays, config.aggravation.childrenPresent, config.aggravation.weapon.KNIFE]).toEqual([90, 365, 1.5, 1.5]);
    expect(config.offences.ABH!.days).toBe(400);
    expect(config.offences.GBH!.days).toBe(730);
    expect(Object.isFrozen(config.aggravation)).toBe(true);
    expect(() => resolveHarmConfig({ windowDays: 0 })).toThrow(/windowDays is 0/);
  });
});
