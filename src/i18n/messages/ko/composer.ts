import type en from '../en/composer'
import type { Translation } from '../../catalogue'

/** 한국어: composer. 확인 응답(ack), 이벤트 기반 통신의 이벤트 이름과 인수. */
export default {
  message: '메시지',
  send: '보내기',
  panel: {
    region: '메시지 작성',
    title: '보내기',
  },
  argumentTypes: {
    auto: 'JSON / 텍스트',
    string: '문자열',
    number: '숫자',
    boolean: '불리언',
    null: 'null',
    binary: '바이너리 (hex / base64)',
  },
  ws: {
    format: '형식',
    formatLabel: '페이로드 형식',
    formats: {
      text: '텍스트',
      json: 'JSON',
      binary: '바이너리 (hex / base64)',
    },
    placeholders: {
      text: '안녕하세요',
      json: '{\'{\'}"type": "subscribe", "channel": "trades"{\'}\'}',
      binary: '48 65 6c 6c 6f   또는   base64:SGVsbG8=',
    },
    hint: 'Ctrl+Enter로 보내기',
  },
  sio: {
    eventName: '이벤트 이름',
    eventNamePlaceholder: 'message',
    namespace: '네임스페이스',
    urlNamespace: '{namespace} (URL)',
    firstArgument: '메시지 (인수 1)',
    argumentType: '인수 {n}의 타입',
    messagePlaceholder: '{\'{\'}"room": "lobby", "message": "안녕"{\'}\'}',
    argument: '인수 {n}',
    removeArgument: '인수 {n} 삭제',
    addArgument: '+ 인수 추가',
    expectAck: '확인 응답 요청',
    ackWithin: '{input} ms 안에',
    ackTimeoutLabel: '확인 응답 대기 시간 (ms)',
    volatile: 'volatile (못 보내면 버림)',
    compress: '압축',
    hint: 'Ctrl+Enter로 보내기 · JSON 텍스트는 JSON으로 보냄',
  },
  result: {
    notConnected: '연결되어 있지 않습니다. 먼저 연결을 누르세요.',
    notSent: '보내지 못했습니다.',
    waiting: '“{name}”의 확인 응답을 기다리는 중…',
    ack: '확인 응답: {args}',
    ackIn: '확인 응답 ({ms} ms): {args}',
  },
  errors: {
    badBase64: '올바른 base64가 아닙니다.',
    notHex: '바이너리는 hex 바이트(48 65 6c 6c 6f)나 base64:… 형식으로 씁니다.',
    oddHex: 'hex 바이트는 두 자리씩입니다. 한 자리가 빠졌습니다.',
    notBoolean: '"{text}"은(는) 불리언이 아닙니다. true나 false를 쓰세요.',
    notNumber: '"{text}"은(는) 숫자가 아닙니다.',
    inArgument: '인수 {n}: {problem}',
    notJson: '올바른 JSON이 아닙니다: {detail}',
    noEventName: '이벤트 이름을 입력하세요.',
  },
} satisfies Translation<typeof en>
