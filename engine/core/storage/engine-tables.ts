import type { Executor } from './open-database.ts'

/**
 * Creates the engine's own tables. Their names start with an underscore,
 * which no module name can, so they never collide with a module table.
 */
export async function createEngineTables(db: Executor): Promise<void> {
  await db.schema
    .createTable('_definitions')
    .ifNotExists()
    .addColumn('module', 'text', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('definition', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('_definitions_pk', ['module', 'version'])
    .execute()
  await db.schema
    .createTable('_sequences')
    .ifNotExists()
    .addColumn('name', 'text', (column) => column.primaryKey())
    .addColumn('value', 'integer', (column) => column.notNull())
    .execute()
  await db.schema
    .createTable('_credentials')
    .ifNotExists()
    .addColumn('user_id', 'integer', (column) => column.primaryKey())
    .addColumn('password_hash', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute()
  await db.schema
    .createTable('_sessions')
    .ifNotExists()
    .addColumn('token_hash', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'integer', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'text', (column) => column.notNull())
    .execute()
  await db.schema
    .createTable('_api_tokens')
    .ifNotExists()
    .addColumn('id', 'integer', (column) => column.primaryKey())
    .addColumn('user_id', 'integer', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('token_hash', 'text', (column) => column.notNull().unique())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute()
  await db.schema
    .createTable('_login_failures')
    .ifNotExists()
    .addColumn('key', 'text', (column) => column.notNull())
    .addColumn('failed_at', 'text', (column) => column.notNull())
    .execute()
  await db.schema.createIndex('_login_failures_key').ifNotExists().on('_login_failures').columns(['key', 'failed_at']).execute()
  await db.schema
    .createTable('_import_jobs')
    .ifNotExists()
    .addColumn('id', 'integer', (column) => column.primaryKey())
    .addColumn('module', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('result', 'text')
    .execute()
}
