// The administration audit log (docs/ARCHITECTURE.md, "Administration"). Append and read only:
// there is deliberately no update or delete here, so no route can offer one.
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from './schema.ts';

export type AuditRow = Selectable<AuditLogTable>;

export interface AuditFilter {
  actorId?: string;
  /** A whole kind (`rep.created`) or its first part (`rep`). */
  kind?: string;
  from?: number;
  to?: number;
  /** Only entries older than this id (the next page). */
  beforeId?: number;
  limit: number;
}

export class AuditQueries {
  constructor(private readonly db: Kysely<Database>) {}

  async append(row: Insertable<AuditLogTable>): Promise<void> {
    await this.db.insertInto('audit_log').values(row).execute();
  }

  /** Newest first. */
  list(f: AuditFilter): Promise<AuditRow[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (f.actorId !== undefined) q = q.where('actor_id', '=', f.actorId);
    if (f.kind !== undefined) {
      const kind = f.kind;
      q = kind.includes('.') ? q.where('kind', '=', kind) : q.where((eb) => eb.or([eb('kind', '=', kind), eb('kind', 'like', `${kind}.%`)]));
    }
    if (f.from !== undefined) q = q.where('at', '>=', f.from);
    if (f.to !== undefined) q = q.where('at', '<', f.to);
    if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
    return q.orderBy('id', 'desc').limit(f.limit).execute();
  }
}
