/** One difference between two definition versions, at a JSON pointer. */
export interface DefinitionDifference {
  path: string
  change: 'added' | 'removed' | 'changed'
  before?: unknown
  after?: unknown
}

/**
 * Compares two definitions key by key. Objects are walked; arrays and
 * scalars are compared whole, so a reordered block shows as one change of
 * its field list.
 */
export function diffDefinitions(before: unknown, after: unknown, path = ''): DefinitionDifference[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]

    return keys.flatMap((key) => {
      const child = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`
      if (!(key in before)) return [{ path: child, change: 'added' as const, after: after[key] }]
      if (!(key in after)) return [{ path: child, change: 'removed' as const, before: before[key] }]

      return diffDefinitions(before[key], after[key], child)
    })
  }

  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: path || '/', change: 'changed', before, after }]
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
