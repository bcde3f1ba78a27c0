import { describe, expect, it } from 'vitest'
import { hrefOf, parseRoute } from '../../ui/route.ts'

describe('parseRoute for the screens of a whole module', () => {
  it('reads the board, the recycle bin and the forecast, and writes them back', () => {
    for (const screen of ['board', 'bin', 'forecast'] as const) {
      const route = parseRoute(`#/potentials/${screen}`)
      expect(route).toEqual({ screen, module: 'potentials' })
      expect(hrefOf({ screen, module: 'potentials' })).toBe(`#/potentials/${screen}`)
    }
  })

  it('still answers not-found for other words and deeper paths', () => {
    expect(parseRoute('#/potentials/boards').screen).toBe('not-found')
    expect(parseRoute('#/potentials/board/1').screen).toBe('not-found')
    expect(parseRoute('#/potentials/new')).toEqual({ screen: 'create', module: 'potentials' })
  })
})
