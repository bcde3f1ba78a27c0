import { fullFormats } from 'ajv-formats/dist/formats.js'
import equal from 'ajv/dist/runtime/equal.js'
import ucs2length from 'ajv/dist/runtime/ucs2length.js'
import { fitsScale } from './fits-scale.ts'

/*
 * What a standalone validator may `require`, in one place: the server refuses
 * to serve a validator asking for anything else (validator-module.ts), and the
 * web client hands exactly these to the validators it loads. Nothing here may
 * need Node: the client bundles this file.
 */

/** The module standalone code takes ajv-formats' format checks from. */
export const FORMATS_MODULE = 'ajv-formats/dist/formats'

/** The name standalone code takes the `x-scale` rule (`fitsScale`) by. */
export const X_SCALE_MODULE = 'crm-module-engine/x-scale'

/** Each name a standalone validator may `require`, with what `require` answers for it. */
export const STANDALONE_RUNTIME: Readonly<Record<string, unknown>> = Object.freeze({
  'ajv/dist/runtime/equal': { default: defaultOf(equal) },
  'ajv/dist/runtime/ucs2length': { default: defaultOf(ucs2length) },
  [FORMATS_MODULE]: { fullFormats },
  [X_SCALE_MODULE]: { fitsScale },
})

/** The `require` standalone validators are given; an unknown name throws instead of answering undefined. */
export function requireRuntime(name: string): unknown {
  if (!Object.hasOwn(STANDALONE_RUNTIME, name)) {
    throw new Error(`a standalone validator requires "${name}", which the validator runtime does not provide`)
  }

  return STANDALONE_RUNTIME[name]
}

/**
 * The function of a CommonJS module with an `exports.default`: Node's ESM
 * loader gives the whole `exports` object as the default import, a bundler
 * gives `exports.default`.
 */
function defaultOf<T>(imported: T): T {
  const inner = (imported as { default?: unknown }).default

  return typeof imported !== 'function' && typeof inner === 'function' ? (inner as T) : imported
}
