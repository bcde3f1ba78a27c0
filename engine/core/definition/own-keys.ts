/**
 * Reading and writing properties whose names come from users. A plain
 * `object[name] = value` with the name `__proto__` changes a prototype, and
 * reading it finds Object.prototype; these helpers only ever touch own
 * properties.
 */
export function getOwn<T>(object: Record<string, T> | undefined, key: string): T | undefined {
  return object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined
}

export function setOwn<T>(object: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true })
}

/** Copies own enumerable properties as own properties, never through a setter or a prototype. */
export function assignOwn<T extends object>(target: T, source: object | undefined): T {
  for (const [key, value] of Object.entries(source ?? {})) setOwn(target as Record<string, unknown>, key, value)

  return target
}
