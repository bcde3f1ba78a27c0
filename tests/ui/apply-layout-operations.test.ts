import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  applyOperations,
  type ChangeOperation,
} from '../../engine/core/definition/change-operations.ts'
import type { FieldDefinition, ModuleDefinition } from '../../engine/core/definition/types.ts'
import { applyLayoutOperations } from '../../ui/apply-layout-operations.ts'

const potentials = JSON.parse(
  readFileSync(new URL('../../modules/potentials.json', import.meta.url), 'utf8'),
) as ModuleDefinition

// Each case is a draft the editor could build; the client must end where the server ends.
const CASES: [string, ChangeOperation[]][] = [
  [
    'adds fields of several kinds into blocks and positions',
    [
      {
        op: 'addField',
        label: 'Budget',
        kind: 'currency',
        name: 'cf_budget',
        block: 'description_information',
      },
      {
        op: 'addField',
        label: 'Tier',
        kind: 'picklist',
        name: 'cf_tier',
        position: 1,
        properties: { enum: ['A', 'B'], 'x-list': true },
      },
      {
        op: 'addField',
        label: 'Rate',
        kind: 'percent',
        name: 'cf_rate',
        required: true,
        backfill: 5,
      },
      {
        op: 'addField',
        label: 'Partner',
        kind: 'relation',
        name: 'cf_partner',
        properties: { 'x-relation': { module: 'accounts' } },
      },
    ],
  ],
  [
    'updates properties and removes those set to null',
    [
      {
        op: 'updateField',
        field: 'nextstep',
        properties: {
          title: 'Next action',
          description: 'What happens next',
          maxLength: 80,
          'x-list': true,
        },
      },
      {
        op: 'updateField',
        field: 'amount',
        // The API takes null to remove a property; the type of a definition has no null.
        properties: {
          'x-list': null,
          'x-header': true,
          'x-scale': 0,
        } as unknown as Partial<FieldDefinition>,
      },
    ],
  ],
  [
    'changes kinds, keeping the common properties',
    [
      { op: 'changeKind', field: 'nextstep', kind: 'currency', conversion: { onFailure: 'clear' } },
      { op: 'changeKind', field: 'leadsource', kind: 'text' },
      {
        op: 'changeKind',
        field: 'description',
        kind: 'multi-picklist',
        properties: { items: { type: 'string', enum: ['x'] }, uniqueItems: true },
      },
    ],
  ],
  [
    'renames a field everywhere it is named',
    [
      { op: 'renameField', field: 'amount', newName: 'deal_value' },
      { op: 'renameField', field: 'sales_stage', newName: 'stage' },
    ],
  ],
  [
    'makes fields mandatory and optional',
    [
      { op: 'setRequired', field: 'nextstep', required: true, keepGaps: true },
      { op: 'setRequired', field: 'closingdate', required: false },
    ],
  ],
  [
    'archives, restores and purges',
    [
      { op: 'archiveField', field: 'nextstep' },
      { op: 'archiveField', field: 'closingdate' },
      { op: 'archiveField', field: 'engage_date' },
      { op: 'restoreField', field: 'closingdate' },
      { op: 'restoreField', field: 'nextstep', block: 'description_information' },
      { op: 'purgeField', field: 'engage_date' },
    ],
  ],
  [
    'edits picklist values and their metadata',
    [
      {
        op: 'addPicklistValue',
        field: 'sales_stage',
        value: 'On Hold',
        position: 2,
        meta: { probability: 5, outcome: 'open' },
      },
      { op: 'renamePicklistValue', field: 'sales_stage', from: 'Needs Analysis', to: 'Discovery' },
      {
        op: 'mergePicklistValues',
        field: 'sales_stage',
        from: ['Value Proposition', 'Qualification'],
        into: 'Prospecting',
      },
      { op: 'deletePicklistValue', field: 'leadsource', value: 'Cold Call', replacement: null },
      {
        op: 'setPicklistValueMeta',
        field: 'sales_stage',
        value: 'Discovery',
        meta: { probability: 33 },
      },
      { op: 'setPicklistValueMeta', field: 'sales_stage', value: 'On Hold', meta: null },
    ],
  ],
  [
    'reorders picklist values',
    [
      {
        op: 'reorderPicklistValues',
        field: 'opportunity_type',
        values: [...(potentials.record.properties.opportunity_type.enum ?? [])].reverse(),
      },
    ],
  ],
  [
    'adds, renames, reorders and removes blocks and moves fields',
    [
      { op: 'addBlock', label: 'Money', id: 'money', columns: 3 },
      { op: 'addBlock', label: 'Empty', id: 'empty', position: 0 },
      { op: 'renameBlock', block: 'money', label: 'Money matters' },
      { op: 'moveField', field: 'amount', block: 'money' },
      { op: 'moveField', field: 'probability', block: 'money', position: 0 },
      { op: 'moveField', field: 'potentialname', block: 'potential_information', position: 3 },
      {
        op: 'reorderBlocks',
        blocks: ['money', 'description_information', 'potential_information', 'empty'],
      },
      { op: 'removeBlock', block: 'empty' },
    ],
  ],
  [
    'adds a many-to-many relation and changes the module labels',
    [
      {
        op: 'addRelation',
        module: 'campaigns',
        label: 'Campaigns',
        inverseLabel: 'Deals',
        name: 'campaigns',
      },
      { op: 'updateModule', label: { singular: 'Deal', plural: 'Deals' } },
    ],
  ],
]

const REFUSED: [string, ChangeOperation][] = [
  ['a field that exists', { op: 'addField', label: 'Amount', kind: 'text', name: 'amount' }],
  ['a locked property', { op: 'updateField', field: 'amount', properties: { type: 'string' } }],
  ['a field in use by an expression', { op: 'archiveField', field: 'amount' }],
  ['the record title', { op: 'archiveField', field: 'potentialname' }],
  ['purging a live field', { op: 'purgeField', field: 'amount' }],
  [
    'renaming a value to a taken one',
    { op: 'renamePicklistValue', field: 'sales_stage', from: 'Prospecting', to: 'Closed Won' },
  ],
  ['a block with fields', { op: 'removeBlock', block: 'description_information' }],
  ['an unknown block', { op: 'moveField', field: 'amount', block: 'nowhere' }],
]

describe('applyLayoutOperations', () => {
  for (const [title, operations] of CASES) {
    it(`${title} as the server does`, () => {
      const server = applyOperations(potentials, operations).definition

      expect(applyLayoutOperations(potentials, operations)).toEqual(server)
    })
  }

  for (const [title, operation] of REFUSED) {
    it(`refuses ${title} as the server does`, () => {
      expect(() => applyOperations(potentials, [operation])).toThrow()
      expect(() => applyLayoutOperations(potentials, [operation])).toThrow(/change 1/)
    })
  }

  it('leaves the definition it was given untouched', () => {
    const before = JSON.stringify(potentials)
    applyLayoutOperations(
      potentials,
      CASES.flatMap(([, operations]) => operations.slice(0, 1)),
    )

    expect(JSON.stringify(potentials)).toBe(before)
  })
})
