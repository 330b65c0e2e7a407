/**
 * The file commands — new, open, save, save as — as the menu, the shortcuts and the Sessions
 * view's buttons all run them: unsaved changes are asked about first; paths come from the
 * native dialog in the desktop app and from an in-page question in browser mode. A failure
 * stays in the session store's `error`, and the open session is unchanged.
 */
import { useLab } from '../api/client'
import { ask } from '../composables/useAsk'
import { useSessionStore } from '../stores/session'
import { useUiStore } from '../stores/ui'

/** A path from the native dialog, or typed in when there is none; null: the user cancelled. */
async function pickPath(
  dialog: 'dialog:open-session' | 'dialog:save-session',
  title: string,
  defaultPath: string
): Promise<string | null> {
  const lab = useLab()
  if (lab.transport === 'electron') {
    try {
      const { path } =
        dialog === 'dialog:save-session'
          ? await lab.call(dialog, defaultPath ? { defaultPath } : {})
          : await lab.call(dialog, {})
      return path
    } catch {
      // unsupported: fall through to the typed path
    }
  }
  const a = await ask({
    title,
    message: 'Type the full path of the session file (.layerscope).',
    input: {
      label: 'Session file',
      value: defaultPath,
      placeholder: '/home/me/experiments/cifar.layerscope'
    },
    buttons: [
      { id: 'cancel', label: 'Cancel' },
      { id: 'ok', label: dialog === 'dialog:save-session' ? 'Save' : 'Open', primary: true }
    ]
  })
  return a.button === 'ok' && a.value.trim() ? a.value.trim() : null
}

/** If the session has unsaved changes: save them, drop them, or stop. True: go on. */
export async function settleUnsaved(action: string): Promise<boolean> {
  const s = useSessionStore()
  if (!s.status.dirty) return true
  const a = await ask({
    title: 'Unsaved changes',
    message: `${s.title} has unsaved changes. Save them before you ${action}?`,
    buttons: [
      { id: 'cancel', label: 'Cancel' },
      { id: 'discard', label: "Don't save" },
      { id: 'save', label: 'Save', primary: true }
    ]
  })
  if (a.button === 'cancel') return false
  if (a.button === 'discard') return true
  return saveCommand()
}

export async function newCommand(): Promise<boolean> {
  if (!(await settleUnsaved('start a new session'))) return false
  const ok = await useSessionStore().newSession()
  useUiStore().show('sessions')
  return ok
}

export async function openCommand(file?: string): Promise<boolean> {
  const s = useSessionStore()
  if (!(await settleUnsaved('open another session'))) return false
  const path = file ?? (await pickPath('dialog:open-session', 'Open a session', ''))
  if (!path) return false
  useUiStore().show('sessions')
  return s.open(path)
}

export async function saveCommand(): Promise<boolean> {
  const s = useSessionStore()
  if (!s.status.file) return saveAsCommand()
  return s.save()
}

export async function saveAsCommand(): Promise<boolean> {
  const s = useSessionStore()
  const path = await pickPath('dialog:save-session', 'Save the session as', s.status.file ?? '')
  if (!path) return false
  return s.saveAs(path.endsWith('.layerscope') ? path : `${path}.layerscope`)
}

/** Ctrl/Cmd+N, O, S, Shift+S → the command it stands for, or null. */
export function shortcutCommand(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>
): 'session:new' | 'session:open' | 'session:save' | 'session:save-as' | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null
  switch (e.key.toLowerCase()) {
    case 'n':
      return e.shiftKey ? null : 'session:new'
    case 'o':
      return e.shiftKey ? null : 'session:open'
    case 's':
      return e.shiftKey ? 'session:save-as' : 'session:save'
    default:
      return null
  }
}

export function runSessionCommand(
  c: 'session:new' | 'session:open' | 'session:save' | 'session:save-as'
): Promise<boolean> {
  switch (c) {
    case 'session:new':
      return newCommand()
    case 'session:open':
      return openCommand()
    case 'session:save':
      return saveCommand()
    case 'session:save-as':
      return saveAsCommand()
  }
}
