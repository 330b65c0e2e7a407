/**
 * "Save changes before closing?" for the desktop window: a dirty session is never lost to a
 * click on the close button. Pure over its dependencies, so it is tested without Electron.
 */
export interface CloseGuardDeps {
  status(): { dirty: boolean; file: string | null }
  save(): Promise<unknown>
  saveAs(file: string): Promise<unknown>
  /** 0 = Save, 1 = Don't save, 2 = Cancel. */
  ask(): Promise<number>
  /** The save dialog: a path, or null when cancelled. */
  pickFile(): Promise<string | null>
  showError(message: string): void
}

/** Resolves true when the window may close now. */
export async function confirmClose(deps: CloseGuardDeps): Promise<boolean> {
  const { dirty, file } = deps.status()
  if (!dirty) return true
  const answer = await deps.ask()
  if (answer === 1) return true
  if (answer !== 0) return false
  try {
    if (file) {
      await deps.save()
      return true
    }
    const target = await deps.pickFile()
    if (!target) return false
    await deps.saveAs(target)
    return true
  } catch (err) {
    deps.showError(err instanceof Error ? err.message : String(err))
    return false
  }
}
