/**
 * Electron fuses (security checklist item 19), flipped in the packaged Electron binary:
 *   npx tsx src-main/fuses.ts PATH/TO/ELECTRON-BINARY
 * They are compile-time switches of the binary, so they are applied at packaging time, not to
 * node_modules/electron (where `electron .` must still load the unpacked app in development).
 */
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses'

export const FUSES = {
  version: FuseVersion.V1,
  // No ELECTRON_RUN_AS_NODE: the binary cannot be used as a plain Node.
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS and --inspect cannot inject code into the app.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Only the packaged, integrity-checked app.asar is loaded.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // file:// gets no extra privileges (the renderer is served from app://).
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false
} as const

export async function applyFuses(binary: string): Promise<void> {
  await flipFuses(binary, FUSES)
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const binary = process.argv[2]
  if (!binary) {
    console.error('usage: npx tsx src-main/fuses.ts PATH/TO/ELECTRON-BINARY')
    process.exit(2)
  }
  await applyFuses(binary)
  console.log(`fuses: flipped ${Object.keys(FUSES).length - 1} fuses in ${binary}`)
}
