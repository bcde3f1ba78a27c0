import { Busboy, type BusboyFileStream, type BusboyInstance } from '@fastify/busboy'
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import { HTTPException } from 'hono/http-exception'
import type { StoredUpload } from '../core/csv/import-job-service.ts'

/** The stored file of a multipart upload and its text fields. */
export interface ReceivedUpload {
  upload: StoredUpload
  fields: Record<string, string>
}

const MAX_FIELD = 1024 * 1024

/**
 * Streams a multipart/form-data request into a file of `folder`, never
 * holding the file in memory (Hono's `parseBody` buffers the whole body).
 * The part named `file` is the upload; text fields are collected. A body
 * over `limit` bytes is a 413 and leaves no file behind; a body that is not
 * multipart, or has no file part, is a 400.
 */
export async function receiveUpload(
  request: Request,
  folder: string,
  limit: number,
): Promise<ReceivedUpload> {
  const contentType = request.headers.get('content-type') ?? ''
  if (!/^multipart\/form-data/i.test(contentType) || request.body === null) {
    throw new HTTPException(400, {
      message: 'send the file as multipart/form-data with a "file" field',
    })
  }
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > limit) throw tooLarge(limit)
  await mkdir(folder, { recursive: true })
  const path = join(folder, `upload-${randomUUID()}.csv`)
  const fields: Record<string, string> = {}
  let file: { name: string; bytes: number; truncated: boolean } | undefined
  let writing: Promise<void> = Promise.resolve()

  let parser: BusboyInstance
  try {
    parser = new Busboy({
      headers: { 'content-type': contentType },
      limits: { fileSize: limit, files: 1, fields: 50, fieldSize: MAX_FIELD },
    })
  } catch {
    throw new HTTPException(400, { message: 'the multipart body has no boundary' })
  }
  parser.on('field', (name: string, value: string) => {
    if (Object.hasOwn(fields, name) || name === '__proto__') return
    fields[name] = value
  })
  parser.on('file', (name: string, stream: BusboyFileStream, filename: string) => {
    if (name !== 'file' || file !== undefined) {
      stream.resume()

      return
    }
    const received = { name: filename || 'upload.csv', bytes: 0, truncated: false }
    file = received
    stream.on('data', (chunk: Buffer) => (received.bytes += chunk.length))
    stream.on('limit', () => (received.truncated = true))
    writing = pipeline(stream, createWriteStream(path))
  })

  try {
    const body = Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>)
    await pipeline(body, parser)
    await writing
  } catch (error) {
    await rm(path, { force: true })
    if (error instanceof HTTPException) throw error
    throw new HTTPException(400, { message: 'the multipart body could not be read to its end' })
  }
  if (file?.truncated) {
    await rm(path, { force: true })
    throw tooLarge(limit)
  }
  if (file === undefined) {
    throw new HTTPException(400, {
      message: 'the upload needs a "file" field holding the CSV file',
    })
  }

  return { upload: { path, name: file.name.slice(0, 255), bytes: file.bytes }, fields }
}

function tooLarge(limit: number): HTTPException {
  return new HTTPException(413, {
    message: `the file is larger than ${Math.round(limit / 1024 / 1024)} MB, the most one import takes; split it into several files`,
  })
}
