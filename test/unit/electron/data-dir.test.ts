import { describe, expect, it } from 'vitest'
import { appDataDir } from '../../../src-main/data-dir'

describe('appDataDir (the same folder as Electron userData)', () => {
  it('follows each platform and XDG_CONFIG_HOME, and LAYERSCOPE_DATA_DIR wins', () => {
    expect(appDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/layerscope')
    expect(appDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/layerscope')
    expect(appDataDir({}, 'darwin', '/Users/u')).toBe(
      '/Users/u/Library/Application Support/layerscope'
    )
    expect(appDataDir({ APPDATA: '/c/AppData/Roaming' }, 'win32', '/c')).toBe(
      '/c/AppData/Roaming/layerscope'
    )
    expect(appDataDir({ LAYERSCOPE_DATA_DIR: '/tmp/d' }, 'linux', '/home/u')).toBe('/tmp/d')
  })
})
