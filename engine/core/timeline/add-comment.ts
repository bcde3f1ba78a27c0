import { assertCan, canSee } from '../access/access-policy.ts'
import type { Actor, Engine } from '../engine.ts'
import { EngineError, invalid } from '../errors.ts'
import { titlesOf } from '../records/resolve-labels.ts'
import { selectRecord } from '../storage/record-queries.ts'

/** The longest comment, in characters. */
export const MAX_COMMENT_LENGTH = 10000

/** A comment on a record, plain text. */
export interface Comment {
  id: number
  module: string
  record_id: number
  author: { id: number; name: string } | null
  body: string
  created_at: string
}

/**
 * Adds a plain-text comment to any record the actor may see (RECORD_NOT_FOUND
 * otherwise). The text is kept as written, never read as markup; an empty or
 * overlong one is RECORD_INVALID.
 * TODO(#6): comments cannot be edited or deleted yet.
 */
export async function addComment(
  engine: Engine,
  module: string,
  id: number,
  body: unknown,
  actor: Actor,
): Promise<Comment> {
  const runtime = engine.runtime(module)
  assertCan(actor, runtime, 'view')
  const text = typeof body === 'string' ? body.trim() : ''
  if (text === '' || text.length > MAX_COMMENT_LENGTH) {
    const message =
      text === ''
        ? 'a comment needs some text'
        : `a comment may be at most ${MAX_COMMENT_LENGTH} characters, not ${text.length}`
    throw invalid('RECORD_INVALID', message, [
      { path: '/body', field: 'body', code: text === '' ? 'required' : 'maxLength', message },
    ])
  }

  return engine.db.write(async (trx) => {
    const record = await selectRecord(trx, runtime, id)
    if (!record || !canSee(actor, runtime, record)) {
      throw new EngineError(
        'RECORD_NOT_FOUND',
        `${runtime.definition.label.singular} ${id} does not exist or is in the recycle bin`,
        { module, id },
      )
    }
    const created_at = new Date().toISOString()
    const row = (await trx
      .insertInto('_comments')
      .values({ module, record_id: id, author_id: actor.id, body: text, created_at })
      .returning('id')
      .executeTakeFirstOrThrow()) as { id: unknown }
    const name = (await titlesOf(trx, engine.runtime('users'), [actor.id])).get(actor.id)

    return {
      id: Number(row.id),
      module,
      record_id: id,
      author: name === undefined ? null : { id: actor.id, name },
      body: text,
      created_at,
    }
  })
}
