import { sql } from 'kysely'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor } from '../engine.ts'
import { EngineError } from '../errors.ts'
import { assertCan, permissionOf, redact } from '../access/access-policy.ts'
import { loadCurrencies } from '../behaviours/currencies.ts'
import { computeForecast } from '../behaviours/forecast.ts'
import type { FieldValues } from '../records/compose-record.ts'
import { listAccessOf, type RecordService } from '../records/record-service.ts'
import { resolveLabels, type LabelledRecord } from '../records/resolve-labels.ts'
import { applyListFilters, applyListSort, pageOf, type ListQuery } from '../storage/list-query.ts'
import { toColumnName } from '../storage/module-table.ts'
import type { Database, Executor } from '../storage/open-database.ts'
import { fromRow, selectedColumns } from '../storage/record-rows.ts'
import { relationMenuOf, type RelationEntry } from './relation-graph.ts'

export interface RelationMenuItem {
  id: string
  label: string
  module: string
  kind: RelationEntry['kind']
  field?: string
  count: number
  /** For related records with forecast settings: open, weighted and won amounts in the base currency. */
  totals?: { currency: string; open: number; weighted: number; won: number }
}

/** Relation menus with counts, related lists, link and unlink. */
export interface RelationService {
  /** The relation menu with counts; with an actor, counting only what they may see. */
  menu(module: string, id: number, actor?: Actor): Promise<RelationMenuItem[]>
  related(module: string, id: number, relation: string, query: ListQuery, actor?: Actor): Promise<{ items: LabelledRecord[]; total: number }>
  /**
   * Creates a record of the relation's other module already linked to this
   * one, in one transaction: a one-to-many link field is set to this record,
   * a many-to-many link row is added (which needs the right to edit this record).
   */
  createRelated(module: string, id: number, relation: string, input: FieldValues, actor: Actor): Promise<LabelledRecord>
  link(module: string, id: number, relation: string, otherId: number, actor: Actor): Promise<void>
  unlink(module: string, id: number, relation: string, otherId: number, actor: Actor): Promise<void>
}

