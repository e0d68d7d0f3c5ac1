// POST /api/incidents: a call from a CAD that has no Kafka client, checked as
// cad.incidents.v1 checks it (the Avro contract, then the same validation the
// resolver applies), then produced in the Confluent wire format, keyed by
// incident id. A call that fails is refused with every reason; nothing of it
// is produced.
import avro from 'avsc';
import { contractSchema, SCHEMA_FILE } from '../../shared/contracts/contract-schemas.ts';
import { validateIncident, type IncidentReported } from '../../shared/contracts/incident.ts';

const incidentType = avro.Type.forSchema(contractSchema(SCHEMA_FILE.incident) as avro.Schema, { logicalTypes: {} });

/** JSON as people write it, in the shape the contract's Avro type holds (ms numbers for timestamps, null for absent unions). */
export function checkIncidentShape(body: unknown): { ok: true; incident: IncidentReported } | { ok: false; reasons: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reasons: ['the body is not a JSON object (an IncidentReported)'] };
  const reasons: string[] = [];
  const valid = incidentType.isValid(body, {
    errorHook: (path: string[], value: unknown, type: avro.Type) => {
      if (reasons.length < 20) reasons.push(`${path.join('.') || '(the call)'}: ${value === undefined ? 'missing' : `not a valid ${type.typeName ?? (type as { name?: string }).name ?? 'value'}`}`);
    },
  });
  if (!valid) return { ok: false, reasons: reasons.length ? reasons : ['the call does not match the IncidentReported contract'] };
  return { ok: true, incident: body as IncidentReported };
}

export function checkIncident(body: unknown, now: number): { ok: true; incident: IncidentReported } | { ok: false; reasons: string[] } {
  const shape = checkIncidentShape(body);
  if (!shape.ok) return shape;
  const validation = validateIncident(shape.incident, { now });
  return validation.ok ? shape : { ok: false, reasons: validation.reasons };
}
