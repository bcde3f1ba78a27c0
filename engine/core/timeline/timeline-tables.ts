import type { Executor } from '../storage/open-database.ts'

/**
 * The engine tables behind a record's timeline: comments on any record, and
 * the files held by records of modules that declare `behaviours.file`
 * (one file per record; its bytes on disk or in `content`, see FileStore).
 */
export async function createTimelineTables(db: Executor): Promise<void> {
  await db.schema
    .createTable('_comments')
    .ifNotExists()
    .addColumn('id', 'integer', (column) => column.primaryKey())
    .addColumn('module', 'text', (column) => column.notNull())
    .addColumn('record_id', 'integer', (column) => column.notNull())
    .addColumn('author_id', 'integer')
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute()
  await db.schema
    .createIndex('_comments_record')
    .ifNotExists()
    .on('_comments')
    .columns(['module', 'record_id', 'created_at'])
    .execute()
  await db.schema
    .createTable('_files')
    .ifNotExists()
    .addColumn('key', 'text', (column) => column.primaryKey())
    .addColumn('module', 'text', (column) => column.notNull())
    .addColumn('record_id', 'integer', (column) => column.notNull())
    .addColumn('size', 'integer', (column) => column.notNull())
    .addColumn('sha256', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('content', 'blob')
    .execute()
  await db.schema
    .createIndex('_files_record')
    .ifNotExists()
    .on('_files')
    .columns(['module', 'record_id'])
    .unique()
    .execute()
}
