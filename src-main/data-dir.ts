/**
 * The app's data folder (autosave, crash recovery, recent sessions) outside Electron: the same
 * folder Electron's `app.getPath('userData')` gives the desktop app, so browser mode and the
 * desktop app share recovery files and the recent list. LAYERSCOPE_DATA_DIR overrides it.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_DIR_NAME = 'layerscope'

export function appDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir()
): string {
  if (env.LAYERSCOPE_DATA_DIR) return env.LAYERSCOPE_DATA_DIR
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME)
  if (platform === 'win32')
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_DIR_NAME)
}
