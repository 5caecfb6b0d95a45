import type en from '../en/session'
import type { Translation } from '../../catalogue'

/** 한국어: session. */
export default {
  app: {
    empty: '열린 세션이 없습니다. “새 세션”을 누르세요.',
  },
  tabs: {
    label: '세션',
    imported: '{name} (가져옴)',
    close: '{name} 닫기',
    new: '새 세션',
    defaultName: '세션 {n}',
    numbered: '{label} #{n}',
    rename: '이름 바꾸기',
    nameLabel: '탭 이름',
    renameHint: '{url} — 두 번 클릭하거나 F2를 눌러 이름 바꾸기',
    menu: '{name} 탭 동작',
    closeTab: '탭 닫기',
  },
  storage: {
    notSaved: '열린 탭을 저장하지 못했습니다 ({why}). 이 창에서는 그대로 열려 있지만, 새로고침하면 최근 변경이 돌아오지 않습니다.',
  },
  state: {
    idle: '대기',
    connecting: '연결 중',
    open: '연결됨',
    reconnecting: '재연결 중',
    closed: '연결 끊김',
    imported: '가져옴 (읽기 전용)',
  },
  status: {
    // 한국어는 복수형이 없다: 형태 하나.
    frames: '프레임 {n}개',
    framesTitle: '연결에서 받은 프레임',
    events: '이벤트 {n}개',
    eventsTitle: '받은 Socket.IO 애플리케이션 이벤트 (확인 응답은 세지 않음)',
    dropped: '버퍼 한도로 {n}개 버림',
    droppedTitle: '버퍼 한도 때문에 버린 가장 오래된 이벤트 (설정)',
  },
  view: {
    imported: '가져온 기록 — 실시간이 아님',
    importedFrom: '{file}에서 가져온 기록 — 실시간이 아님',
  },
  settings: {
    title: '설정',
    language: '언어',
    languageFailed: '{language} 문구를 불러오지 못했습니다 ({error}). 언어는 그대로입니다. 앱이 서버에 닿을 때 다시 시도하세요.',
    theme: '테마',
    themeSystem: '시스템 설정 따르기',
    themeDark: '어둡게',
    themeLight: '밝게',
    maxEvents: '최대 보관 개수 (이벤트)',
    maxMegabytes: '최대 보관 용량 (페이로드 MiB)',
    capsNote: '어느 한도든 넘으면 가장 오래된 이벤트부터 버리고, 타임라인이 버린 수를 셉니다.',
    driversInWorker: '백그라운드 스레드에서 받기',
    driversInWorkerNote: '연결을 Worker에서 실행해, 메시지가 몰려도 화면을 기다리지 않고 클릭도 수신을 기다리지 않습니다. 끄면 페이지에서 실행하며, 프로세서 코어가 둘이면 수신이 몇 퍼센트 빠를 수 있지만 메시지가 몰릴 때 클릭 응답이 늦어집니다. 다음 연결부터 적용됩니다.',
  },
  update: {
    label: '앱 업데이트',
    available: '새 버전이 있습니다.',
    reload: '새로 고침',
    reloadAnyway: '그래도 새로 고침',
  },
  reloadLoss: {
    connections: '연결 {n}개',
    events: '기록된 이벤트 {n}개',
    both: '새로 고침하면 {connections}가 닫히고 {events}가 사라집니다. 남기려면 먼저 타임라인을 내보내세요.',
    connectionsOnly: '새로 고침하면 {connections}가 닫힙니다.',
    eventsOnly: '새로 고침하면 {events}가 사라집니다. 남기려면 먼저 타임라인을 내보내세요.',
  },
} satisfies Translation<typeof en>
