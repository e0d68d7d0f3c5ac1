// The 32 London boroughs policed by the Met, by ONS code, with the Basic
// Command Unit each belongs to (the 12-BCU model the Met adopted in 2018-19).
// BCU groupings change: this table is the one place that says which;
// rankings and topics key by ONS borough code only.
// (The City of London, E09000001, has its own police force and is not here.)

export type Borough = { code: string; name: string; bcu: string };

export const BOROUGHS: readonly Borough[] = Object.freeze([
  { code: 'E09000002', name: 'Barking and Dagenham', bcu: 'East Area (EA)' },
  { code: 'E09000003', name: 'Barnet', bcu: 'North West (NW)' },
  { code: 'E09000004', name: 'Bexley', bcu: 'South East (SE)' },
  { code: 'E09000005', name: 'Brent', bcu: 'North West (NW)' },
  { code: 'E09000006', name: 'Bromley', bcu: 'South (SN)' },
  { code: 'E09000007', name: 'Camden', bcu: 'Central North (CN)' },
  { code: 'E09000008', name: 'Croydon', bcu: 'South (SN)' },
  { code: 'E09000009', name: 'Ealing', bcu: 'West Area (WA)' },
  { code: 'E09000010', name: 'Enfield', bcu: 'North Area (NA)' },
  { code: 'E09000011', name: 'Greenwich', bcu: 'South East (SE)' },
  { code: 'E09000012', name: 'Hackney', bcu: 'Central East (CE)' },
  { code: 'E09000013', name: 'Hammersmith and Fulham', bcu: 'Central West (AW)' },
  { code: 'E09000014', name: 'Haringey', bcu: 'North Area (NA)' },
  { code: 'E09000015', name: 'Harrow', bcu: 'North West (NW)' },
  { code: 'E09000016', name: 'Havering', bcu: 'East Area (EA)' },
  { code: 'E09000017', name: 'Hillingdon', bcu: 'West Area (WA)' },
  { code: 'E09000018', name: 'Hounslow', bcu: 'West Area (WA)' },
  { code: 'E09000019', name: 'Islington', bcu: 'Central North (CN)' },
  { code: 'E09000020', name: 'Kensington and Chelsea', bcu: 'Central West (AW)' },
  { code: 'E09000021', name: 'Kingston upon Thames', bcu: 'South West (SW)' },
  { code: 'E09000022', name: 'Lambeth', bcu: 'Central South (AS)' },
  { code: 'E09000023', name: 'Lewisham', bcu: 'South East (SE)' },
  { code: 'E09000024', name: 'Merton', bcu: 'South West (SW)' },
  { code: 'E09000025', name: 'Newham', bcu: 'North East (NE)' },
  { code: 'E09000026', name: 'Redbridge', bcu: 'East Area (EA)' },
  { code: 'E09000027', name: 'Richmond upon Thames', bcu: 'South West (SW)' },
  { code: 'E09000028', name: 'Southwark', bcu: 'Central South (AS)' },
  { code: 'E09000029', name: 'Sutton', bcu: 'South (SN)' },
  { code: 'E09000030', name: 'Tower Hamlets', bcu: 'Central East (CE)' },
  { code: 'E09000031', name: 'Waltham Forest', bcu: 'North East (NE)' },
  { code: 'E09000032', name: 'Wandsworth', bcu: 'South West (SW)' },
  { code: 'E09000033', name: 'Westminster', bcu: 'Central West (AW)' },
]);

const BY_CODE = new Map(BOROUGHS.map((b) => [b.code, b]));

export function boroughByCode(code: string): Borough | undefined {
  return BY_CODE.get(code);
}

export function isMetBorough(code: string): boolean {
  return BY_CODE.has(code);
}
