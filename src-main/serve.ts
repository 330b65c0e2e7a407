/**
 * Browser mode: the same UI and the same LabService over HTTP + WebSocket.
 *
 * Bound to 127.0.0.1 unless a host is given explicitly. A random token per launch guards every
 * request: it comes as `?token=` on the first page load (the printed URL), which sets an
 * HttpOnly SameSite=Strict cookie for the page's own assets, and the WebSocket must present it
 * too. A request without the right token gets 401; a foreign Origin or Host gets 403 (so another
 * site in the user's browser, or a DNS-rebinding name, cannot drive the lab).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { LabService } from './lab/service'
import { decodeFrame, encodeFrame, WsCallFrame, type WsServerFrame } from '../src-shared/ws-frames'
import { cspHeader } from './csp'

export interface ServeOptions {
  service: LabService
  rendererDir: string
  host?: string
  port?: number
  token?: string
}

export interface RunningServer {
  url: string
  origin: string
  token: string
  port: number
  close(): Promise<void>
}

const TOKEN_COOKIE = 'layerscope_token'
/** Largest WebSocket message accepted from a page (a session file travels as a path, not bytes). */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon'
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === TOKEN_COOKIE) return v.join('=')
  }
  return undefined
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1'
  const token = opts.token ?? randomBytes(24).toString('base64url')
  let port = 0
  const allowedHosts = (): string[] => [`${host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`]
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`)

  /** null when the request may proceed, otherwise the status and reason to refuse it with. */
  function refusal(req: IncomingMessage, url: URL): [number, string] | null {
    if (!req.headers.host || !allowedHosts().includes(req.headers.host)) {
      return [403, 'unknown Host header']
    }
    const origin = req.headers.origin
    if (origin !== undefined && !allowedOrigins().includes(origin)) {
      return [403, 'foreign Origin']
    }
    if (!sameToken(url.searchParams.get('token'), token) && !sameToken(cookieToken(req), token)) {
      return [401, 'missing or wrong token: open the URL that `npm run serve` printed']
    }
    return null
  }

  const root = normalize(opts.rendererDir.endsWith(sep) ? opts.rendererDir : opts.rendererDir + sep)

  async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end()
      return
    }
    let rel: string
    try {
      rel = decodeURIComponent(url.pathname)
    } catch {
      res.writeHead(400).end('bad path')
      return
    }
    if (rel === '/' || rel === '') rel = '/index.html'
    const file = normalize(join(root, rel))
    if (!file.startsWith(root) || rel.includes('\0')) {
      res.writeHead(404).end('not found')
      return
    }
    const info = await stat(file).catch(() => null)
    if (!info || !info.isFile()) {
      res.writeHead(404).end('not found')
      return
    }
    const headers: Record<string, string | string[]> = {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': String(info.size),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Content-Security-Policy': cspHeader({ 'frame-ancestors': "'none'" })
    }
    if (sameToken(url.searchParams.get('token'), token)) {
      headers['Set-Cookie'] = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
    }
    res.writeHead(200, headers)
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    createReadStream(file).pipe(res)
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder')
    const refused = refusal(req, url)
    if (refused) {
      res.writeHead(refused[0], { 'Content-Type': 'text/plain; charset=utf-8' }).end(refused[1])
      return
    }
    serveStatic(req, res, url).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  const sockets = new Set<WebSocket>()

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://placeholder')
    const refused =
      url.pathname !== '/api'
        ? ([404, 'not found'] as [number, string])
        : req.headers.origin === undefined
          ? ([403, 'missing Origin'] as [number, string])
          : refusal(req, url)
    if (refused) {
      socket.end(
        `HTTP/1.1 ${refused[0]} ${refused[0] === 401 ? 'Unauthorized' : 'Forbidden'}\r\n\r\n`
      )
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.on('message', (data, isBinary) => {
        void handleMessage(ws, data, isBinary)
      })
    })
  })

  const send = (ws: WebSocket, frame: WsServerFrame) => ws.send(encodeFrame(frame))
  const invalid = (message: string): WsServerFrame => ({
    t: 'error',
    error: { code: 'invalid-message', message }
  })

  async function handleMessage(ws: WebSocket, data: unknown, isBinary: boolean): Promise<void> {
    let msg: unknown
    try {
      if (isBinary) throw new Error('binary')
      msg = decodeFrame(String(data))
    } catch {
      send(ws, invalid('not a JSON text message'))
      return
    }
    const m = WsCallFrame.safeParse(msg)
    if (!m.success) {
      send(ws, invalid('expected { t: "call", id, name, args }'))
      return
    }
    const envelope = await opts.service.call(m.data.name, m.data.args)
    if (ws.readyState === ws.OPEN) send(ws, { t: 'result', id: m.data.id, ...envelope })
  }

  const unsubscribe = opts.service.on((name, payload) => {
    const frame: WsServerFrame = { t: 'event', name, payload }
    const text = encodeFrame(frame)
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text)
  })

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => resolvePromise())
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    async close() {
      unsubscribe()
      for (const ws of sockets) ws.terminate()
      wss.close()
      const closed = new Promise<void>((r) => server.close(() => r()))
      // close() waits for every connection that is not idle (a request half sent, a poll on a
      // kept-alive socket): a stopping server ends them all instead of serving on.
      server.closeAllConnections()
      await closed
    }
  }
}
