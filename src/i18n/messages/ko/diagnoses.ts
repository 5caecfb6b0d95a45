import type en from '../en/diagnoses'
import type { Translation } from '../../catalogue'

/**
 * 한국어: diagnoses. 용어는 학습 노트를 따릅니다 (docs/i18n.md): 웹소켓, 보안 웹소켓, 롱 폴링, 자동 재연결, 확인 응답.
 * 추측인 진단(guess)은 영어처럼 단정하지 않습니다: "대개", "아마", "…일 수도 있습니다".
 */
export default {
  'invalid-url': {
    'not-a-url': {
      title: '잘못된 URL',
      explanation: '"{url}"은(는) 올바른 URL이 아닙니다.',
      nextStep: 'scheme://host:port/path 형식으로 쓰세요. 예: {example}',
    },
    'scheme': {
      title: '알 수 없는 스킴',
      explanation: '"{scheme}"은(는) {kind} 연결에 쓸 수 있는 스킴이 아닙니다.',
      nextStep: '{plain} 또는 {secure}를 쓰세요 (TLS에는 {secure}).',
    },
    'subprotocol': {
      title: '잘못된 서브프로토콜',
      explanation: '서브프로토콜 "{protocol}"은(는) {problem}: 서브프로토콜 이름은 공백, 쉼표, 따옴표가 없는 하나의 토큰이어야 합니다 (RFC 6455 §4.1).',
      nextStep: '서브프로토콜을 하나씩 따로 입력하세요. 예: "chat.v1, chat.v2"가 아니라 chat.v1과 chat.v2.',
    },
    'duplicate-subprotocol': {
      title: '중복된 서브프로토콜',
      explanation: '서브프로토콜 "{protocol}"이(가) 두 번 들어 있습니다. WebSocket API는 이를 거부합니다.',
      nextStep: '각 서브프로토콜을 한 번만 쓰세요.',
    },
    'bad-port': {
      title: '브라우저가 막는 포트',
      explanation: '브라우저는 다른 프로토콜에 속한 포트 {port}에 연결하지 않습니다 (Fetch 표준의 "bad ports" 목록).',
      nextStep: '서버를 다른 포트(예: 8080)에서 실행하세요.',
    },
    'syntax': {
      title: '잘못된 URL 또는 서브프로토콜',
      explanation: '브라우저가 URL이나 서브프로토콜을 거부했습니다: {message}',
      nextStep: 'URL(프래그먼트 없이, ws:// 또는 wss:// 스킴)과 각 서브프로토콜이 한 단어인지 확인하세요.',
    },
  },
  'mixed-content': {
    default: {
      title: '혼합 콘텐츠로 차단됨',
      explanation: '이 페이지는 https로 제공되며, 브라우저는 보안 페이지에서 localhost가 아닌 호스트로 가는 암호화되지 않은 {scheme}// 연결을 막습니다 (혼합 콘텐츠). 요청은 브라우저를 떠나지도 않았습니다.',
      nextStep: '서버가 TLS를 제공하면 {secure}를 쓰거나, SocketLens를 http로 여세요 (예: npm start로 로컬에서 실행).',
    },
  },
  'cors-polling': {
    default: {
      title: '폴링 차단됨 (CORS?)',
      explanation: '{where}(으)로 보낸 폴링 요청이 HTTP 상태 0으로 실패했습니다: 브라우저가 응답을 숨겼습니다.{answers} 대개 서버가 이 페이지의 출처(origin)를 허용하지 않는 경우(CORS)입니다. 이 Socket.IO 경로에서 아무것도 응답하지 않는다는 뜻일 수도 있습니다 (CORS 헤더 없는 404도 똑같이 보입니다){orNothing}.',
      nextStep: '서버에서 {origin}을(를) 허용하세요 — Node socket.io: {node}; python-socketio: {python}. python-socketio는 웹소켓에서도 다른 출처를 거부하므로 웹소켓만 쓴다고 피해 갈 수 없습니다. path 옵션이 서버와 같은지도 확인하세요 (Socket.IO 기본값은 /socket.io/).',
    },
    'python-origin': {
      title: '출처 거부됨 (CORS)',
      explanation: '{where}의 서버(python-engineio)가 이 페이지의 출처를 거부합니다: "{message}". python-socketio는 롱 폴링과 웹소켓 모두에서 Origin을 확인하므로 어떤 전송 방식으로도 피해 갈 수 없습니다.',
      nextStep: '서버의 cors_allowed_origins에 {origin}을(를) 추가하세요: {code} (개발 중에는 \'*\').',
    },
  },
  'nothing-listening': {
    'websocket-probed': {
      title: '듣고 있는 서버 없음',
      explanation: '{where}(으)로의 웹소켓 핸드셰이크가 실패했고, 같은 포트로 보낸 일반 HTTP 요청도 실패했습니다: 그곳에서 듣고 있는 것이 없습니다 (거부되었거나 닿을 수 없음).',
      nextStep: '서버를 시작하거나 호스트와 포트를 확인하세요.',
    },
    'polling-probed': {
      title: '듣고 있는 서버 없음',
      explanation: '{where}(으)로 보낸 폴링 요청이 HTTP 상태 0으로 실패했고, 같은 포트로 보낸 일반 HTTP 요청도 실패했습니다: 그곳에서 듣고 있는 것이 없으므로 (거부되었거나 닿을 수 없음) CORS 문제가 아닙니다.',
      nextStep: '서버를 시작하거나 호스트와 포트를 확인하세요.',
    },
    'refused': {
      title: '듣고 있는 서버 없음',
      explanation: '{where}(으)로의 연결이 거부되었습니다: 그 포트에서 듣고 있는 것이 없습니다.',
      nextStep: '서버를 시작하거나 호스트와 포트를 확인하세요.',
    },
    'dns': {
      title: '호스트를 찾을 수 없음',
      explanation: '호스트 이름 {host}이(가) 주소로 풀리지 않습니다 (DNS).',
      nextStep: '호스트 이름의 철자를 확인하세요.',
    },
    'unreachable': {
      title: '호스트에 닿을 수 없음',
      explanation: '이 컴퓨터에서 {where}에 닿을 수 없습니다.',
      nextStep: '호스트, 네트워크, 그 사이의 방화벽을 확인하세요.',
    },
    'opaque': {
      title: '듣고 있는 서버 없음?',
      explanation: '{where}(으)로의 연결이 열리기 전에 실패했습니다{after}{closed}. 대개 그 포트에서 듣고 있는 것이 없는 경우입니다. 가까운 네트워크에서는 핸드셰이크를 거부하는 서버(101 대신 HTTP 오류, 또는 잘못된 업그레이드 응답)도 똑같이 빨리 실패하며, 브라우저는 어느 쪽인지 숨깁니다.{note}',
      nextStep: '서버가 그 호스트와 포트에서 실행 중이고 이 경로에서 웹소켓을 제공하는지 확인하세요. 브라우저 콘솔(DevTools)에 정확한 이유가 나옵니다.',
    },
    'opaque-subprotocol': {
      title: '듣고 있는 서버 없음, 또는 서브프로토콜 거부?',
      explanation: '{where}(으)로의 연결이 열리기 전에 실패했습니다{after}{closed}. 대개 그 포트에서 듣고 있는 것이 없는 경우입니다. 가까운 네트워크에서는 핸드셰이크를 거부하는 서버(101 대신 HTTP 오류, 또는 잘못된 업그레이드 응답)도 똑같이 빨리 실패하며, 브라우저는 어느 쪽인지 숨깁니다.{note}',
      nextStep: '서브프로토콜 없이 한 번 연결해 보세요: 그러면 된다면 서버는 요청한 서브프로토콜을 하나도 지원하지 않습니다. 아니라면 서버가 그 호스트와 포트에서 실행 중인지 확인하세요.',
    },
    'probed': {
      title: '듣고 있는 서버 없음',
      explanation: '{where}(으)로의 연결이 열리기 전에 실패했고, {url}(으)로 보낸 일반 HTTP 요청도 실패했습니다: 그 포트에서 응답하는 것이 없거나, 이 브라우저가 닿을 수 없습니다 (방화벽, 차단된 로컬 네트워크 요청).',
      nextStep: '서버를 시작하거나 호스트와 포트를 확인하세요.',
    },
  },
  'tls-untrusted': {
    certain: {
      title: 'TLS 인증서를 신뢰할 수 없음',
      explanation: '{host}와(과)의 TLS 핸드셰이크가 실패했습니다: 서버의 인증서를 신뢰할 수 없습니다 ({message}).',
      nextStep: '이 브라우저 탭에서 {https}을(를) 한 번 열어 인증서를 수락한 뒤 다시 연결하세요. 그 페이지도 열리지 않으면 그곳에서 듣고 있는 것이 없습니다.',
    },
    likely: {
      title: 'TLS 인증서를 신뢰할 수 없음',
      explanation: '{host}(으)로의 보안 연결이 아무 응답도 받기 전에{fast} 실패했습니다. 대개 이 브라우저가 서버의 TLS 인증서를 신뢰하지 않는 경우입니다 (개발 서버처럼 자체 서명). 그곳에서 듣고 있는 것이 없다는 뜻일 수도 있습니다.{note}',
      nextStep: '이 브라우저 탭에서 {https}을(를) 한 번 열어 인증서를 수락한 뒤 다시 연결하세요. 그 페이지도 열리지 않으면 그곳에서 듣고 있는 것이 없습니다.',
    },
  },
  'local-network': {
    default: {
      title: '로컬 네트워크 접근 차단됨',
      explanation: '이 페이지({page})가 이 컴퓨터나 로컬 네트워크의 주소인 {host}에 닿으려 했습니다. Chromium은 페이지에 "로컬 네트워크 접근"을 허용할 때까지 이를 막습니다{permission}.',
      nextStep: '사이트 설정(주소 표시줄 왼쪽 아이콘)에서 로컬 네트워크 접근을 허용하거나, SocketLens를 localhost에서 여세요 (npm start).',
    },
  },
  'handshake-rejected': {
    'invalid-namespace': {
      title: '알 수 없는 네임스페이스',
      explanation: '서버에 {namespace} 네임스페이스가 없어 연결을 거부했습니다 ("Invalid namespace").',
      nextStep: 'URL 경로의 네임스페이스를 확인하세요. 기본 네임스페이스는 /입니다.',
    },
    'websocket-answers': {
      title: '웹소켓 핸드셰이크 거부됨',
      explanation: '{where}에서 무언가 HTTP에 응답하므로 서버는 실행 중이지만, Socket.IO 웹소켓 핸드셰이크를 거부했습니다. 브라우저는 이유를 숨깁니다. 대개 서버가 웹소켓에서도 이 페이지의 출처를 거부하거나(python-socketio의 기본 동작), 서버의 Socket.IO 경로가 요청한 경로와 다른 경우입니다.',
      nextStep: '{fix}',
    },
    'websocket-failed': {
      title: '웹소켓 핸드셰이크 실패',
      explanation: '{where}(으)로의 Socket.IO 웹소켓 핸드셰이크가{after} 실패했고, 브라우저는 이유를 숨깁니다: 그곳에서 듣고 있는 것이 없을 수도 있고, 서버가 핸드셰이크를 거부했을 수도 있습니다 (python-socketio는 기본적으로 웹소켓에서 다른 출처를 거부하고, 잘못된 Socket.IO 경로도 똑같이 실패합니다). SocketLens가 같은 포트에 일반 HTTP 요청을 보내 어느 쪽인지 확인합니다.',
      nextStep: '{where}에서 서버가 실행 중이라면: {fix}',
    },
    'python-no-websocket': {
      title: '핸드셰이크 거부됨: Invalid transport',
      explanation: '{where}의 서버(python-engineio, "Invalid transport" 응답으로 판단)는 웹소켓을 제공하지 않습니다: transports=[\'polling\']으로 만들어졌습니다.',
      nextStep: '롱 폴링으로 연결하거나(연결 옵션 → 전송 방식), 서버에서 웹소켓을 허용하세요.',
    },
    'python-no-polling': {
      title: '핸드셰이크 거부됨: Invalid transport',
      explanation: '{where}의 서버(python-engineio, "Invalid transport" 응답으로 판단)는 HTTP 롱 폴링을 제공하지 않습니다: transports=[\'websocket\']으로 만들어졌습니다.',
      nextStep: '웹소켓만으로 연결하거나(연결 옵션 → 자동 선택을 끄지 않았다면 SocketLens가 스스로 그렇게 합니다), 서버에서 폴링을 허용하세요.',
    },
    'python-version': {
      title: '핸드셰이크 거부됨: 지원하지 않는 프로토콜 버전',
      explanation: '{where}의 서버(python-engineio 4)는 Engine.IO 4만 쓰며, 이 클라이언트의 프로토콜 버전을 거부했습니다: "{message}".',
      nextStep: 'Socket.IO v4 클라이언트로 연결하거나(연결 옵션 → 클라이언트), Socket.IO v2 클라이언트용으로 python-socketio 4.x를 실행하세요.',
    },
    'engine-io-0': {
      title: '핸드셰이크 거부됨: {message}',
      explanation: '서버가 요청한 전송 방식을 제공하지 않습니다 ("Transport unknown").',
      nextStep: '전송 방식을 서버에 맞추세요: 폴링 전용 서버는 websocket을 거부하고, 반대도 마찬가지입니다.',
    },
    'engine-io-1': {
      title: '핸드셰이크 거부됨: {message}',
      explanation: '서버가 이 세션 id를 모릅니다 ("Session ID unknown"). 스티키 세션 없는 로드 밸런서 뒤에서 생기는 일입니다: 한 세션의 폴링 요청이 서로 다른 서버 프로세스로 갑니다.',
      nextStep: '로드 밸런서에서 스티키 세션을 켜거나, websocket 전송 방식만 쓰세요.',
    },
    'engine-io-2': {
      title: '핸드셰이크 거부됨: {message}',
      explanation: '서버가 핸드셰이크 요청 메서드를 거부했습니다 ("Bad handshake method").',
      nextStep: '프록시가 요청을 바꾸지 않는지 확인하세요. 핸드셰이크는 GET입니다.',
    },
    'engine-io-3': {
      title: '핸드셰이크 거부됨: {message}',
      explanation: '서버가 요청이 잘못되었다고 판단했습니다 ("Bad request").',
      nextStep: '경로(Socket.IO 기본값은 /socket.io/)와 쿼리 매개변수를 확인하세요.',
    },
    'engine-io-4': {
      title: '핸드셰이크 거부됨: {message}',
      explanation: '서버가 allowRequest 검사에서 연결을 거부했습니다 ("Forbidden"). 보통 Origin, 쿠키 또는 헤더 때문입니다.',
      nextStep: '이 페이지의 출처에 대한 서버의 allowRequest와 CORS 설정을 확인하세요.',
    },
    'engine-io-5': {
      title: '핸드셰이크 거부됨: {message}',
      explanation: '서버가 클라이언트보다 새로운 Engine.IO 프로토콜을 씁니다 ("Unsupported protocol version"): Socket.IO v3/v4 서버가 v2 클라이언트에 응답한 것입니다.',
      nextStep: 'Socket.IO v3/v4 클라이언트로 연결하거나, 서버에 allowEIO3: true를 설정하세요.',
    },
    'http-auth-ws': {
      title: '핸드셰이크 거부됨 (HTTP {status})',
      explanation: '{where}의 서버가 프로토콜을 전환하는 대신 HTTP {status}(으)로 핸드셰이크에 응답했습니다. 연결을 거부한 것입니다: 자격 증명을 원하거나 이 페이지의 Origin을 받아들이지 않습니다.',
      nextStep: '브라우저는 웹소켓 핸드셰이크에 헤더를 넣을 수 없습니다: 토큰을 쿼리 문자열, 서브프로토콜 또는 쿠키로 보내고, 서버가 허용하는 출처를 확인하세요.',
    },
    'http-auth': {
      title: '핸드셰이크 거부됨 (HTTP {status})',
      explanation: '{where}의 서버가 프로토콜을 전환하는 대신 HTTP {status}(으)로 핸드셰이크에 응답했습니다. 연결을 거부한 것입니다: 자격 증명을 원하거나 이 페이지의 Origin을 받아들이지 않습니다.',
      nextStep: '자격 증명(auth, query, withCredentials와 쿠키)과 서버가 허용하는 출처를 확인하세요.',
    },
    'http-404': {
      title: '핸드셰이크 거부됨 (HTTP {status})',
      explanation: '{where}의 서버가 프로토콜을 전환하는 대신 HTTP {status}(으)로 핸드셰이크에 응답했습니다. 이 경로를 처리하는 것이 없습니다.',
      nextStep: 'URL의 경로{pathOption}를 확인하세요.{hint}',
    },
    'http-gateway': {
      title: '핸드셰이크 거부됨 (HTTP {status})',
      explanation: '{where}의 서버가 프로토콜을 전환하는 대신 HTTP {status}(으)로 핸드셰이크에 응답했습니다. 프록시나 게이트웨이가 뒤의 서버에 닿지 못했거나, 서버를 쓸 수 없는 상태입니다.',
      nextStep: '서버(와 앞단의 프록시)가 실행 중인지, 그 로그를 확인하세요.',
    },
    'http-5xx': {
      title: '핸드셰이크 거부됨 (HTTP {status})',
      explanation: '{where}의 서버가 프로토콜을 전환하는 대신 HTTP {status}(으)로 핸드셰이크에 응답했습니다. 서버가 요청을 처리하다 실패했습니다.',
      nextStep: '서버(와 앞단의 프록시)가 실행 중인지, 그 로그를 확인하세요.',
    },
    'http-2xx': {
      title: '핸드셰이크 거부됨 (HTTP {status})',
      explanation: '{where}의 서버가 프로토콜을 전환하는 대신 HTTP {status}(으)로 핸드셰이크에 응답했습니다. 이 URL은 웹소켓 엔드포인트가 아니라 일반 HTTP를 제공합니다.',
      nextStep: '경로를 확인하세요.{hint}',
    },
    'http-400': {
      title: '핸드셰이크 거부됨 (HTTP {status})',
      explanation: '{where}의 서버가 프로토콜을 전환하는 대신 HTTP {status}(으)로 핸드셰이크에 응답했습니다. 이 경로에서 요청이 잘못되었거나 예상 밖이라고 판단했습니다.',
      nextStep: '경로와 서버 로그를 확인하세요.{hint}',
    },
    'http-other': {
      title: '핸드셰이크 거부됨 (HTTP {status})',
      explanation: '{where}의 서버가 프로토콜을 전환하는 대신 HTTP {status}(으)로 핸드셰이크에 응답했습니다.',
      nextStep: '경로와 서버 로그를 확인하세요.{hint}',
    },
    'slow': {
      title: '핸드셰이크 거부됨?',
      explanation: '{where}의 서버가 {ms} ms 뒤에 핸드셰이크에 실패했습니다{closed}: 아마 프로토콜을 전환하는 대신 HTTP 오류(403, 400, 404)로 응답했을 것입니다. 브라우저는 상태 코드를 숨깁니다.{note}',
      nextStep: '경로, 서버가 받아들이는 Origin, 서버가 기대하는 토큰을 확인하세요. 브라우저 콘솔(DevTools)에 상태 코드가 나옵니다.',
    },
    'slow-subprotocol': {
      title: '핸드셰이크 거부됨, 또는 서브프로토콜 거부?',
      explanation: '{where}의 서버가 {ms} ms 뒤에 핸드셰이크에 실패했습니다{closed}: 아마 프로토콜을 전환하는 대신 HTTP 오류(403, 400, 404)로 응답했을 것입니다. 브라우저는 상태 코드를 숨깁니다.{note}',
      nextStep: '경로, 서버가 받아들이는 Origin, 서버가 기대하는 토큰을 확인하세요. 브라우저 콘솔(DevTools)에 상태 코드가 나옵니다.',
    },
  },
  'subprotocol-mismatch': {
    default: {
      title: '서브프로토콜 불일치',
      explanation: '{asked}을(를) 요청했는데 서버가 {answered}(으)로 응답해 핸드셰이크가 실패했습니다 (RFC 6455 §4.1: 클라이언트는 요청하지 않은 서브프로토콜의 핸드셰이크를 실패시켜야 합니다).',
      nextStep: '서버가 지원하는 서브프로토콜을 쓰거나, 서브프로토콜 없이 연결하세요.',
    },
    unrequested: {
      title: '서브프로토콜 불일치',
      explanation: '서버가 클라이언트가 요청하지 않은 서브프로토콜로 응답해 핸드셰이크가 실패했습니다 (RFC 6455 §4.1).',
      nextStep: '서버가 지원하는 서브프로토콜을 쓰거나, 서브프로토콜 없이 연결하세요.',
    },
  },
  'socketio-v2-server': {
    certain: {
      title: 'Socket.IO v2 서버',
      explanation: '서버가 Socket.IO v2(Engine.IO 프로토콜 3)를 씁니다. Socket.IO v3/v4 클라이언트는 이 서버와 통신할 수 없습니다.',
      nextStep: 'SocketLens의 Socket.IO v2 클라이언트로 전환하거나(이 설명 옆의 버튼, 또는 연결 옵션 → 클라이언트), 서버를 Socket.IO v3 이상으로 올리세요.',
    },
    unparsable: {
      title: 'Socket.IO v2 서버',
      explanation: '서버가 Socket.IO v4 클라이언트가 해석할 수 없는 패킷으로 응답했습니다 ("server error"). v4 클라이언트에게 Socket.IO v2 서버(Engine.IO 프로토콜 3)는 이렇게 보입니다.',
      nextStep: 'SocketLens의 Socket.IO v2 클라이언트로 전환하거나(이 설명 옆의 버튼, 또는 연결 옵션 → 클라이언트), 서버를 Socket.IO v3 이상으로 올리세요.',
    },
  },
  'parser-mismatch': {
    default: {
      title: '파서 불일치',
      explanation: '서버가 Engine.IO 핸드셰이크에 응답한 뒤, connect나 connect_error 없이 전송 연결이 {times}닫혔습니다: 서버가 클라이언트의 CONNECT 패킷을 읽지 못한 것입니다. 양쪽이 서로 다른 Socket.IO 파서를 쓸 때 이렇게 됩니다: 이 세션은 {used}를 썼고, 서버는 아마 {other}를 쓸 것입니다. 같은 파서로 다시 시도하면 같은 일이 되풀이될 뿐입니다.',
      nextStep: '{otherShort} 파서로 다시 시도하세요 (이 설명 옆의 버튼, 또는 연결 옵션 → 파서). 그래도 똑같이 실패하면 서버가 Socket.IO의 connect 전에 연결을 닫는 것입니다: 서버 로그를 확인하세요.',
    },
    malformed: {
      title: '서버가 보낸 잘못된 패킷',
      explanation: '서버가 Socket.IO 클라이언트가 해독할 수 없는 패킷(깨진 JSON, 알 수 없는 패킷 유형, 또는 다른 파서의 인코딩)을 보내 클라이언트가 연결을 닫았습니다 ("parse error").',
      nextStep: '연결이 끊기기 직전에 들어온 마지막 wire 프레임을 보세요: 그것을 쓰는 서버 코드를 고치거나, 양쪽에서 같은 파서를 쓰세요 (SocketLens는 기본 파서를 씁니다).',
    },
  },
  'auth-rejected': {
    default: {
      title: '서버 미들웨어가 거부함',
      explanation: '서버의 {namespace} 네임스페이스까지 닿았지만 미들웨어가 연결을 거부했습니다: "{message}"{data}.',
      nextStep: '미들웨어가 기대하는 auth 페이로드(예: auth.token), 쿼리, 쿠키를 확인한 뒤 다시 연결하세요.',
    },
  },
  'ping-timeout': {
    default: {
      title: '하트비트 끊김',
      explanation: 'pingInterval + pingTimeout 안에 하트비트가 오지 않아 클라이언트가 연결을 포기했습니다: 서버가 멈췄거나 과부하 상태이거나, 네트워크가 연결을 닫지 않은 채 끊겼거나, 프록시가 스트림을 버퍼링하고 있습니다.',
      nextStep: '서버가 응답하는지, 웹소켓이나 폴링 응답을 버퍼링하는 프록시가 없는지 확인하세요. 느린 회선이라면 서버의 pingTimeout을 늘리세요.',
    },
  },
  'connect-timeout': {
    default: {
      title: '핸드셰이크에 응답 없음',
      explanation: '{kind} 핸드셰이크에{after} 아무것도 응답하지 않았습니다: 서버가 TCP 연결은 받았지만 답하지 않았거나, 방화벽이 패킷을 조용히 버리거나, 프록시가 요청을 붙잡고 있습니다.',
      nextStep: '호스트, 포트, 경로와 서버가 이 엔드포인트를 처리하는지 확인하세요. 아주 느린 서버라면 연결 제한 시간을 늘리세요.',
    },
  },
  'short-lived': {
    drops: {
      title: '모든 연결이 약 {about} 뒤에 끊김',
      explanation: '{where}(으)로의 모든 연결이 서버의 닫기 없이 약 {about} 뒤에 끊깁니다 ({times}번 연속){how}. 매번 열렸으므로 주소와 핸드셰이크는 문제없습니다. 서버 프로세스가 연결을 처리하다 실패하거나, 중간의 프록시가 끊는 것일 수 있습니다. 재연결 시도는 매번 더 오래 기다리며 연결 옵션에서 정한 한도에서 멈춥니다.',
      nextStep: '닫힌 시점의 서버 로그를 확인하세요. 서버가 첫 메시지(토큰, 구독)를 기대한다면 연결 직후 보내고, 유휴 연결을 닫는다면 서버가 원하는 하트비트를 찾으세요.',
    },
    closes: {
      title: '서버가 모든 연결을 약 {about} 뒤에 닫음',
      explanation: '{where}의 서버가 모든 연결을 약 {about} 뒤에 닫습니다 ({times}번 연속){how}. 매번 열렸으므로 주소와 핸드셰이크는 문제없습니다. 그 뒤의 무언가가 서버로 하여금 연결을 닫게 합니다: 유휴 또는 인증 제한 시간, 서버가 기대하는 첫 메시지(토큰, 구독), 또는 핸들러의 오류. 재연결 시도는 매번 더 오래 기다리며 연결 옵션에서 정한 한도에서 멈춥니다.',
      nextStep: '닫힌 시점의 서버 로그를 확인하세요. 서버가 첫 메시지(토큰, 구독)를 기대한다면 연결 직후 보내고, 유휴 연결을 닫는다면 서버가 원하는 하트비트를 찾으세요.',
    },
  },
  'socketio-server': {
    default: {
      title: '이것은 Socket.IO 서버입니다',
      explanation: '{where}이(가) /socket.io/에서 Socket.IO 폴링 핸드셰이크(Engine.IO {eio})에 응답했으므로 그곳에서 Socket.IO 서버가 실행 중입니다. Socket.IO는 웹소켓 위에서 자체 경로로 자체 프로토콜을 쓰므로, {path}(으)로의 순수 웹소켓 연결은 거부됩니다.',
      nextStep: '세션을 Socket.IO로 전환하세요: 호스트, 포트, 이 타임라인은 그대로 남습니다.',
    },
  },
  'not-websocket': {
    subprotocol: {
      title: '서브프로토콜 거부, 또는 이 경로에 웹소켓이 없음?',
      explanation: '{answered} {asked}을(를) 요청했습니다: 그중 어느 것도 지원하지 않는 서버는 이 경로에 웹소켓 엔드포인트가 없는 서버와 똑같이 핸드셰이크에 실패하며, 브라우저는 어느 쪽인지 숨깁니다.',
      nextStep: '서브프로토콜 없이 한 번 연결해 보세요: 그러면 된다면 서버는 요청한 서브프로토콜을 하나도 지원하지 않습니다. 아니라면 서버 코드나 문서에서 웹소켓 경로를 확인하세요.',
    },
    default: {
      title: '여기서 HTTP는 응답하지만 이 경로에 웹소켓은 없음',
      explanation: '{answered} 대개 그곳에서는 HTTP만 제공하거나, 웹소켓 엔드포인트가 다른 경로에 있는 경우입니다. 이 페이지의 Origin을 거부하거나 토큰을 원하는 것일 수도 있습니다. 브라우저는 핸드셰이크에 대한 응답을 숨깁니다.',
      nextStep: '서버 코드나 문서에서 웹소켓 경로(/ws, /socket, /api/...)를 확인하세요. 탭에서 {url}을(를) 열면 무엇이 응답하는지 보이고, 브라우저 콘솔(DevTools)에 핸드셰이크의 HTTP 상태가 나옵니다.',
    },
  },
  'server-gone': {
    refused: {
      title: '서버가 사라짐 (연결 거부)',
      explanation: '세션은 {ago} 전까지 같은 페이지에서 {where}에 연결되어 있었습니다{up}. 그러니 서버는 그때 이 페이지의 출처를 받아들였고, CORS 문제가 아닙니다.{found}',
      nextStep: '서버를 다시 시작하세요: SocketLens는 점점 긴 간격으로 자동 재연결을 계속하며, 서버가 돌아오면 스스로 연결합니다.',
    },
    default: {
      title: '서버가 사라짐',
      explanation: '세션은 {ago} 전까지 같은 페이지에서 {where}에 연결되어 있었습니다{up}. 그러니 서버는 그때 이 페이지의 출처를 받아들였고, CORS 문제가 아닙니다.{found}',
      nextStep: '서버를 다시 시작하세요: SocketLens는 점점 긴 간격으로 자동 재연결을 계속하며, 서버가 돌아오면 스스로 연결합니다.',
    },
    lost: {
      title: '연결 끊김',
      explanation: '{where}(으)로의 연결이{up} 서버의 disconnect 없이 끝났습니다 ("{reason}"): 서버가 멈췄거나 다시 시작했거나, 그 사이의 네트워크가 끊겼습니다.',
      nextStep: 'SocketLens는 점점 긴 간격으로 자동 재연결합니다. 돌아오지 않으면 서버가 실행 중인지, 그 로그를 확인하세요.',
    },
  },
  'socketio-path': {
    default: {
      title: '경로 {path}에서 Socket.IO 서버를 찾음',
      explanation: '{used}에서는 Socket.IO가 응답하지 않지만, {path}/에서 Engine.IO 서버가 핸드셰이크에 응답했습니다: URL의 경로({namespace})는 네임스페이스가 아니라 서버의 Socket.IO 경로입니다.',
      nextStep: '경로 {path}로 {url}에 연결하세요 (연결 옵션 → 경로).',
    },
  },
  'session-unknown': {
    'cluster': {
      title: '한 세션의 요청이 서로 다른 서버 노드에 도착함',
      explanation: '{where}와의 핸드셰이크는 성공해 세션 ID {sid}를 받았지만, {after} 뒤 그 ID로 보낸 요청이 HTTP 400 "Session ID unknown"을 받았고, 이런 일이 세션 {count}개에서 연달아 일어났습니다: 요청마다 로드 밸런서가 고른 서버 노드(프로세스)에 도착하는데, 세션을 아는 것은 핸드셰이크를 처리한 노드뿐입니다.',
      nextStep: "스티키 세션을 켜세요 (Node 클러스터에서는 {'@'}socket.io/sticky, nginx 등 로드 밸런서에서는 ip_hash나 쿠키). 또는 WebSocket만 쓰세요 (연결 옵션 → 전송 방식: websocket): 연결 하나가 노드 하나에 머뭅니다.",
    },
    'cluster-likely': {
      title: '한 세션의 요청이 서로 다른 서버 노드에 도착한 것으로 보임',
      explanation: '{where}와의 핸드셰이크는 성공해 세션 ID {sid}를 받았지만, 세션이 제대로 시작되기도 전인 {after} 뒤 그 ID로 보낸 요청이 HTTP 400 "Session ID unknown"을 받았습니다. 스티키 세션 없이 한 주소 뒤에 서버 노드가 여럿 있으면 바로 이렇게 됩니다. 바로 그 순간 서버가 재시작해도 똑같아 보입니다: 다음 시도에서 구별됩니다. 재시작한 서버는 새 세션을 유지하기 때문입니다.',
      nextStep: "스티키 세션을 켜세요 (Node 클러스터에서는 {'@'}socket.io/sticky, nginx 등 로드 밸런서에서는 ip_hash나 쿠키). 또는 WebSocket만 쓰세요 (연결 옵션 → 전송 방식: websocket): 연결 하나가 노드 하나에 머뭅니다.",
    },
    'restart': {
      title: '서버가 이 세션을 더 이상 모름',
      explanation: '세션 {sid}는 {where}와 {after} 동안 잘 동작했는데 (프레임 {frames}개 수신), 그 뒤 요청이 HTTP 400 "Session ID unknown"을 받았습니다: 서버에 이제 그 세션이 없습니다. 서버가 재시작했을 가능성이 가장 큽니다 (세션은 메모리에 있음). 하트비트를 놓쳐 (백그라운드에서 잠든 탭) 서버가 세션을 닫았거나, 세션을 가진 노드가 사라졌을 수도 있습니다. 한 세션의 요청이 서로 다른 노드에 도착했다면 {after} 뒤가 아니라 곧바로 실패했을 것입니다.',
      nextStep: 'SocketLens가 새 세션으로 다시 연결합니다. 서버가 계속 실행 중인데도 반복된다면, 스티키 세션 없는 서버 노드가 여럿 있는지 확인하세요.',
    },
  },
  'unknown': {
    'security-error': {
      title: '브라우저가 거부함',
      explanation: '브라우저가 이 연결을 열기를 거부했습니다 (SecurityError: {message}). 페이지의 Content-Security-Policy(connect-src)가 이 호스트를 금지하거나, 포트가 막혀 있을 수 있습니다.',
      nextStep: '브라우저 콘솔에서 정확한 이유를 보고, 직접 관리하는 페이지에서 엔드포인트를 시도해 보세요 (npm start).',
    },
    'closed': {
      title: '닫힘: {name}',
      explanation: '연결이 열렸다가 {code}(으)로 닫혔습니다. {meaning}{said}',
      nextStep: '서버가 왜 연결을 닫았는지 서버 로그를 확인하세요.',
    },
    'closed-1006': {
      title: '닫힘: {name}',
      explanation: '연결이 열렸다가 {code}(으)로 닫혔습니다. {meaning}{said}',
      nextStep: '서버가 아직 실행 중인지, 그 사이의 네트워크를 확인하세요. 자동 재연결이 켜져 있으면 드라이버가 다시 연결합니다.',
    },
    'failed': {
      title: '연결 실패',
      explanation: '{where}(으)로의 연결이 실패했습니다.',
      nextStep: 'URL과 서버가 실행 중인지 확인하세요. 브라우저 콘솔(DevTools)에 더 많은 정보가 있을 수 있습니다.',
    },
    'failed-said': {
      title: '연결 실패',
      explanation: '{where}(으)로의 연결이 실패했습니다: {said}',
      nextStep: 'URL과 서버가 실행 중인지 확인하세요. 브라우저 콘솔(DevTools)에 더 많은 정보가 있을 수 있습니다.',
    },
    'connection-error': {
      title: '연결 오류',
      explanation: '연결이 열린 뒤에 실패했습니다.',
      nextStep: '뒤따르는 close 이벤트를 보세요.',
    },
    'invalid-close': {
      title: '잘못된 닫기',
      explanation: '닫기가 거부되었습니다: {message}. 클라이언트는 1000 또는 3000–4999 코드와 최대 123바이트의 이유로만 닫을 수 있습니다 (WHATWG WebSockets, close()).',
      nextStep: '코드 1000이나 3000–4999 중 하나와 더 짧은 이유를 쓰세요.',
    },
    'load-failed': {
      title: '클라이언트를 불러올 수 없음',
      explanation: 'SocketLens가 전환에 필요한 것을 불러오지 못했습니다 ({message}). 페이지를 새로 고친 뒤 다시 연결하세요.',
      nextStep: '페이지를 새로 고친 뒤 다시 연결하세요.',
    },
  },
  heading: {
    closed: '닫힘: {name}',
    serverDisconnect: '서버가 연결을 끊음',
    disconnected: '연결 끊김: {reason}',
    disconnectedUnknown: '연결 끊김: 알 수 없는 이유',
    connectTimeout: '핸드셰이크에 응답 없음',
    gaveUp: '재연결 포기',
    failed: '연결 실패',
  },
  banner: {
    region: '진단',
    guess: '추측',
    guessHint: '증거가 여러 원인에 들어맞습니다: 아래에서 확인하세요',
    show: '타임라인에서 보기',
    showHint: '타임라인에서 이 이벤트를 선택하고 자세한 내용을 보여 줍니다',
    dropped: '버퍼 한도 때문에 이 이벤트가 타임라인에서 빠졌습니다',
    dismiss: '닫기',
    dismissHint: '다음 연결 시도까지 숨깁니다',
    imported: '가져온 파일 {file}의 진단이며 실시간 진단이 아닙니다: 문구는 파일의 것입니다.',
    importedUnnamed: '가져온 파일의 진단이며 실시간 진단이 아닙니다: 문구는 파일의 것입니다.',
    nextStep: '다음 단계:',
    why: '이렇게 판단한 근거',
    fact: {
      closeCode: 'close code {code} ({name})',
      reason: '이유 "{reason}"',
      httpStatus: 'HTTP 상태 {status}',
      namespace: '네임스페이스 {namespace}',
      repeats: '같은 식으로 연속 {count}번 실패',
      gaveUp: '재연결을 {count}번 시도한 뒤 포기',
      notReconnecting: '다시 연결하지 않음',
    },
  },
  evidence: {
    error: '{name}: {message}',
    errorName: '{name}',
    httpHidden: '{transport} 요청의 HTTP 상태 0 (브라우저가 응답을 숨김)',
    httpHiddenAny: '요청의 HTTP 상태 0 (브라우저가 응답을 숨김)',
    httpStatus: '{transport} 요청의 HTTP {status}',
    httpStatusAny: '요청의 HTTP {status}',
    body: '응답 본문: "{body}"',
    connectError: 'connect_error "{message}"',
    errorData: '오류 데이터 {data}',
    disconnectReason: '연결 끊김 이유 "{reason}"',
    closeCode: 'close code {code} ({name}){unclean}',
    unclean: ', 정상적인 닫기 아님',
    closeReason: '닫기 이유 "{reason}"',
    opened: '연결이 열렸었음',
    neverOpened: '연결이 한 번도 열리지 않음',
    failedAfter: '시도 시작 {ms} ms 뒤에 실패',
    transportCloses: 'connect나 connect_error 없이 전송 연결이 연속 {closes}번 닫힘',
    subprotocolsAsked: '요청한 서브프로토콜: {protocols}',
    subprotocolAnswered: '응답한 서브프로토콜: {protocol}',
    subprotocolAnsweredNone: '응답한 서브프로토콜: 없음',
    localNetwork: '로컬 네트워크 권한: {permission}',
    page: '이 페이지: {origin}',
    wasOpen: '이번 닫기 전 {duration} 동안 열려 있었음',
    openEarlier: '이번 실행에서 세션이 앞서 열려 있었음 ({duration} 동안, 이번 실패 {ago} 전까지)',
    shortLived: '연속 {times}번, 열린 지 {within} 안에 닫힘',
    sameFailure: '같은 실패가 연속 {times}번',
    lastHandshake: '마지막 핸드셰이크: {name}{eio}{upgrades}',
    anEngineIoServer: 'Engine.IO 서버',
    engineIoVersion: ', Engine.IO {eio}',
    upgrades: ', 업그레이드: {upgrades}',
    none: '없음',
    engineHandshakeAnswered: '서버가 Engine.IO 핸드셰이크에 응답함',
    connectWrittenWith: 'CONNECT 패킷은 {parser}로 작성됨',
    pythonAnswer: '"{message}"은(는) python-engineio의 응답 (python-socketio)',
    handshakeThenUnknown: '핸드셰이크 성공 (sid {sid}); {after} 뒤 그 sid로 보낸 요청이 HTTP 400 "Session ID unknown"을 받음',
    framesAfterHandshake: '핸드셰이크 뒤 이 세션으로 받은 프레임: {frames}개',
    unknownSidStreak: '세션 {count}개가 연달아: 핸드셰이크 성공, 그 뒤 "Session ID unknown"',
  },
  fragment: {
    kind: {
      ws: '웹소켓',
      socketio: 'Socket.IO',
    },
    subprotocolSpace: '허용되지 않는 공백을 포함합니다',
    subprotocolEmpty: '비어 있어 허용되지 않습니다',
    subprotocolCharacter: '허용되지 않는 문자를 포함합니다',
    withinMs: ' ({ms} ms 안에)',
    afterMs: ' ({ms} ms 만에)',
    withData: ' (데이터 {data})',
    closedTimes: '{closes}번 ',
    parser: {
      default: '기본 파서(socket.io-parser, JSON)',
      msgpack: 'msgpack 파서(socket.io-msgpack-parser)',
    },
    parserShort: {
      default: '기본',
      msgpack: 'msgpack',
    },
    forDuration: ' ({duration} 동안)',
    afterDuration: ' {duration} 뒤',
    serverGone: {
      refused: ' 이제 연결이 거부됩니다: 그 포트에서 듣고 있는 것이 없으니 서버가 멈춘 것입니다.',
      answers: ' 그 포트에서 무언가 HTTP에 응답하지만 아직 이 경로의 Socket.IO는 아닙니다: 서버가 다시 시작하는 중이거나, 프록시가 대신 응답하고 있습니다.',
      timeout: ' 그 포트에서 몇 초 안에 아무것도 응답하지 않습니다: 호스트나 그 사이의 네트워크가 내려갔습니다.',
      unknown: ' 서버가 멈췄거나 다시 시작했거나, 그 사이의 네트워크가 끊겼습니다.',
    },
    thisOrigin: '이 페이지의 출처',
    corsFix: '서버에서 {origin}을(를) 허용하세요 — python-socketio: {python}; Node socket.io: {node}와 그 allowRequest — 그리고 path 옵션을 확인하세요 (Socket.IO 기본값은 /socket.io/).',
    publicPage: '공개 페이지',
    permissionDenied: '. 그리고 권한이 거부되어 있습니다',
    permissionPrompt: '. 그리고 아직 권한이 주어지지 않았습니다',
    permissionUnknown: '. 그곳에서 듣고 있는 것이 없다는 뜻일 수도 있습니다',
    somethingAnswers: ' 그 포트에서 무언가 HTTP에 응답하므로 서버는 실행 중입니다.',
    orNothingListening: '. 그곳에서 듣고 있는 것이 없다는 뜻일 수도 있습니다',
    socketIoHint: ' Socket.IO 서버라면 순수 웹소켓 대신 Socket.IO 유형으로 연결하세요.',
    pathOption: '와 path 옵션(Socket.IO 기본값은 /socket.io/)',
    askedFor: '서브프로토콜 {protocols}',
    none: '없음',
    httpsForm: 'URL의 https:// 형태',
    certificateError: '인증서 오류',
    close1006: ' (close 1006)',
    protocolsNote: ' {asked}도 요청했습니다: 그중 어느 것으로도 응답하지 않는 서버는 똑같이 핸드셰이크에 실패합니다.',
    withCode: ', {code} ({name}){reason}',
    andReason: ', 이유 "{reason}"',
    quotedReason: ', "{reason}"',
    httpAnswered: '{url}(으)로 보낸 일반 HTTP 요청이 응답을 받았으므로 {where}에서 서버가 듣고 있지만, {path}에서 웹소켓 핸드셰이크를 받아들이지 않았습니다.',
    reasonGiven: ' 주어진 이유: "{reason}".',
  },
  code: {
    pythonCors: 'socketio.AsyncServer(cors_allowed_origins=[\'{origin}\'])',
    nodeCors: 'new Server({\'{\'} cors: {\'{\'} origin: [\'{origin}\'] {\'}\'} {\'}\'})',
  },
} satisfies Translation<typeof en>
