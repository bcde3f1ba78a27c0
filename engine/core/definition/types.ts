/** The shape of a module definition as `schemas/module.schema.json` allows it. */

export type FieldKindName =
  | 'text'
  | 'textarea'
  | 'integer'
  | 'decimal'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multi-picklist'
  | 'relation'
  | 'user'
  | 'auto-number'
  | 'computed'

export interface PicklistValueMeta {
  probability?: number
  outcome?: 'open' | 'won' | 'lost'
}

export interface FieldDefinition {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array'
  'x-kind': FieldKindName
  title: string
  description?: string
  default?: unknown
  readOnly?: boolean
  format?: 'date' | 'date-time' | 'email' | 'uri'
  maxLength?: number
  minimum?: number
  maximum?: number
  enum?: string[]
  items?: { type?: 'string'; enum: string[] }
  uniqueItems?: boolean
  'x-scale'?: number
  'x-relation'?: { module: string }
  'x-prefix'?: string
  'x-expression'?: string
  'x-values'?: Record<string, PicklistValueMeta>
  'x-list'?: boolean
  'x-quick-create'?: boolean
  'x-mass-edit'?: boolean
  'x-header'?: boolean
  'x-searchable'?: boolean
  'x-unique'?: boolean
  'x-archived'?: boolean
  'x-restore'?: { block?: string; position?: number; required?: boolean }
}

export interface LayoutBlock {
  id: string
  label: string
  columns?: 1 | 2 | 3
  fields: string[]
}

export interface ManyToManyRelation {
  name: string
  module: string
  label: string
  inverseLabel?: string
}

export interface PicklistDefault {
  source: string
  key: keyof PicklistValueMeta
  target: string
  /** When the source changes: `unless-given` (default) fills the target unless the writer gave it, `always` overrides it, `never` leaves it. */
  policy?: 'always' | 'unless-given' | 'never'
}

/** Which fields make up a module's forecast. */
export interface ForecastSettings {
  amount: string
  weighted: string
  date: string
  stage: string
  owner: string
  currency?: string
}

/** A field derived from related records: `aggregate` of `field` over the `module` records whose `via` points here. */
export interface RollupDefinition {
  target: string
  module: string
  via: string
  field: string
  aggregate: 'sum' | 'count' | 'min' | 'max'
}

export interface ModuleDefinition {
  $schema?: string
  name: string
  label: { singular: string; plural: string }
  recordTitle?: string
  ownerField?: string
  record: {
    type: 'object'
    required?: string[]
    properties: Record<string, FieldDefinition>
  }
  layout: { blocks: LayoutBlock[]; hidden?: string[] }
  relations?: ManyToManyRelation[]
  csv?: { aliases?: Record<string, string[]> }
  behaviours?: {
    picklistDefaults?: PicklistDefault[]
    /** Fields whose values every audit entry keeps, such as amount and probability at a stage change. */
    history?: { snapshot: string[] }
    forecast?: ForecastSettings
    rollups?: RollupDefinition[]
  }
}

/** A definition as the engine holds it: the document plus its stored version number. */
export interface LiveDefinition {
  definition: ModuleDefinition
  version: number
}
