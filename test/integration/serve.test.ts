import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startServer, type RunningServer } from '../../src-main/serve'
import { makeTestService } from '../helpers/service'

const service = makeTestService(1)
let server: RunningServer
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ls-serve-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Layerscope</title>')
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(tmpdir(), 'outside-secret.txt'), 'secret')
  server = await startServer({ service, rendererDir: dir, port: 0 })
})
afterAll(async () => {
  await server.close()
  await service.close()
})

interface Res {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function get(path: string, headers: Record<string, string> = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        headers: { Host: `127.0.0.1:${server.port}`, ...headers }
      },
      (res) => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      }
    )
    req.on('error', reject)
    req.end()
  })
}

function ws(query: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const sock = new WebSocket(
      `ws://127.0.0.1:${server.port}/api${query}`,
      origin ? { origin } : {}
    )
    sock.once('open', () => resolve(sock))
    sock.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    sock.once('error', reject)
  })
}

describe('browser-mode server', () => {
  it('gives a 127.0.0.1 URL with a long token that is new at every launch', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/)
    const other = await startServer({ service, rendererDir: dir, port: 0 })
    expect(other.token).not.toBe(server.token)
    await other.close()
  })

  it('close() ends at once even with a request half sent (a socket that is not idle)', async () => {
    // server.close() alone waits for every busy connection: a client in the middle of a
    // request (or polling over a kept-alive socket) held a stopping server open.
    const other = await startServer({ service, rendererDir: dir, port: 0 })
    const sock = connect(other.port, '127.0.0.1')
    await new Promise<void>((r) => sock.once('connect', () => r()))
    sock.on('error', () => {})
    sock.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${other.port}\r\n`) // no blank line yet
    await new Promise((r) => setTimeout(r, 100))
    const t0 = Date.now()
    await Promise.race([
      other.close(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('close() still waiting after 3 s')), 3000)
      )
    ])
    expect(Date.now() - t0).toBeLessThan(3000)
    sock.destroy()
  })

  it('refuses every HTTP request without the token (401)', async () => {
    for (const p of ['/', '/index.html', '/assets/app.js', '/?token=wrong', '/?token=']) {
      const r = await get(p)
      expect(r.status, p).toBe(401)
      expect(r.body).not.toContain('Layerscope</title>')
    }
  })

  it('serves the page with the token, sets an HttpOnly cookie, and serves assets with it', async () => {
    const r = await get(`/?token=${server.token}`)
    expect(r.status).toBe(200)
    expect(r.body).toContain('<title>Layerscope</title>')
    expect(String(r.headers['content-security-policy'])).toContain("default-src 'none'")
    const cookie = String(r.headers['set-cookie'])
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    const asset = await get('/assets/app.js', { Cookie: `layerscope_token=${server.token}` })
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toContain('text/javascript')
  })

  it('refuses a foreign Origin and a foreign Host even with the token (403)', async () => {
    const evil = await get(`/?token=${server.token}`, { Origin: 'http://evil.example' })
    expect(evil.status).toBe(403)
    const rebound = await get(`/?token=${server.token}`, { Host: `evil.example:${server.port}` })
    expect(rebound.status).toBe(403)
  })

  it('never serves files outside the renderer folder', async () => {
    for (const p of [
      '/../outside-secret.txt',
      '/%2e%2e/outside-secret.txt',
      '/assets/..%2f..%2foutside-secret.txt'
    ]) {
      const r = await get(`${p}${p.includes('?') ? '&' : '?'}token=${server.token}`)
      expect(r.status, p).toBe(404)
      expect(r.body).not.toContain('secret')
    }
  })

  it('refuses WebSockets without the token, with a foreign Origin, or with no Origin', async () => {
    const origin = `http://127.0.0.1:${server.port}`
    await expect(ws('', origin)).rejects.toThrow('HTTP 401')
    await expect(ws('?token=nope', origin)).rejects.toThrow('HTTP 401')
    await expect(ws(`?token=${server.token}`, 'http://evil.example')).rejects.toThrow('HTTP 403')
    await expect(ws(`?token=${server.token}`)).rejects.toThrow('HTTP 403')
  })

  it('carries the contract over the WebSocket: calls, typed errors and job events', async () => {
    const sock = await ws(`?token=${server.token}`, `http://127.0.0.1:${server.port}`)
    const messages: {
      t: string
      id?: number
      ok?: boolean
      name?: string
      value?: unknown
      error?: { code: string }
    }[] = []
    sock.on('message', (d) => messages.push(JSON.parse(String(d))))
    const waitFor = async (pred: (m: (typeof messages)[number]) => boolean) => {
      for (let i = 0; i < 200; i++) {
        const m = messages.find(pred)
        if (m) return m
        await new Promise((r) => setTimeout(r, 25))
      }
      throw new Error('timed out')
    }
    sock.send(JSON.stringify({ t: 'call', id: 1, name: 'app:info', args: {} }))
    const info = await waitFor((m) => m.id === 1)
    expect(info).toMatchObject({ t: 'result', ok: true, value: { name: 'Layerscope' } })
    sock.send(
      JSON.stringify({
        t: 'call',
        id: 2,
        name: 'job:start',
        args: { kind: 'sample', config: { n: 'x' } }
      })
    )
    expect(await waitFor((m) => m.id === 2)).toMatchObject({
      ok: false,
      error: { code: 'invalid-args' }
    })
    sock.send('not json')
    expect(await waitFor((m) => m.t === 'error')).toMatchObject({
      error: { code: 'invalid-message' }
    })
    sock.send(
      JSON.stringify({
        t: 'call',
        id: 3,
        name: 'job:start',
        args: { kind: 'sample', config: { n: 1000 } }
      })
    )
    await waitFor((m) => m.id === 3 && m.ok === true)
    const done = await waitFor((m) => m.t === 'event' && m.name === 'job:done')
    expect(done).toMatchObject({ payload: { kind: 'sample', result: { n: 1000 } } })
    sock.close()
  })
})
