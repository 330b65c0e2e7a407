import { describe, expect, it, vi } from 'vitest'
import { confirmClose, type CloseGuardDeps } from '../../../src-main/close-guard'

function deps(
  over: Partial<CloseGuardDeps> & { dirty?: boolean; file?: string | null }
): CloseGuardDeps {
  return {
    status: () => ({
      dirty: over.dirty ?? true,
      file: over.file === undefined ? '/s.layerscope' : over.file
    }),
    save: over.save ?? vi.fn(async () => undefined),
    saveAs: over.saveAs ?? vi.fn(async () => undefined),
    ask: over.ask ?? vi.fn(async () => 0),
    pickFile: over.pickFile ?? vi.fn(async () => '/new.layerscope'),
    showError: over.showError ?? vi.fn()
  }
}

describe('confirmClose', () => {
  it('closes at once when nothing is unsaved, without asking', async () => {
    const d = deps({ dirty: false })
    expect(await confirmClose(d)).toBe(true)
    expect(d.ask).not.toHaveBeenCalled()
  })
  it('Save writes the open file, then closes', async () => {
    const d = deps({})
    expect(await confirmClose(d)).toBe(true)
    expect(d.save).toHaveBeenCalled()
  })
  it('Save on a never-saved session asks where; cancelling that keeps the window', async () => {
    const d = deps({ file: null, pickFile: vi.fn(async () => null) })
    expect(await confirmClose(d)).toBe(false)
    const e = deps({ file: null })
    expect(await confirmClose(e)).toBe(true)
    expect(e.saveAs).toHaveBeenCalledWith('/new.layerscope')
  })
  it("Don't Save closes; Cancel keeps the window", async () => {
    expect(await confirmClose(deps({ ask: async () => 1 }))).toBe(true)
    expect(await confirmClose(deps({ ask: async () => 2 }))).toBe(false)
  })
  it('a failed save shows the error and keeps the window (nothing lost)', async () => {
    const showError = vi.fn()
    const d = deps({ save: async () => Promise.reject(new Error('the disk is full')), showError })
    expect(await confirmClose(d)).toBe(false)
    expect(showError).toHaveBeenCalledWith('the disk is full')
  })
})
