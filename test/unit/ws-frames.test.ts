import { describe, expect, it } from 'vitest'
import { readServerFrame, WsCallFrame } from '../../src-shared/ws-frames'

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
})
