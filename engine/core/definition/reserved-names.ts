/** Column names the engine keeps for itself in every module table. */
export const SYSTEM_COLUMNS = ['id', 'version', 'created_at', 'updated_at', 'created_by', 'deleted_at'] as const

/**
 * Names a field may not take: system columns, and SQL keywords that would
 * need quoting in every dialect the engine must later run on.
 */
export const RESERVED_FIELD_NAMES = new Set<string>([
  ...SYSTEM_COLUMNS,
  'select', 'from', 'where', 'group', 'order', 'by', 'limit', 'offset', 'table', 'index', 'insert',
  'update', 'delete', 'create', 'drop', 'alter', 'join', 'on', 'and', 'or', 'not', 'null', 'is',
  'in', 'as', 'case', 'when', 'then', 'else', 'end', 'default', 'primary', 'key', 'references',
  'check', 'unique', 'constraint', 'user', 'having', 'union', 'all', 'distinct', 'values', 'into',
  'set', 'column', 'row', 'rows', 'transaction', 'commit', 'rollback', 'grant', 'true', 'false',
])
