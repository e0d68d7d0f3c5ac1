import { describe, expect, it } from 'vitest';
import { mapRow, missingColumns, parseMapping } from './csv-mapping.ts';

describe('csv mapping', () => {
  it('maps columns onto person fields, joining text and listing lists', () => {
    const mapping = parseMapping(['first=given_name,middle=given_name,last=family_name', 'tel=phone,mobile=phone,job=attr:occupation']);
    const record = mapRow({ first: ' Robert ', middle: 'E', last: 'Smith', tel: '020 7946 0958', mobile: '', job: 'rabbi' }, mapping, { recordId: '1', source: 'csv:x' });
    expect(record).toEqual({
      recordId: '1',
      source: 'csv:x',
      fields: { given_name: 'Robert E', family_name: 'Smith', phones: ['020 7946 0958'], attrs: { occupation: 'rabbi' } },
    });
  });

  it('rejects unknown fields and malformed entries with a sentence saying what to write', () => {
    expect(() => parseMapping('first=forename')).toThrow(/unknown field "forename"; fields are given_name/);
    expect(() => parseMapping('first')).toThrow(/write SOURCE_COLUMN=FIELD/);
    expect(() => parseMapping('x=attr:Bad Name')).toThrow(/attribute names/);
    expect(() => parseMapping('')).toThrow(/no SOURCE=FIELD/);
  });

  it('lists the mapped columns a header lacks', () => {
    expect(missingColumns(parseMapping('a=dob,b=email'), ['a'])).toEqual(['b']);
  });

  it('takes how an attribute is compared from the mapping, and says which comparisons there are', () => {
    const mapping = parseMapping('pc=attr:postcode~numeric,suburb=attr:suburb~fuzzy,state=attr:state');
    expect(mapRow({ pc: '2615', suburb: 'Kambah', state: 'act' }, mapping, { recordId: 'r1', source: 's' }).fields).toEqual({
      attrs: { postcode: '2615', suburb: 'Kambah', state: 'act' },
      attrComparisons: { postcode: 'numeric', suburb: 'fuzzy' },
    });
    expect(() => parseMapping('pc=attr:postcode~close')).toThrow(/text, exact, fuzzy, numeric/);
  });
});
