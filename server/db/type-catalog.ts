import type pg from 'pg'
import type { RelationInfo } from './decode-pgoutput'
import { BUILTIN_TYPES, type PgTypeInfo } from './render-value'

/** Resolves column type OIDs to type names and categories, built-ins first, then `pg_type` (cached). */
export class TypeCatalog {
  private readonly byOid = new Map<number, PgTypeInfo>(BUILTIN_TYPES)
  private readonly byRelation = new WeakMap<RelationInfo, Map<string, PgTypeInfo>>()

  constructor(private readonly pool: pg.Pool) {}

  /** Column name → type of a replicated relation. */
  async forRelation(relation: RelationInfo): Promise<ReadonlyMap<string, PgTypeInfo>> {
    const cached = this.byRelation.get(relation)
    if (cached) return cached
    const missing = [...new Set(relation.columns.map((c) => c.typeOid).filter((oid) => !this.byOid.has(oid)))]
    if (missing.length > 0) await this.load(missing)
    const map = new Map<string, PgTypeInfo>()
    for (const column of relation.columns) {
      map.set(column.name, this.byOid.get(column.typeOid) ?? { name: 'text', category: 'S' })
    }
    this.byRelation.set(relation, map)
    return map
  }

  private async load(oids: number[]): Promise<void> {
    const { rows } = await this.pool.query<{ oid: number; typname: string; typcategory: string; elem: number; elemname: string | null; elemcategory: string | null; basecategory: string | null; basename: string | null }>(
      `select t.oid::int as oid, t.typname::text as typname, t.typcategory::text as typcategory, t.typelem::int as elem,
              e.typname::text as elemname, e.typcategory::text as elemcategory,
              b.typcategory::text as basecategory, b.typname::text as basename
         from pg_type t
         left join pg_type e on e.oid = t.typelem and t.typcategory = 'A'
         left join pg_type b on b.oid = t.typbasetype and t.typtype = 'd'
        where t.oid = any($1::oid[])`,
      [oids],
    )
    for (const row of rows) {
      let info: PgTypeInfo
      if (row.typcategory === 'A' && row.elemname) {
        const element = this.byOid.get(row.elem) ?? { name: row.elemname, category: row.elemcategory ?? 'U' }
        info = { name: row.typname, category: 'A', element }
      } else if (row.basename) {
        // NOTE: a domain renders like its base type (to_jsonb looks through domains).
        info = { name: row.basename, category: row.basecategory ?? 'U' }
      } else {
        info = { name: row.typname, category: row.typcategory }
      }
      this.byOid.set(row.oid, info)
    }
  }
}
