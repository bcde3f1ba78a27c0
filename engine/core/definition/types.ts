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

/** One record a conversion makes or reuses (an account, a contact, a potential). */
export interface ConversionTarget {
  module: string
  /** The converted record's relation field that keeps the id of what this target produced. */
  leadField: string
  /** Made only when the conversion request asks for it (`create<Target>: true`). */
  optional?: boolean
  /** The target field an existing record is found by and then reused instead of making a new one. */
  matchBy?: string
  /** Target field ← field of the converted record. */
  fields: Record<string, string>
  /** Target field ← the record an earlier target produced. */
  links?: Record<string, string>
  /** Per target picklist field: value of the converted record → option of the target. */
  valueMaps?: Record<string, Record<string, string>>
}

/** How a record (a lead) converts into records of other modules. */
export interface ConversionDefinition {
  /** The read-only date-time field set on conversion; a converted record is read-only except for admins. */
  convertedAt: string
  /** The records to make or reuse, in this order; a link names an earlier target. */
  targets: Record<string, ConversionTarget>
}

/** Links a record to a record of any module by two fields: the module's name and the record's id. */
export interface ParentLink {
  moduleField: string
  idField: string
  /** How the record shows in its parent's timeline: the kind, and the fields that give its time and text. */
  timeline?: { kind: string; at?: string; body?: string }
}

/** Fields of a record that holds one uploaded file (its bytes are kept by the engine). */
export interface FileFields {
  name: string
  mimeType: string
  size: string
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
    conversion?: ConversionDefinition
    parentLink?: ParentLink
    file?: FileFields
  }
}

/** A definition as the engine holds it: the document plus its stored version number. */
export interface LiveDefinition {
  definition: ModuleDefinition
  version: number
}
