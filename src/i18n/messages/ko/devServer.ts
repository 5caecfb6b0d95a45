import type en from '../en/devServer'
import type { Translation } from '../../catalogue'

/** 한국어: devServer (개발 서버의 시작 배너, dev-server/banner.ts). 링크, 포트, 이벤트 이름과 쿼리는 그대로 둔다. */
export default {
  banner: {
    title: 'SocketLens 개발 서버',
    open: '열기: {link}',
    ws: {
      heading: '웹소켓 (ws), 포트 {port}:',
    },
    paths: {
      root: '각 메시지에 "echo message <message>"로 응답',
      echo: '바이트 그대로 에코: 텍스트는 텍스트로, 바이너리는 바이너리로',
      ticker: "JSON 시세 {'{'}symbol, price, change, time{'}'}; ?hz=10&symbols=AAPL,MSFT",
      flood: '소켓이 비워지는 대로 최대한 빨리 보내는 프레임 묶음; ?n=100000&size=100&binary=1&close=1',
      close: '열리자마자 닫음; ?code=4001&reason=bye&delay=0',
      closeAfter: '에코하다가 ms 뒤에 모든 연결을 닫음; ?ms=1500&code=1011&reason=...',
      drop: '닫기 프레임 없이 TCP 연결을 끊음; ?after=500',
      subprotocol: 'chat.v1 또는 chat.v2로 협상 (아무것도 제안하지 않으면 HTTP 400)',
      slow: '각 메시지를 잠시 뒤에 에코; ?delay=2000',
      binary: '열리면 바이너리 프레임을 보내고, 모든 메시지에 바이너리로 응답; ?count=3&size=256',
      big: '주어진 크기의 프레임 하나를 보냄; ?size=1048576&binary=1',
      reject: 'HTTP 상태 코드로 핸드셰이크를 거절; ?status=403',
      silent: 'TCP 연결을 받고 아무 응답도 하지 않음 (연결 시간 초과 테스트용)',
    },
    wss: {
      heading: '보안 웹소켓: {tls} 및 {both} (경로는 같음, 자체 서명 인증서;',
      samePort: '포트 {port}에서 ws://, wss:// 둘 다 받음 — 스터디 노트의 보안 에코 서버처럼)',
      trust: '처음 한 번 신뢰하기: 브라우저로 다음 주소를 열고 경고를 수락: {url}',
    },
    socketio: {
      heading: 'Socket.IO v4: {url}  (네임스페이스 /, /admin, /ticker, /__control)',
      rooms: '/: 방 입장 joinRoom "room", 방 퇴장 leaveRoom "room" (방에 텍스트 `message`로 알림),',
      message: "message {'{'}room, message{'}'} (스터디 노트처럼 방의 다른 사람들은 메시지만 담긴 `message`를 받음),",
      roomMessage: "{event} {'{'}room, message{'}'} (다른 사람들은 {'{'}room, message, from{'}'}을 받음; 확인 응답 {'{'}room, delivered{'}'}),",
      more: 'echo, binary, broadcast, rooms; noAck를 뺀 모든 이벤트에 확인 응답(ack)',
      admin: "/admin: 인증 auth {'{'} token: \"{token}\" {'}'}   /ticker: 구독 subscribe / 구독 해지 unsubscribe \"AAPL\"",
      cluster: '클러스터: 이 포트 하나 뒤에 노드 {count}개: {nodes}. 모든 응답에 처리한 노드가 들어 있음 (welcome.node, whoami).',
      node: '노드 {node} (pid {pid})',
      sticky: "스티키 세션 켜짐 ({'@'}socket.io/sticky); 방과 브로드캐스트는 노드를 넘나듦 ({'@'}socket.io/cluster-adapter).",
      noSticky: '스티키 세션 없음 (--no-sticky): 요청이 라운드 로빈으로 나뉘어 롱 폴링이 HTTP 400 "Session ID unknown"으로 실패함; WebSocket 전용 클라이언트는 동작함.',
    },
    polling: {
      heading: 'Socket.IO, 롱 폴링 전용: {url}',
    },
    variants: {
      heading: 'Socket.IO v4 변형 (위와 같은 네임스페이스와 이벤트):',
      msgpack: 'msgpack 파서 (socket.io-msgpack-parser): {url}',
      defaultParser: '기본 파서로 열어 불일치 보기: {link}',
      websocketOnly: '웹소켓 전송만 (롱 폴링은 HTTP 400): {url}',
      customPath: '사용자 지정 경로 {path}: {url}',
      pathInUrl: 'URL에 경로를 붙여 넣은 경우: {link}',
    },
    httpOnly: {
      heading: 'HTTP 전용 (웹소켓 없음, 모든 요청에 텍스트 페이지로 응답): {url}',
    },
    v2: {
      heading: 'Socket.IO v2 (Engine.IO 3): {url}  (/admin은 ?token={token})',
      events: "/: joinRoom, leaveRoom, message {'{'}room, message{'}'}, echo, binary, ask; noAck를 뺀 모든 이벤트에 확인 응답(ack)",
      client: '링크는 v2 클라이언트를 고름; v4로 열면 인스펙터가 불일치를 설명하고 전환을 제안함',
    },
    control: {
      heading: '제어 API: {url}  (POST {actions}; GET /status)',
      auth: '인스펙터의 요청만 따름: 헤더 Authorization: Bearer {token}',
      origins: '(시작할 때마다 새로 만듦; POST는 Content-Type: application/json), 브라우저 출처: {origins}',
      noOrigins: '없음 (Origin 헤더가 없는 클라이언트만)',
      namespace: "__control 네임스페이스: 같은 출처, 인증 auth: {'{'} token {'}'}",
    },
    inspector: '인스펙터: {url}',
    openPorts: '위의 다른 포트는 모두 어느 출처에나 응답함 (CORS 열림, 어느 페이지든 연결 가능): 그러라고 있는 포트임.',
    warning: '경고: {host}에서 수신 중: 다른 컴퓨터도 ws, wss, Socket.IO 서버에 접속할 수 있음.',
    stop: 'Ctrl-C를 누르면 개발 서버가 멈춤.',
  },
} satisfies Translation<typeof en>
