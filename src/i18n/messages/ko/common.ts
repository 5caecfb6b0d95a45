import type en from '../en/common'
import type { Translation } from '../../catalogue'

/** 한국어: common. */
export default {
  app: {
    name: 'SocketLens',
  },
  protocol: {
    ws: '웹소켓',
    socketio: 'Socket.IO',
  },
  action: {
    cancel: '취소',
    close: '닫기',
    dismiss: '닫기',
  },
} satisfies Translation<typeof en>
