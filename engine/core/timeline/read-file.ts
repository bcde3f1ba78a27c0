import type { Actor, Engine } from '../engine.ts'
import { EngineError } from '../errors.ts'
import { fileModuleOrThrow, safeFileName, safeMimeType } from './attach-file.ts'

/** A stored file with the name and type it was uploaded with (both cleaned). */
export interface StoredFile {
  name: string
  mimeType: string
  size: number
  bytes: Uint8Array
}

/**
 * The file a record holds (a document's upload). Throws RECORD_NOT_FOUND
 * when the actor may not see the record or it holds no file, so neither can
 * be probed.
 */
export async function readRecordFile(
  engine: Engine,
  module: string,
  id: number,
  actor: Actor,
): Promise<StoredFile> {
  const runtime = fileModuleOrThrow(engine, module)
  const record = await engine.records.get(module, id, actor)
  const names = runtime.definition.behaviours!.file!

  const bytes = await engine.db.read(async (reader) => {
    const row = (await reader
      .selectFrom('_files')
      .select('key')
      .where('module', '=', module)
      .where('record_id', '=', id)
      .executeTakeFirst()) as { key: string } | undefined

    return row ? engine.files.load(reader, row.key) : undefined
  })
  if (bytes === undefined)
    throw new EngineError(
      'RECORD_NOT_FOUND',
      `${runtime.definition.label.singular} ${id} holds no file`,
      { module, id },
    )

  return {
    name: safeFileName(String(record[names.name] ?? 'file')),
    mimeType: safeMimeType(String(record[names.mimeType] ?? '')),
    size: bytes.length,
    bytes,
  }
}
