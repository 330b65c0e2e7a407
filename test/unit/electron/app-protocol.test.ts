import { describe, expect, it, vi } from 'vitest'
import { APP_INDEX_URL, registerAppProtocol, resolveAppUrl } from '../../../src-main/app-protocol'

const root = '/opt/layerscope/out/renderer'

describe('app:// protocol', () => {
  it('maps app://layerscope/ paths to files inside the renderer folder', () => {
    expect(resolveAppUrl(APP_INDEX_URL, root)).toBe(`${root}/index.html`)
    expect(resolveAppUrl('app://layerscope/', root)).toBe(`${root}/index.html`)
    expect(resolveAppUrl('app://layerscope/assets/index-1.js', root)).toBe(
      `${root}/assets/index-1.js`
    )
  })

  it('keeps dot segments inside the folder (the URL parser resolves them first)', () => {
    expect(resolveAppUrl('app://layerscope/../main/index.js', root)).toBe(`${root}/main/index.js`)
    expect(resolveAppUrl('app://layerscope/%2e%2e/main/index.js', root)).toBe(
      `${root}/main/index.js`
    )
  })

  it('refuses other hosts, other schemes, traversal and NUL bytes', () => {
    for (const url of [
      'app://evil/index.html',
      'file:///opt/layerscope/out/renderer/index.html',
      'app://layerscope/assets/..%2f..%2f..%2fetc/passwd',
      'app://layerscope/a%00b',
      'app://layerscope/%E0%A4%A',
      'not a url'
    ]) {
      expect(resolveAppUrl(url, root), url).toBeNull()
    }
  })

  it('answers 404 for refused URLs and fetches the file for good ones', async () => {
    let handler: ((r: { url: string }) => Response | Promise<Response>) | undefined
    const fetch = vi.fn(async (u: string) => new Response(`file ${u}`))
    registerAppProtocol(
      { handle: (_s: string, h: never) => (handler = h) } as never,
      { fetch } as never,
      root
    )
    const bad = await handler!({ url: 'app://layerscope/assets/..%2f..%2f..%2fetc/passwd' })
    expect(bad.status).toBe(404)
    expect(fetch).not.toHaveBeenCalled()
    const good = await handler!({ url: 'app://layerscope/index.html' })
    expect(await good.text()).toBe(`file file://${root}/index.html`)
  })
})
