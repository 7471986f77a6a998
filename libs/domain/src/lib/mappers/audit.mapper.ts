import type { AuditActorRecord, AuditEventRecord, AuditTargetRecord } from '../models/audit.model';

export interface AuditEventDto {
  event_id: string;
  at: Date;
  actor: AuditActorRecord;
  action: AuditEventRecord['action'];
  target: AuditTargetRecord;
  count: number;
  reason?: string;
  details?: Record<string, unknown>;
}

export function toAuditEventDto(record: AuditEventRecord): AuditEventDto {
  const actor: AuditActorRecord = { user_id: record.actor.user_id, role: record.actor.role };
  if (record.actor.via) actor.via = record.actor.via;
  const dto: AuditEventDto = {
    event_id: record.event_id,
    at: record.at,
    actor,
    action: record.action,
    target: { type: record.target.type, ids: [...(record.target.ids ?? [])], truncated: record.target.truncated === true },
    count: record.count,
  };
  if (record.reason) dto.reason = record.reason;
  if (record.details) dto.details = record.details;
  return dto;
}
