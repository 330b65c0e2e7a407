import { beforeEach, describe, expect, it, vi } from 'vitest'

// Electron cannot load in plain Node: the dialog module is replaced by recording fakes.
const showOpenDialog = vi.fn()
const showSaveDialog = vi.fn()
vi.mock('electron', () => ({ dialog: { showOpenDialog, showSaveDialog } }))

const { electronDialogs } = await import('../../../src-main/dialogs')
const { LabService } = await import('../../../src-main/lab/service')
const { WORKER_SOURCE } = await import('../../helpers/service')

const win = { id: 1 } as never

beforeEach(() => {
  showOpenDialog.mockReset()
  showSaveDialog.mockReset()
})

describe('native dialogs (electron mocked)', () => {
  it('opens a dataset as a folder or an archive, attached to the window', async () => {
    showOpenDialog.mockResolvedValue({ canceled: false, filePaths: ['/data/cifar-10-batches-bin'] })
    const d = electronDialogs(() => win)
    expect(await d.openDataset()).toBe('/data/cifar-10-batches-bin')
    const [parent, opts] = showOpenDialog.mock.calls[0]!
    expect(parent).toBe(win)
    expect(opts.properties).toEqual(expect.arrayContaining(['openFile', 'openDirectory']))
  })

  it('a cancelled dialog answers null', async () => {
    showOpenDialog.mockResolvedValue({ canceled: true, filePaths: [] })
    showSaveDialog.mockResolvedValue({ canceled: true, filePath: '' })
    const d = electronDialogs(() => win)
    expect(await d.openDataset()).toBeNull()
    expect(await d.openSession()).toBeNull()
    expect(await d.saveSession()).toBeNull()
  })

  it('opens sessions filtered to .layerscope and saves with the extension added', async () => {
    showOpenDialog.mockResolvedValue({ canceled: false, filePaths: ['/s/a.layerscope'] })
    showSaveDialog.mockResolvedValue({ canceled: false, filePath: '/s/new' })
    const d = electronDialogs(() => win)
    expect(await d.openSession()).toBe('/s/a.layerscope')
    expect(showOpenDialog.mock.calls[0]![1].filters).toEqual([
      { name: 'Layerscope session', extensions: ['layerscope'] }
    ])
    expect(await d.saveSession('/s/old.layerscope')).toBe('/s/new.layerscope')
    expect(showSaveDialog.mock.calls[0]![1].defaultPath).toBe('/s/old.layerscope')
    showSaveDialog.mockResolvedValue({ canceled: false, filePath: '/s/kept.layerscope' })
    expect(await d.saveSession()).toBe('/s/kept.layerscope')
  })

  it('with no window left, shows nothing and answers null', async () => {
    const d = electronDialogs(() => null)
    expect(await d.openDataset()).toBeNull()
    expect(await d.saveSession()).toBeNull()
    expect(showOpenDialog).not.toHaveBeenCalled()
    expect(showSaveDialog).not.toHaveBeenCalled()
  })

  it('the service answers dialog calls through the provider, and `unsupported` without one', async () => {
    showSaveDialog.mockResolvedValue({ canceled: false, filePath: '/s/x.layerscope' })
    const pool = { workerFile: WORKER_SOURCE, threads: 1 }
    const withDialogs = new LabService({
      pool,
      mode: 'electron',
      version: '0',
      dialogs: electronDialogs(() => win)
    })
    const without = new LabService({ pool, mode: 'browser', version: '0' })
    try {
      expect(await withDialogs.call('dialog:save-session', {})).toEqual({
        ok: true,
        value: { path: '/s/x.layerscope' }
      })
      const r = await without.call('dialog:open-dataset', {})
      expect(r).toMatchObject({ ok: false, error: { code: 'unsupported' } })
      expect(await without.call('dialog:save-session', { defaultPath: 3 })).toMatchObject({
        ok: false,
        error: { code: 'invalid-args' }
      })
    } finally {
      await withDialogs.close()
      await without.close()
    }
  })
})
