import { createHash } from 'node:crypto'
import { assertCan, canSee, checkWritable, permissionOf } from '../access/access-policy.ts'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor, Engine } from '../engine.ts'
import { EngineError, invalid, type Issue } from '../errors.ts'
import { composeRecord, type FieldValues } from '../records/compose-record.ts'
import type { LabelledRecord } from '../records/resolve-labels.ts'
import { runWriteHooks } from '../records/write-hooks.ts'
import type { Executor } from '../storage/open-database.ts'
import { insertRecords, selectRecord } from '../storage/record-queries.ts'
import { translateSqliteError } from '../storage/translate-sqlite-error.ts'

/** The largest file one record may hold. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024

/** A file as it arrived: the name and type the client claims, and its bytes. */
export interface Upload {
  name: string
  type: string
  bytes: Uint8Array
}

/**
 * Stores an uploaded file as a new record of a module that holds files
 * (`behaviours.file`, the Documents module), attached to a record of any
 * module through the file module's parent link. The file name is cleaned
 * for display only; the bytes live under a random key, never a client name.
 * Throws RECORD_NOT_FOUND when the actor may not see the parent,
 * FILE_TOO_LARGE past MAX_FILE_BYTES, RECORD_INVALID for an empty file or
 * refused fields (`fields` holds the record's other values: title, notes).
 * TODO(#6): one file per record, never replaced (no new version of a document); the bytes of a
 * document in the recycle bin stay, and bytes saved to disk just before a crash stay unreferenced.
 *
 * @example
 * const document = await attachFile(engine, 'documents', { module: 'potentials', id: 4 }, { name: 'offer.pdf', type: 'application/pdf', bytes }, { notes: 'v2' }, actor)
 */
export async function attachFile(
  engine: Engine,
  module: string,
  parent: { module: string; id: number },
  upload: Upload,
  fields: FieldValues,
  actor: Actor,
): Promise<LabelledRecord> {
  const runtime = fileModuleOrThrow(engine, module)
  assertCan(actor, runtime, 'create')
  await engine.records.get(parent.module, parent.id, actor)
  if (upload.bytes.length > MAX_FILE_BYTES) {
    throw new EngineError(
      'FILE_TOO_LARGE',
      `"${safeFileName(upload.name)}" is ${megabytes(upload.bytes.length)} MB; a file may be at most ${megabytes(MAX_FILE_BYTES)} MB`,
      { limit: MAX_FILE_BYTES },
    )
  }
  if (upload.bytes.length === 0)
    throw invalid(
      'RECORD_INVALID',
      `"${safeFileName(upload.name)}" is empty; choose another file`,
      [{ path: '/file', code: 'empty', message: 'the file is empty' }],
    )

  const store = engine.files
  const key = store.createKey()
  const content = await store.save(key, upload.bytes)
  try {
    const id = await engine.db.write((trx) =>
      insertFileRecord(trx, engine, runtime, { parent, upload, fields, key, content }, actor),
    )

    return await engine.records.get(module, id, actor)
  } catch (error) {
    await store.discard(key)
    throw error
  }
}

/** The runtime of a module that holds files; QUERY_INVALID for any other. */
export function fileModuleOrThrow(engine: Engine, module: string): ModuleRuntime {
  const runtime = engine.runtime(module)
  if (!runtime.definition.behaviours?.file || !runtime.definition.behaviours.parentLink) {
    throw new EngineError(
      'QUERY_INVALID',
      `${runtime.definition.label.plural} do not hold files: their definition declares no file fields and parent link`,
      { module },
    )
  }

  return runtime
}

interface FileRecord {
  parent: { module: string; id: number }
  upload: Upload
  fields: FieldValues
  key: string
  content: Uint8Array | null
}

async function insertFileRecord(
  trx: Executor,
  engine: Engine,
  runtime: ModuleRuntime,
  file: FileRecord,
  actor: Actor,
): Promise<number> {
  // The parent is checked again inside the transaction: it may have gone to the recycle bin meanwhile.
  const parentRuntime = engine.runtime(file.parent.module)
  const parent = await selectRecord(trx, parentRuntime, file.parent.id)
  if (
    !parent ||
    !permissionOf(actor, parentRuntime.name).view ||
    !canSee(actor, parentRuntime, parent)
  ) {
    throw new EngineError(
      'RECORD_NOT_FOUND',
      `${parentRuntime.definition.label.singular} ${file.parent.id} does not exist or is in the recycle bin`,
      { module: parentRuntime.name, id: file.parent.id },
    )
  }
  const { file: names, parentLink } = runtime.definition.behaviours!
  const name = safeFileName(file.upload.name)
  const system: FieldValues = {
    [names!.name]: name,
    [names!.mimeType]: safeMimeType(file.upload.type),
    [names!.size]: file.upload.bytes.length,
    [parentLink!.moduleField]: file.parent.module,
    [parentLink!.idField]: file.parent.id,
  }
  const title = runtime.titleField
  const input: FieldValues = { ...file.fields }
  if (
    title !== undefined &&
    !(title in system) &&
    (input[title] === undefined || input[title] === '')
  )
    input[title] = name

  const composed = composeRecord(runtime, input, { actorId: actor.id, system })
  const references =
    (await engine.records.checkReferences(trx, runtime, [composed.values], actor)).get(0) ?? []
  const issues: Issue[] = [
    ...checkWritable(actor, runtime, input),
    ...composed.issues,
    ...references,
  ]
  if (issues.length > 0)
    throw invalid(
      'RECORD_INVALID',
      `the ${runtime.definition.label.singular.toLowerCase()} is invalid: ${issues.map((issue) => issue.message).join('; ')}`,
      issues,
    )
  const [id] = await insertRecords(trx, runtime, [composed.values], actor.id).catch(
    (error: unknown) => {
      throw translateSqliteError(error)
    },
  )
  await trx
    .insertInto('_files')
    .values({
      key: file.key,
      module: runtime.name,
      record_id: id,
      size: file.upload.bytes.length,
      sha256: sha256(file.upload.bytes),
      created_at: new Date().toISOString(),
      content: file.content,
    })
    .execute()
  await runWriteHooks(engine.records.hooks, trx, {
    module: runtime.name,
    id,
    action: 'create',
    before: null,
    after: composed.values,
    actorId: actor.id,
  })

  return id
}

/**
 * A file name fit to show and to offer as a download name: the last path
 * segment only (`../../etc/passwd` is `passwd`), without control characters
 * or the characters file systems and headers refuse, at most 255 characters.
 */
export function safeFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? ''
  const cleaned = last
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 255)

  return cleaned === '' ? 'file' : cleaned
}

/** The client's media type when it is well formed (`type/subtype`), else a neutral one. */
export function safeMimeType(type: string): string {
  const lowered = type.trim().toLowerCase().split(';')[0].trim()

  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(lowered)
    ? lowered
    : 'application/octet-stream'
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function megabytes(bytes: number): string {
  return String(Math.round((bytes / 1024 / 1024) * 10) / 10)
}
