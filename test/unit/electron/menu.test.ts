import { describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { buildMenuTemplate, VIEW_ITEMS } from '../../../src-main/menu'

function find(
  items: MenuItemConstructorOptions[],
  label: string
): MenuItemConstructorOptions | undefined {
  for (const item of items) {
    if (item.label === label) return item
    if (Array.isArray(item.submenu)) {
      const hit = find(item.submenu, label)
      if (hit) return hit
    }
  }
  return undefined
}

describe('application menu', () => {
  it('wires the file shortcuts to session commands', () => {
    const send = vi.fn()
    const t = buildMenuTemplate(send, 'linux')
    const cases: [string, string, string][] = [
      ['New Session', 'CmdOrCtrl+N', 'session:new'],
      ['Open Session…', 'CmdOrCtrl+O', 'session:open'],
      ['Save Session', 'CmdOrCtrl+S', 'session:save'],
      ['Save Session As…', 'CmdOrCtrl+Shift+S', 'session:save-as']
    ]
    for (const [label, accel, command] of cases) {
      const item = find(t, label)!
      expect(item.accelerator).toBe(accel)
      ;(item.click as () => void)()
      expect(send).toHaveBeenLastCalledWith(command)
    }
  })

  it('has one item per view and the run/cancel commands', () => {
    const send = vi.fn()
    const t = buildMenuTemplate(send, 'linux')
    for (const v of VIEW_ITEMS) {
      const item = find(t, v.label)!
      ;(item.click as () => void)()
      expect(send).toHaveBeenLastCalledWith(v.command)
    }
    ;(find(t, 'Cancel Running Job')!.click as () => void)()
    expect(send).toHaveBeenLastCalledWith('job:cancel')
  })

  it('adds the app menu on macOS only', () => {
    expect(buildMenuTemplate(vi.fn(), 'darwin')[0]).toEqual({ role: 'appMenu' })
    expect(buildMenuTemplate(vi.fn(), 'linux')[0]?.label).toBe('File')
  })
})
