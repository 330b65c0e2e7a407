import { describe, expect, it } from 'vitest'
import { decodeFrame, encodeFrame, readServerFrame, WsCallFrame } from '../../src-shared/ws-frames'

describe('browser-mode WebSocket frames', () => {
  it('reads the three server frames and refuses anything else', () => {
    expect(readServerFrame('{"t":"result","id":3,"ok":true,"value":{"a":1}}')).toEqual({
      t: 'result',
      id: 3,
      ok: true,
      value: { a: 1 }
    })
    expect(readServerFrame('{"t":"event","name":"job:progress","payload":{}}')).toMatchObject({
      t: 'event',
      name: 'job:progress'
    })
    expect(readServerFrame('{"t":"error","error":{"code":"x","message":"y"}}')).toMatchObject({
      t: 'error'
    })
    for (const bad of ['not json', 'null', '[]', '{"t":"result","ok":true}', '{"t":"call"}']) {
      expect(readServerFrame(bad), bad).toBeNull()
    }
  })

  it('a call frame needs t "call" and a numeric id', () => {
    expect(WsCallFrame.safeParse({ t: 'call', id: 1, name: 'app:info', args: {} }).success).toBe(
      true
    )
    expect(WsCallFrame.safeParse({ t: 'call', id: '1', name: 'app:info' }).success).toBe(false)
    expect(WsCallFrame.safeParse({ t: 'result', id: 1 }).success).toBe(false)
  })

  it('carries NaN and ±Infinity exactly; a string "NaN" stays a string', () => {
    const payload = { losses: [1, NaN, Infinity, -Infinity], title: 'NaN', x: { $n: 'NaN', y: 1 } }
    const text = encodeFrame({ t: 'event', name: 'job:done', payload })
    expect(text).not.toContain('null')
    expect(readServerFrame(text)).toEqual({ t: 'event', name: 'job:done', payload })
    expect(decodeFrame('{"$n":"-Infinity"}')).toBe(-Infinity)
  })
})
