/**
 * Native file dialogs as the service sees them: an optional provider the desktop shell passes
 * in (src-main/dialogs.ts builds it from Electron's `dialog`). Without one — browser mode, the
 * CLI, tests — every dialog call answers `unsupported`, and the renderer shows a path field.
 */
import type { DialogResult } from '../../src-shared/contract'
import { LabError } from '../../src-shared/errors'

export interface LabDialogs {
  /** A CIFAR-10 folder or .tar.gz. */
  openDataset(): Promise<string | null>
  /** A `.layerscope` session file to open. */
  openSession(): Promise<string | null>
  /** Where to save the session (`defaultPath`: the current file, if any). */
  saveSession(defaultPath?: string): Promise<string | null>
}

export async function callDialog(
  dialogs: LabDialogs | undefined,
  name: string,
  run: (d: LabDialogs) => Promise<string | null>
): Promise<DialogResult> {
  if (!dialogs)
    throw new LabError(
      'unsupported',
      `${name}: native file dialogs exist only in the desktop app; type the path instead`
    )
  return { path: await run(dialogs) }
}
