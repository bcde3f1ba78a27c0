import { api } from './api-client.ts'
import { recordTitleOf } from './field-values.ts'

// One lookup per record for the life of the page: chips and views name the same records again and again.
const titles = new Map<string, Promise<string | undefined>>()

/**
 * The title of one record ("Acme Rockets"), for naming a record that only
 * its id brought along (a filter in the hash or a saved view); undefined
 * when the reader cannot see it or it is gone.
 */
export function loadRecordTitle(module: string, id: number): Promise<string | undefined> {
  const key = `${module}:${id}`
  let title = titles.get(key)
  if (title === undefined) {
    title = Promise.all([api.getModule(module), api.getRecord(module, id)]).then(
      ([live, record]) => recordTitleOf(live.definition, record),
      () => {
        // Not cached: the next screen may be allowed to see it, or the network may be back.
        titles.delete(key)

        return undefined
      },
    )
    titles.set(key, title)
  }

  return title
}
