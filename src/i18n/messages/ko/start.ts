import type en from '../en/start'
import type { Translation } from '../../catalogue'

/** 한국어: start. 미리 만든 세션 설명은 학습 노트(../shared/seeds/)의 내용을 바탕으로 썼습니다. */
export default {
  here: {
    title: '여기서 시작',
    intro: '버튼을 누르면 함께 들어 있는 개발 서버에 세션을 열고 연결합니다. 하나를 골라 타임라인을 보세요.',
    close: '닫기',
    checking: '개발 서버를 찾는 중…',
    running: '개발 서버가 실행 중입니다.',
    runningPorts: '개발 서버가 기본 포트에서 응답합니다.',
    absent: '개발 서버가 실행 중이 아닙니다. SocketLens 폴더의 터미널에서 {start}(인스펙터와 개발 서버) 또는 {devServer}(개발 서버만)를 실행한 뒤 다시 확인하세요.',
    retry: '다시 확인',
    trust: '인증서를 한 번 신뢰해 주세요: {link}를 열고 경고를 허용하세요.',
    opening: '{name} 여는 중…',
    noControl: '제어 토큰이 없습니다({start}로 시작하면 생깁니다). 대신 원시 웹소켓 경로 /drop을 써서 2초마다 연결을 끊습니다.',
  },
  presets: {
    wsEcho: {
      name: '웹소켓 에코',
      lines: '암호화하지 않는 ws:// 웹소켓입니다. HTTP 핸드셰이크 한 번 뒤로 연결이 계속 열려 있어, 메시지마다 새 요청 없이 양쪽이 언제든 보낼 수 있습니다. 서버는 학습 노트의 서버처럼 “hi”에 “echo message hi”로 답합니다.',
    },
    wssEcho: {
      name: '보안 웹소켓 에코',
      lines: '같은 에코를 보안 웹소켓(wss://)으로 합니다. TLS가 모든 프레임을 암호화하므로 중간에서 읽거나 바꿀 수 없습니다. 브라우저는 신뢰하는 인증서를 가진 서버에만 연결하는데, 개발 서버의 인증서는 자체 서명이라 한 번 허용하기 전까지는 close code 1006으로만 실패합니다.',
    },
    rooms: {
      name: 'Socket.IO 방',
      lines: 'Socket.IO는 웹소켓 위에 이벤트 기반 통신, 방, 확인 응답, 자동 재연결을 더합니다. 두 세션이 같은 방에 입장합니다. 첫 세션에서 보내기를 누르고 두 번째 탭을 열면, 메시지는 보낸 쪽이 아니라 그쪽에 도착해 있습니다.',
    },
    polling: {
      name: '롱 폴링만',
      lines: 'Socket.IO는 모든 연결을 HTTP 롱 폴링으로 시작합니다. 클라이언트가 요청하면 서버는 보낼 것이 생길 때까지 요청을 붙잡고 있다가 응답하고, 클라이언트는 다시 요청합니다. 보통은 곧 웹소켓으로 업그레이드하지만, 이 서버는 업그레이드를 제안하지 않아 모든 것이 폴링으로 오갑니다.',
    },
    reconnect: {
      name: '재연결 데모',
      lines: 'Socket.IO는 연결이 끊기면 스스로 다시 연결합니다(자동 재연결). 세션이 열리면 개발 서버의 제어 API가 서버를 {seconds}초 동안 멈춥니다(개발 서버의 모든 연결이 끊깁니다). 연결 해제, 점점 길어지는 재연결 시도, 연결 복구를 지켜보세요.',
    },
    ticker: {
      name: '시세 스트림',
      lines: '요청하지 않아도 서버가 밀어 주는 스트림입니다. 웹소켓 하나로 초당 두 번 JSON 시세가 옵니다. 주식 시세, 게임, 채팅 같은 실시간 데이터에 웹소켓이 가장 잘 맞습니다. 흐르는 동안 타임라인을 일시 정지하거나 처리량 차트를 열어 보세요.',
    },
    socketioV2: {
      name: 'Socket.IO v2',
      lines: '예전 Socket.IO v2 서버(Engine.IO 3)입니다. 지금의 클라이언트는 이 핸드셰이크를 알아듣지 못하므로 이 세션은 v2 클라이언트를 씁니다. 클라이언트 버전이 자동이면 SocketLens가 이런 서버를 알아채고 스스로 바꿉니다.',
    },
  },
  help: {
    menu: '도움말',
    startHere: '여기서 시작',
    shortcuts: '키보드 단축키',
  },
  shortcuts: {
    title: '키보드 단축키',
    intro: '한 글자 키는 텍스트 입력란에 포커스가 없을 때 동작합니다.',
    close: '닫기',
    key: '키',
    action: '동작',
    or: '또는',
    actions: {
      help: '이 목록 보기',
      connect: '세션 연결 또는 연결 끊기',
      send: '작성한 메시지 보내기',
      filter: '타임라인 검색(필터로 이동)',
      pause: '타임라인 일시 정지 또는 재개',
      clear: '타임라인 비우기',
      next: '다음 세션',
      previous: '이전 세션',
      navigate: '타임라인 행 사이 이동(목록에 포커스가 있을 때)',
      close: '대화 상자나 메뉴 닫기',
    },
  },
  copyLink: {
    button: '링크 복사',
    title: '이 세션을 열고 연결하는 링크 복사',
    link: '이 세션의 링크',
    includeSecrets: '인증 정보와 비밀 값 포함',
    copied: '복사했습니다.',
    failed: '복사하지 못했습니다. 링크를 선택해 복사하세요.',
    leftOut: '뺀 것: {names}.',
    userinfo: 'URL의 사용자 이름과 비밀번호',
    authField: 'auth',
  },
} satisfies Translation<typeof en>
