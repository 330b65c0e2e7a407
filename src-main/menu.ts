/**
 * The application menu as a pure template builder: each item sends an app command to the
 * renderer, which owns the behaviour (the same commands its keyboard shortcuts run).
 */
import type { MenuItemConstructorOptions } from 'electron'
import type { AppCommand } from '../src-shared/contract'

export const VIEW_ITEMS: { command: AppCommand; label: string; key: string }[] = [
  { command: 'view:depth', label: 'Depth', key: '1' },
  { command: 'view:activations', label: 'Activations', key: '2' },
  { command: 'view:dataset', label: 'Dataset', key: '3' },
  { command: 'view:preprocessing', label: 'Preprocessing', key: '4' },
  { command: 'view:gradcheck', label: 'Gradient check', key: '5' },
  { command: 'view:sanity', label: 'Sanity checks', key: '6' },
  { command: 'view:training', label: 'Training', key: '7' },
  { command: 'view:sessions', label: 'Sessions', key: '8' },
  { command: 'view:engine', label: 'Engine', key: '9' },
  { command: 'view:lecture', label: 'Lecture', key: '0' }
]

export function buildMenuTemplate(
  send: (command: AppCommand) => void,
  platform: NodeJS.Platform
): MenuItemConstructorOptions[] {
  const item = (
    label: string,
    command: AppCommand,
    accelerator?: string
  ): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => send(command)
  })
  const mac = platform === 'darwin'
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        item('New Session', 'session:new', 'CmdOrCtrl+N'),
        item('Open Session…', 'session:open', 'CmdOrCtrl+O'),
        { type: 'separator' },
        item('Save Session', 'session:save', 'CmdOrCtrl+S'),
        item('Save Session As…', 'session:save-as', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    { role: 'editMenu' },
    {
      label: 'Run',
      submenu: [
        // Enter and Esc are handled in the page (they belong to the focused view's form);
        // the menu shows them and offers the same commands for the mouse.
        item('Run Experiment', 'job:run', 'CmdOrCtrl+Enter'),
        item('Cancel Running Job', 'job:cancel', 'CmdOrCtrl+.')
      ]
    },
    {
      label: 'View',
      submenu: [
        ...VIEW_ITEMS.map((v) => item(v.label, v.command, `CmdOrCtrl+${v.key}`)),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' }
      ]
    },
    { role: 'windowMenu' }
  ]
}
