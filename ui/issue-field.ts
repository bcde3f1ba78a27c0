import type { Issue } from './api-client.ts'

/** The field an issue is about: its `field`, else the first segment of its JSON pointer. */
export function fieldOfIssue(issue: Issue): string | undefined {
  if (issue.field) return issue.field
  const segment = issue.path?.split('/')[1]

  return segment === '' ? undefined : segment
}

/** The messages of the issues about one field, joined; undefined when there are none. */
export function messageFor(issues: Issue[], field: string): string | undefined {
  const mine = issues.filter((issue) => fieldOfIssue(issue) === field)

  return mine.length === 0 ? undefined : mine.map((issue) => issue.message).join('; ')
}