export function createRelationService(
  db: Database,
  runtimeOf: (module: string) => ModuleRuntime,
  allRuntimes: () => ReadonlyMap<string, ModuleRuntime>,
  records: RecordService,
): RelationService {
  const entryOf = (module: string, relation: string): RelationEntry => {
    const entry = relationMenuOf(module, allRuntimes()).find((item) => item.id === relation)
    if (!entry) {
      throw new EngineError('RELATION_NOT_FOUND', `"${relation}" is not a relation of ${runtimeOf(module).definition.label.plural}`, { module, relation })
    }

    return entry
  }
  const relatedQuery = (reader: Executor, entry: RelationEntry, id: number, list: ListQuery, actor?: Actor) => {
    const other = runtimeOf(entry.module)
    let query = applyListFilters(other, reader.selectFrom(other.name), list, actor ? listAccessOf(actor, other) : {})
    if (entry.kind === 'one-to-many') {
      query = query.where(toColumnName(entry.field!), '=', id)
    } else {
      const links = reader.selectFrom(entry.table!).select(entry.otherColumn!).where(entry.ownColumn!, '=', id)
      query = query.where('id', 'in', links)
    }

    return { other, query }
  }

  // Related records with forecast settings (an account's potentials) show their total and forecast.
  const totalsOf = async (reader: Executor, entry: RelationEntry, id: number, actor?: Actor) => {
    const other = runtimeOf(entry.module)
    const settings = other.definition.behaviours?.forecast
    if (!settings || entry.kind !== 'one-to-many') return undefined
    const access = actor ? listAccessOf(actor, other) : {}
    if (access.hidden?.has(settings.amount) || access.hidden?.has(settings.weighted)) return undefined
    const forecast = await computeForecast(reader, other, { groupBy: ['stage'] }, await loadCurrencies(reader), { ...access, parent: { field: entry.field!, id } })

    return { currency: forecast.baseCurrency, open: forecast.totals.amount, weighted: forecast.totals.weighted, won: forecast.totals.won }
  }

  return {
    async menu(module, id, actor) {
      await records.get(module, id, actor)
      const entries = relationMenuOf(module, allRuntimes()).filter((entry) => !actor || permissionOf(actor, entry.module).view)

      return db.read(async (reader) => {
        const items: RelationMenuItem[] = []
        for (const entry of entries) {
          const { query } = relatedQuery(reader, entry, id, {}, actor)
          const row = (await query.select(sql<number>`count(*)`.as('count')).executeTakeFirstOrThrow()) as { count: number }
          const item: RelationMenuItem = { id: entry.id, label: entry.label, module: entry.module, kind: entry.kind, field: entry.field, count: Number(row.count) }
          const totals = await totalsOf(reader, entry, id, actor)
          items.push(totals ? { ...item, totals } : item)
        }

        return items
      })
    },

    async related(module, id, relation, list, actor) {
      await records.get(module, id, actor)
      const entry = entryOf(module, relation)
      if (actor) assertCan(actor, runtimeOf(entry.module), 'view')

      return db.read(async (reader) => {
        const { other, query } = relatedQuery(reader, entry, id, list, actor)
        const { limit, offset } = pageOf(list)
        const access = actor ? listAccessOf(actor, other) : {}
        const rows = await applyListSort(other, query.select(selectedColumns(other)), list.sort, access).limit(limit).offset(offset).execute()
        const counted = (await query.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow()) as { total: number }
        const items = rows.map((row) => fromRow(other, row as Record<string, unknown>))

        const labelled = await resolveLabels(reader, other, items, runtimeOf)

        return { items: actor ? labelled.map((item) => redact(actor, other, item)) : labelled, total: Number(counted.total) }
      })
    },

    async createRelated(module, id, relation, input, actor) {
      const entry = entryOf(module, relation)
      await records.get(module, id, actor)
      if (entry.kind === 'one-to-many') return records.create(entry.module, { ...input, [entry.field!]: id }, actor)
      assertCan(actor, runtimeOf(module), 'edit')

      return records.create(entry.module, input, actor, {
        alsoInTransaction: async (trx, created) => {
          // Deleted since it was read above: no link to a record in the recycle bin.
          const own = await trx.selectFrom(module).select('id').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst()
          if (own === undefined) throw new EngineError('RECORD_NOT_FOUND', `${runtimeOf(module).definition.label.singular} ${id} was deleted meanwhile`, { id })
          await trx
            .insertInto(entry.table!)
            .values({ [entry.ownColumn!]: id, [entry.otherColumn!]: created, created_at: new Date().toISOString() })
            .execute()
        },
      })
    },

    async link(module, id, relation, otherId, actor) {
      const entry = entryOf(module, relation)
      await records.get(module, id, actor)
      if (entry.kind === 'one-to-many') {
        await records.update(entry.module, otherId, { [entry.field!]: id }, actor)

        return
      }
      assertCan(actor, runtimeOf(module), 'edit')
      await records.get(entry.module, otherId, actor)
      await db.write((trx) =>
        trx
          .insertInto(entry.table!)
          .values({ [entry.ownColumn!]: id, [entry.otherColumn!]: otherId, created_at: new Date().toISOString() })
          .onConflict((conflict) => conflict.doNothing())
          .execute(),
      )
    },

    async unlink(module, id, relation, otherId, actor) {
      const entry = entryOf(module, relation)
      await records.get(module, id, actor)
      if (entry.kind === 'one-to-many') {
        const other = await records.get(entry.module, otherId, actor)
        if (other[entry.field!] !== id) {
          throw new EngineError('RECORD_NOT_FOUND', `${runtimeOf(entry.module).definition.label.singular} ${otherId} is not linked to this record`, { otherId })
        }
        await records.update(entry.module, otherId, { [entry.field!]: null }, actor)

        return
      }
      assertCan(actor, runtimeOf(module), 'edit')
      const removed = await db.write((trx) =>
        trx.deleteFrom(entry.table!).where(entry.ownColumn!, '=', id).where(entry.otherColumn!, '=', otherId).executeTakeFirst(),
      )
      if (Number(removed.numDeletedRows) === 0) {
        throw new EngineError('RECORD_NOT_FOUND', `record ${otherId} is not linked to this record`, { otherId })
      }
    },
  }
}
